"""Reading submitted form values safely: every value is input, checked here."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import TypeVar

from bot.i18n import Translator
from bot.text import TooLong, clean

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
    text = text_value(values, field, limit, errors, too_long)
    if not text and field not in errors:
        errors[field] = missing
    return text


def int_state(state: str) -> int | None:
    return int(state) if state.isdigit() else None
