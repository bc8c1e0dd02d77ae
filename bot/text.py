"""Cleaning text people type, before it is stored or shown anywhere.

What a person cannot see must not travel: control characters, bidi overrides that
disguise text, zero-width and tag characters, lone surrogates. Text made only of such
characters (or of blank look-alikes) is empty. Single-line values (a name, a place) keep
no line breaks, so they can never pose as a line of their own on a card.
"""

from __future__ import annotations

import re
import unicodedata

NARRATIVE_MAX = 10_000
MESSAGE_MAX = 3_000
NAME_MAX = 100

# Unicode's own line and paragraph separators (and NEL) are line breaks to a reader.
_LINE_BREAKS = str.maketrans({"\u2028": "\n", "\u2029": "\n", "\u0085": "\n"})
# Letters that render as nothing: Hangul fillers and the blank braille pattern.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_HIDDEN_CATEGORIES = frozenset(
    {"Cc", "Cf", "Cs"}
)  # controls, format (bidi, zero-width), surrogates
_SPACES = re.compile(r"\s+")


class TooLong(ValueError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"longer than {limit} characters")
        self.limit = limit


def _visible(char: str) -> bool:
    if char in "\n\t":
        return True
    return unicodedata.category(char) not in _HIDDEN_CATEGORIES and char not in _BLANK_LETTERS


def clean(text: str | None, limit: int = MESSAGE_MAX) -> str:
    """Normalised, without hidden characters, trimmed; ``TooLong`` beyond ``limit``."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_LINE_BREAKS)
    text = "".join(char for char in unicodedata.normalize("NFC", text) if _visible(char))
    text = text.strip()
    if len(text) > limit:
        raise TooLong(limit)
    return text


def _one_line(text: str | None) -> str:
    return _SPACES.sub(" ", clean(text, len(text or ""))).strip()


def clean_line(text: str | None, limit: int = MESSAGE_MAX) -> str:
    """``clean``, on one line: every run of white space (line breaks too) is one space."""
    line = _one_line(text)
    if len(line) > limit:
        raise TooLong(limit)
    return line


def clean_name(name: str | None) -> str | None:
    """A display name from a platform: one clean line, shortened (it is not a person's
    text, so a cut is harmless); None when nothing visible is left."""
    line = _one_line(name)
    if len(line) > NAME_MAX:
        line = line[: NAME_MAX - 1].rstrip() + "…"
    return line or None


FILENAME_MAX = 120


def filename(name: str | None, limit: int = FILENAME_MAX) -> str:
    """A file name as it may be stored and shown: the last path part only, no hidden or
    invisible characters, one space for any whitespace, no leading dots, at most ``limit``
    characters with the extension kept. Empty when nothing is left."""
    if not name:
        return ""
    text = "".join(c for c in unicodedata.normalize("NFC", name) if _visible(c))
    text = re.split(r"[/\\]", text)[-1]
    text = " ".join(text.split()).strip(" .")
    if len(text) <= limit:
        return text
    stem, dot, extension = text.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return text[: limit - 1].rstrip() + "…"
    return stem[: limit - len(extension) - 2].rstrip() + "…." + extension


def encodable(node: object) -> bool:
    """No lone surrogate anywhere in a parsed JSON value: JSON can write one (``\\ud800``),
    UTF-8 cannot, and so no database could keep the text."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii():
                try:
                    item.encode()
                except UnicodeEncodeError:
                    return False
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return True
