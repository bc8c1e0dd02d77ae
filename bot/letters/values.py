"""What meldbot fills in: a letter's field values from the case, its measure, the
organisation's settings and what the coordinator filled in on the case page.

Every field the template uses must have a value; an empty one is refused with a sentence
that says what to fill in, before anything is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from babel.dates import format_date

from bot.case.errors import CaseError
from bot.case.models import Case
from bot.letters.config import LetterSettings
from bot.letters.fields import FIELDS, MISSING, OPTIONAL, LetterKind
from bot.measures.models import Measure
from bot.text import MESSAGE_MAX, NAME_MAX, TooLong, clean, clean_line


@dataclass(frozen=True, slots=True)
class Filled:
    """What the coordinator fills in before a letter is drafted: the excerpt from the
    report (``voorval``), the incident's date, and for an invitation when and where."""

    excerpt: str
    incident_on: date | None = None
    talk_on: date | None = None
    talk_at: time | None = None
    talk_place: str = ""


def long_date(day: date | None) -> str:
    """``5 september 2026``: letters to citizens are Dutch."""
    return format_date(day, "d MMMM y", locale="nl") if day else ""


def duration(starts: date | None, ends: date | None) -> str:
    """The ban's length as a letter says it: whole months, else weeks, else days."""
    if starts is None or ends is None:
        return ""
    months = (ends.year - starts.year) * 12 + ends.month - starts.month
    if months > 0 and ends.day == starts.day:
        return "1 maand" if months == 1 else f"{months} maanden"
    days = (ends - starts).days + 1  # "tot en met": the end day counts
    if days % 7 == 0:
        return "1 week" if days == 7 else f"{days // 7} weken"
    return "1 dag" if days == 1 else f"{days} dagen"


def _text(value: str, limit: int, *, line: bool = False) -> str:
    try:
        return clean_line(value, limit) if line else clean(value, limit)
    except TooLong:
        raise CaseError("Please keep it under {limit} characters.", limit=str(limit)) from None


def _checked(filled: Filled, today: date) -> None:
    if filled.incident_on is not None and filled.incident_on > today:
        raise CaseError("The incident's date is in the future. Choose today or an earlier date.")
    if filled.talk_on is not None and filled.talk_on < today:
        raise CaseError("The talk's date is in the past. Choose today or a later date.")


def values(
    kind: LetterKind,
    used: frozenset[str],
    *,
    organisation: str,
    settings: LetterSettings,
    case: Case,
    measure: Measure,
    filled: Filled,
    today: date,
) -> dict[str, str]:
    """The value of each field of ``kind`` (the logo is the templates'); ``CaseError``
    for the first field the template uses that is empty."""
    _checked(filled, today)
    found = {
        "organisatie": organisation.strip(),
        "adres": settings.address.strip(),
        "datum": long_date(today),
        "kenmerk": case.reference,
        "afzender": measure.carried_out_by,
        "voorval": _text(filled.excerpt, MESSAGE_MAX),
        "datum_voorval": long_date(filled.incident_on),
        "huisregels": settings.house_rules.strip(),
        "bezwaar": settings.objection.strip(),
        "ingangsdatum": long_date(measure.starts_on),
        "einddatum": long_date(measure.ends_on),
        "duur": duration(measure.starts_on, measure.ends_on),
        "gesprek_datum": long_date(filled.talk_on),
        "gesprek_tijd": filled.talk_at.strftime("%H:%M") if filled.talk_at else "",
        "gesprek_plaats": _text(filled.talk_place, NAME_MAX, line=True),
    }
    for name in FIELDS[kind]:  # in the letter's order: the first gap is named
        if name in used and name not in OPTIONAL and not found[name]:
            raise CaseError(MISSING[name])
    return {name: found[name] for name in FIELDS[kind] if name not in OPTIONAL}
