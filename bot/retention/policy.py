"""When a closed case is due: pure rules over what the case is, no storage.

The rule that applies: a case with a measure keeps the measures' period (also when the
report was anonymous: a ban or letter may matter later); otherwise an anonymous case
keeps the anonymous period; otherwise the period of a case without measures. A
category may have its own periods (``[retention.categories]``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from bot.case.models import Category
from bot.retention.config import RetentionSettings
from bot.schedule.calendar import AMSTERDAM

WITH_MEASURES = "with_measures"
WITHOUT_MEASURES = "without_measures"
ANONYMOUS = "anonymous"


@dataclass(frozen=True, slots=True)
class Kept:
    """What the retention asks of a closed case."""

    closed_at: datetime
    updated_at: datetime
    category: Category | None
    anonymous: bool
    has_measures: bool
    last_measure_end: date | None  # a ban still running keeps its case
    extended: bool


@dataclass(frozen=True, slots=True)
class Due:
    at: datetime
    outcome: str  # WITH_MEASURES, WITHOUT_MEASURES or ANONYMOUS
    rule: str  # as the destruction list names it: "with_measures 5y", "+ extended 1y"


def add_years(moment: datetime, years: int) -> datetime:
    """The same day ``years`` later; 29 February becomes 28 February."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def outcome_of(kept: Kept) -> str:
    if kept.has_measures:
        return WITH_MEASURES
    return ANONYMOUS if kept.anonymous else WITHOUT_MEASURES


def started(kept: Kept) -> datetime:
    """The clock's start: the closing, or a later change, or the day after the last
    measure ends."""
    moments = [kept.closed_at, kept.updated_at]
    if kept.last_measure_end is not None:
        after = datetime.combine(kept.last_measure_end + timedelta(days=1), time(0), AMSTERDAM)
        moments.append(after.astimezone(UTC))
    return max(moments)


def due(kept: Kept, settings: RetentionSettings) -> Due:
    outcome = outcome_of(kept)
    own = settings.categories.get(kept.category) if kept.category else None
    years: int | None = getattr(own, f"{outcome}_years") if own else None
    label = f"{kept.category.value}:{outcome}" if years is not None and kept.category else outcome
    if years is None:
        years = getattr(settings, f"{outcome}_years")
    at = add_years(started(kept), years)
    rule = f"{label} {years}y"
    if kept.extended:
        at = add_years(at, settings.extension_years)
        rule += f" + extended {settings.extension_years}y"
    return Due(at, outcome, rule)


def warn_from(due_at: datetime, settings: RetentionSettings) -> datetime:
    return due_at - timedelta(days=settings.warn_days)


def shortest_years(settings: RetentionSettings) -> int:
    """No case is due sooner than this after its last change: the candidates' filter."""
    periods = [settings.with_measures_years, settings.without_measures_years]
    periods.append(settings.anonymous_years)
    for own in settings.categories.values():
        periods += [y for y in (own.with_measures_years, own.without_measures_years) if y]
        periods += [own.anonymous_years] if own.anonymous_years else []
    return min(periods)
