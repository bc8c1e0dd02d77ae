"""Translations with Babel: English message ids, a Dutch catalog, Dutch by default.

The ``.po`` catalog is compiled in memory when first used, so no compiled
``.mo`` file has to be built or committed.
"""

from __future__ import annotations

import gettext
from datetime import datetime
from functools import cache
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "meldbot"
TIMEZONE = ZoneInfo("Europe/Amsterdam")
LANGUAGES = ("nl", "en")


def N_(message: str) -> str:
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@cache
def _translations(language: str) -> NullTranslations:
    po_file = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_file.is_file():
        return NullTranslations()
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


class Translator:
    """Translates a message id and fills its ``{placeholders}``."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else "nl"
        self._catalog: gettext.NullTranslations = _translations(self.language)

    def __call__(self, message: str, **values: object) -> str:
        text = self._catalog.gettext(message)
        return text.format(**values) if values else text

    def plural(self, singular: str, plural: str, count: int, **values: object) -> str:
        text = self._catalog.ngettext(singular, plural, count)
        return text.format(count=count, **values)

    def time_of_day(self, moment: datetime) -> str:
        """The local clock time only (14:02): for what happens within the hour."""
        return format_datetime(moment.astimezone(TIMEZONE), "HH:mm", locale=self.language)

    def datetime(self, moment: datetime) -> str:
        return format_datetime(moment.astimezone(TIMEZONE), "d MMMM y, HH:mm", locale=self.language)


@cache
def translator(language: str) -> Translator:
    return Translator(language)
