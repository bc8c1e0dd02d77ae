"""Dutch first: every message the core can show has a Dutch translation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALE_DIR, translator

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"t": None, "N_": None, "CaseError": None, "NotAllowed": None, "ReceiptRefused": None}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _extracted() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "dialogs", "adapters"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_has_a_dutch_translation_with_the_same_placeholders() -> None:
    with (LOCALE_DIR / "nl" / "LC_MESSAGES" / "meldbot.po").open("rb") as source:
        catalog = read_po(source, locale="nl")
    messages = _extracted()
    assert len(messages) > 100
    missing = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))
    assert not missing, f"run `make translations` and translate: {missing}"
    for message in messages:
        entry = catalog.get(message)
        assert not entry.fuzzy, message
        assert set(PLACEHOLDER.findall(message)) == set(PLACEHOLDER.findall(entry.string)), message


def test_dutch_is_the_default_and_english_is_selectable() -> None:
    assert translator("nl")("Make a report") == "Melding maken"
    assert translator("en")("Make a report") == "Make a report"
    assert translator("fr").language == "nl"
    assert (
        translator("nl").datetime(datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) == "2 maart 2026, 10:00"
    )
