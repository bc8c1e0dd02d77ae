"""What a search looks for: a case reference (or its start), or the words of a text.

Narratives and messages are sealed, so the database cannot search them. Storage keeps a
blind index instead: a keyed hash of every normalised word a coordinator may read, per
case, and never the word itself. ``words`` is the one normalisation, used both when a
text is stored and when a query is asked, so the two always meet.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY = 200  # characters a search may have
MAX_WORDS = 8  # words a search may look for at once
MIN_LENGTH = 2

# A reference as meldbot writes it (M-2026-0042), or its start: "M-2026-00", "m-2026".
REFERENCE = re.compile(r"^M-(\d{1,4}|\d{4}-\d{0,7})$")
WHOLE = re.compile(r"^M-\d{4}-\d{4,7}$")

# Words so common that they find nearly everything (and would make the index huge).
_STOP = """
aan al alles als altijd ben bij daar dan dat de der deze die dit doch doen door dus een en er
ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand ik in is ja je kan
kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat ons ook op
over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat we wel werd wezen
wie wij wil worden zal ze zei zelf zich zij zijn zo zonder zou the and to it
"""
STOP_WORDS = frozenset(_STOP.split())

_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without accents: "Één" and "een", "Café" and "cafe" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str | None) -> set[str]:
    """The searchable words of a text: folded, at least two characters, no stop words."""
    if not text:
        return set()
    return {
        word
        for word in _WORD.findall(fold(text))
        if len(word) >= MIN_LENGTH and word not in STOP_WORDS
    }


def query_words(query: str) -> tuple[str, ...]:
    """The words to look for, in the order typed, each once."""
    found: list[str] = []
    for word in _WORD.findall(fold(query)):
        if len(word) >= MIN_LENGTH and word not in STOP_WORDS and word not in found:
            found.append(word)
    return tuple(found)


SEQUENCE_DIGITS = 7  # a year holds fewer than ten million cases


@dataclass(frozen=True, slots=True)
class ReferenceRange:
    """The cases whose reference starts with a prefix, as (year, sequence) ranges — the
    numbers behind ``format_reference`` — so the unique index on them finds them."""

    years: tuple[int, int]  # [first, last]
    sequences: tuple[tuple[int, int], ...] | None  # [first, last] each; None: every one


def reference_range(prefix: str) -> ReferenceRange:
    """``prefix`` is a ``reference_prefix``: M-, up to four digits of the year, and the
    start of the number (written with at least four digits, so "0" means 0-999)."""
    _, year, *rest = prefix.split("-")
    number = rest[0] if rest else ""
    width = 4 - len(year)
    years = (int(year) * 10**width, (int(year) + 1) * 10**width - 1)
    if not number:
        return ReferenceRange(years, None)
    typed, ranges = int(number), []
    for length in range(max(4, len(number)), SEQUENCE_DIGITS + 1):
        if length > 4 and number.startswith("0"):
            break  # past four digits a number has no leading zero
        rest = 10 ** (length - len(number))
        low, high = typed * rest, (typed + 1) * rest - 1
        floor = 10 ** (length - 1) if length > 4 else 0
        low, high = max(low, floor), min(high, 10**length - 1)
        if low <= high:
            ranges.append((low, high))
    return ReferenceRange(years, tuple(ranges))


def is_reference(prefix: str) -> bool:
    """A whole reference, not only its start."""
    return bool(WHOLE.match(prefix))


def reference_prefix(query: str) -> str | None:
    """The query as (the start of) a reference, upper case; None when it is words."""
    candidate = query.strip().upper()
    return candidate if REFERENCE.match(candidate) else None
