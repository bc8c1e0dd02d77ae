"""Reading submitted form values safely: every value is input, checked here."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from bot.consultation.sighting import sight_code
from bot.i18n import Translator
from bot.ids import record_id
from bot.text import TooLong, clean, clean_line

E = TypeVar("E", bound=StrEnum)

YES, NO, UNKNOWN = "yes", "no", "unknown"


def enum_value(values: Mapping[str, str | None], field: str, kind: type[E]) -> E | None:
    raw = values.get(field)
    try:
        return kind(raw) if raw else None
    except ValueError:
        return None


def yes_no(values: Mapping[str, str | None], field: str) -> bool | None:
    raw = values.get(field)
    return True if raw == YES else False if raw == NO else None


def text_value(
    values: Mapping[str, str | None], field: str, limit: int, errors: dict[str, str], too_long: str
) -> str:
    """The cleaned text; records ``too_long`` in ``errors`` when over ``limit``."""
    try:
        return clean(values.get(field), limit)
    except TooLong:
        errors[field] = too_long
        return ""


def _no_code(text: str, field: str, errors: dict[str, str], t: Translator) -> str:
    """A receipt code never goes into what coordinators read next to a name: refused, so
    the person can take it out (and open their report with the code instead)."""
    if text and sight_code(text) is not None:
        errors[field] = t(
            "This looks like a receipt code. Please take it out: the coordinators read what "
            "you write here. To open an anonymous report, use 'I have a code'."
        )
        return ""
    return text


def required_text(
    values: Mapping[str, str | None],
    field: str,
    limit: int,
    errors: dict[str, str],
    t: Translator,
    missing: str,
) -> str:
    """The cleaned text of a field that must be filled in; what is wrong goes in ``errors``."""
    too_long = t("Please keep it under {limit} characters.", limit=limit)
    text = _no_code(text_value(values, field, limit, errors, too_long), field, errors, t)
    if not text and field not in errors:
        errors[field] = missing
    return text


def text_line(
    values: Mapping[str, str | None], field: str, limit: int, errors: dict[str, str], t: Translator
) -> str:
    """An optional one-line answer (a place): line breaks become spaces, so it can never
    pose as a line of its own on a card."""
    try:
        line = clean_line(values.get(field), limit)
    except TooLong:
        errors[field] = t("Please keep it under {limit} characters.", limit=limit)
        return ""
    return _no_code(line, field, errors, t)


def int_state(state: str) -> int | None:
    return record_id(state)
