"""Cleaning text people type, before it is stored or shown anywhere."""

from __future__ import annotations

import re
import unicodedata

# C0/C1 control characters except tab and newline, plus bidi overrides that can
# disguise text (U+202A-U+202E, U+2066-U+2069).
_HIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

NARRATIVE_MAX = 10_000
MESSAGE_MAX = 3_000


class TooLong(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit} characters")
        self.limit = limit


def clean(text: str | None, limit: int = MESSAGE_MAX) -> str:
    """Normalised, without hidden characters, trimmed; ``TooLong`` beyond ``limit``."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _HIDDEN.sub("", text).strip()
    if len(text) > limit:
        raise TooLong(limit)
    return text


# Also invisible in a file name: zero-width characters, LRM/RLM/ALM and line separators.
_INVISIBLE = re.compile(r"[\u061c\u200b-\u200f\u2028\u2029\ufeff]")
FILENAME_MAX = 120


def filename(name: str | None, limit: int = FILENAME_MAX) -> str:
    """A file name as it may be stored and shown: the last path part only, no hidden or
    invisible characters, one space for any whitespace, no leading dots, at most ``limit``
    characters with the extension kept. Empty when nothing is left."""
    if not name:
        return ""
    text = unicodedata.normalize("NFC", name)
    text = _INVISIBLE.sub("", _HIDDEN.sub("", text))
    text = re.split(r"[/\\]", text)[-1]
    text = " ".join(text.split()).strip(" .")
    if len(text) <= limit:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return text[: limit - 1].rstrip() + "…"
    return stem[: limit - len(extension) - 2].rstrip() + "…." + extension
