"""What a search looks for: a case reference (or its start), or the words of a text.

Narratives and messages are sealed, so the database cannot search them. Storage keeps a
blind index instead: a keyed hash of every normalised word a coordinator may read, per
case, and never the word itself. ``words`` is the one normalisation, used both when a
text is stored and when a query is asked, so the two always meet.
"""

from __future__ import annotations

import re
import unicodedata

MAX_QUERY = 200  # characters a search may have
MAX_WORDS = 8  # words a search may look for at once
MIN_LENGTH = 2

# A reference as meldbot writes it (M-2026-0042), or its start: "M-2026-00", "m-2026".
REFERENCE = re.compile(r"^M-\d{1,4}(-\d{0,6})?$")

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


def reference_prefix(query: str) -> str | None:
    """The query as (the start of) a reference, upper case; None when it is words."""
    candidate = query.strip().upper()
    return candidate if REFERENCE.match(candidate) else None
