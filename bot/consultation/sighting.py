"""Seeing a receipt code in what someone typed, so that it never ends up in a report.

A colleague may type their anonymous code with spaces, a character too many or too few, or
inside a sentence ("mijn code is E6ES-…"). Whatever looks like one is treated as a code
attempt, or the person is asked: it never becomes a draft, an answer or a report, where the
coordinators would read the secret next to the person's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.consultation.receipts import (
    ALPHABET,
    LOOKALIKES,
    PSEUDONYM_LENGTH,
    SECRET_LENGTH,
    Code,
    parse_code,
)

# What may stand between the groups of a code as people copy or retype it.
_GAP = r"[\s\-\u2010-\u2015_.:/\\]{1,3}"
# Runs of letters and digits with such gaps: where a code could hide in a message.
_RUN = re.compile(rf"[0-9A-Za-z]+(?:{_GAP}[0-9A-Za-z]+)*")
_GROUP = re.compile(r"[0-9A-Za-z]+")
_REFERENCE = re.compile(r"\bM-\d{4}-\d+\b", re.IGNORECASE)  # a case reference is no code
_KEYWORDS = re.compile(r"\b(?:status|code|ontvangstcode|receipt|my|mijn)\b[\s:]*", re.IGNORECASE)
_COMPACT = PSEUDONYM_LENGTH + SECRET_LENGTH
_DASHED = re.compile(r"[0-9A-Za-z]{4}(?:-[0-9A-Za-z]{4}){3}")  # as meldbot shows a code


@dataclass(frozen=True, slots=True)
class Sighting:
    """Something in a message that looks like a receipt code.

    ``code`` is set when it reads as a whole code; None when it is one character off or
    otherwise close (then it is still never stored: the person is asked). ``alone``: the
    message is nothing but the code, perhaps after "status" or "code".
    """

    typed: str
    code: Code | None
    alone: bool


def _codelike(groups: list[str], spaced: bool) -> bool:
    """Groups that together could be a code, typed or copied a little wrong."""
    joined = "".join(groups)
    compact = joined.upper().translate(LOOKALIKES)
    if not _COMPACT - 1 <= len(compact) <= _COMPACT + 1 or any(c not in ALPHABET for c in compact):
        return False
    # As typed, before O/I/L are read as digits: "HELP HELP HELP HELP" is a cry, not a code.
    if not any(c.isdigit() for c in joined) or not any(c.isalpha() for c in joined):
        return False
    if not spaced:
        return True
    # Words typed apart: a code's groups are short and carry digits; words rarely do.
    if not 3 <= len(groups) <= 5 or any(not 3 <= len(g) <= 5 for g in groups):
        return False
    with_digits = sum(any(c.isdigit() for c in g) for g in groups)
    return with_digits >= 2 or all(not c.isalpha() or c.isupper() for c in joined)


def _sightings(text: str) -> Iterator[tuple[str, int, int]]:
    """(the groups as typed, start, end) of every stretch of a run that looks like a code;
    a stretch that a longer number continues (an IBAN in groups) is none."""
    for run in _RUN.finditer(text):
        groups = list(_GROUP.finditer(run.group()))
        for first in range(len(groups)):
            for last in range(first, len(groups)):
                stretch = groups[first : last + 1]
                if sum(len(g.group()) for g in stretch) > _COMPACT + 1:
                    break
                inner = run.group()[stretch[0].start() : stretch[-1].end()]
                words = [g.group() for g in stretch]
                around = groups[first - 1 : first] + groups[last + 1 : last + 2]
                if _codelike(words, spaced=any(c.isspace() for c in inner)) and not any(
                    ch.isdigit() for g in around for ch in g.group()
                ):
                    yield inner, run.start() + stretch[0].start(), run.start() + stretch[-1].end()


def sight_code(text: str) -> Sighting | None:
    """The receipt code (or near-code) anywhere in ``text``, as a person may type it: any
    case, any gaps (spaces, dashes, dots), O for 0, I or L for 1, one character too many
    or too few, alone or inside a sentence ("mijn code is E6ES-…")."""
    whole = _KEYWORDS.sub(" ", text).strip(" \t\n.,:;!?-'\"")
    # The code alone, even one without a digit, when it is plainly meant as one.
    meant = _KEYWORDS.search(text) or _DASHED.fullmatch(whole) or any(c.isdigit() for c in whole)
    if meant and parse_code(whole) is not None:
        return Sighting(whole, parse_code(whole), alone=True)
    scan = _REFERENCE.sub(" \u00a6 ", text)
    found = list(_sightings(scan))
    if not found:
        return None
    # A stretch that takes in the words beside a code ("code: 7x2k qgyq") carries fewer
    # digits than the code itself, whose first and last groups always have one; a whole
    # code wins over a near one.
    typed, start, end = max(found, key=lambda f: (parse_code(f[0]) is not None, _digits(f[0])))
    rest = _KEYWORDS.sub(" ", scan[:start] + " " + scan[end:])
    alone = not rest.strip(" \t\n.,:;!?-'\"")
    return Sighting(typed, parse_code(typed), alone)


def _digits(typed: str) -> int:
    """How many of the groups carry a digit."""
    return sum(any(c.isdigit() for c in g.group()) for g in _GROUP.finditer(typed))
