"""Counting cases for management and the team: pure functions over ``CaseFacts``.

The small-count rule, everywhere a count is shown (trend report, chart, results post):

1. A count of 1 to 4 is shown as "<5". A zero is shown as "0": it names nobody.
2. Counts that add up to a total shown next to them (categories, departments, measures,
   followed up or not) could give a hidden count away by subtraction: with the total and
   every other count known, the one "<5" is the difference. So as long as some hidden
   count could still be worked out exactly from what is shown, the smallest count still
   shown is hidden too: a zero first (shown as "<5", which is true of zero), else the
   smallest other count (shown as "≥5"). A "<5" may therefore be 0 to 4, a "≥5" 5 or more,
   and no hidden count of 1 to 4 can be narrowed down to one value.
3. Should that still not be enough (every count hidden, say four and four under a total of
   eight), the total is hidden too ("≥5"), in every table of the same period.
4. Time-to-first-contact figures are shown only over at least 5 cases.

Periods are Europe/Amsterdam calendar months (``bot.trends.periods``).
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.case.models import MeasureKind
from bot.schedule.models import CaseFacts
from bot.trends.periods import Period

SMALL = 5  # a count under this is never shown as it is
UNDER_FIVE = "<5"
FIVE_OR_MORE = "≥5"
UNBOUNDED = 10**9

Key = str | None
"""A row of a breakdown: a category, department or measure code; None is "not given"."""

FOLLOWED_UP = "followed_up"
NOT_YET = "not_yet"
MEASURE_KEYS: tuple[Key, ...] = (
    *(kind.value for kind in MeasureKind if kind is not MeasureKind.NONE),
    None,  # no measure, or "no measure needed"
)


def shown(count: int) -> str:
    """A count on its own, with no total beside it."""
    return UNDER_FIVE if 0 < count < SMALL else str(count)


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Counts that add up to a total, and which of them (and whether the total) are hidden."""

    counts: Mapping[Key, int]  # in the order they are shown
    hidden: frozenset[Key]
    total_hidden: bool

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def shown(self, key: Key) -> str:
        count = self.counts[key]
        if key in self.hidden:
            return UNDER_FIVE if count < SMALL else FIVE_OR_MORE
        return str(count)

    @property
    def shown_total(self) -> str:
        if self.total_hidden:
            return UNDER_FIVE if self.total < SMALL else FIVE_OR_MORE
        return str(self.total)


def breakdown(counts: Mapping[Key, int], *, hide_total: bool = False) -> Breakdown:
    """``counts`` as they may be shown beside their total (rules 1 to 3 above)."""
    total = sum(counts.values())
    hidden = {key for key, count in counts.items() if 0 < count < SMALL}
    total_hidden = hide_total or 0 < total < SMALL
    while _exposed(counts, hidden, total_hidden):
        still_shown = [key for key in counts if key not in hidden]
        if still_shown:
            hidden.add(min(still_shown, key=lambda key: counts[key]))
        elif total_hidden:
            break  # cannot happen: with the total hidden too, nothing is left to subtract
        else:
            total_hidden = True
    return Breakdown(dict(counts), frozenset(hidden), total_hidden)


def _exposed(counts: Mapping[Key, int], hidden: set[Key], total_hidden: bool) -> bool:
    """Whether some hidden count of 1 to 4 has only one value consistent with what is shown.

    Everyone reading knows: a shown count exactly, "<5" as 0..4, "≥5" as 5 or more, and
    the total (exactly, or as "<5"/"≥5"). For one sum that is all there is to know, so a
    hidden count's possible values run from (total minus the most the others can be) to
    (total minus the least they can be).
    """

    def bounds(key: Key) -> tuple[int, int]:
        count = counts[key]
        if key not in hidden:
            return count, count
        return (0, SMALL - 1) if count < SMALL else (SMALL, UNBOUNDED)

    total = sum(counts.values())
    if not total_hidden:
        total_low, total_high = total, total
    elif total < SMALL:
        total_low, total_high = 0, SMALL - 1
    else:
        total_low, total_high = SMALL, UNBOUNDED
    ranges = {key: bounds(key) for key in counts}
    low_sum = sum(low for low, _ in ranges.values())
    high_sum = sum(high for _, high in ranges.values())
    for key in hidden:
        if not 0 < counts[key] < SMALL:
            continue  # a zero or a count of five or more may be known
        low, high = ranges[key]
        least = max(low, total_low - (high_sum - high))
        most = min(high, total_high - (low_sum - low))
        if least >= most:
            return True
    return False


def protect(partitions: Mapping[str, Mapping[Key, int]]) -> dict[str, Breakdown]:
    """Several breakdowns of one total: when one must hide the total, all of them do."""
    first = {name: breakdown(counts) for name, counts in partitions.items()}
    if any(b.total_hidden and b.total >= SMALL for b in first.values()):
        return {name: breakdown(counts, hide_total=True) for name, counts in partitions.items()}
    return first


# -- figures --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactTimes:
    """Time to first contact: None where fewer than 5 cases would be behind a figure."""

    median: timedelta | None
    within: float | None  # the share contacted within the promise, 0..1


def contact_times(facts: Sequence[CaseFacts], promise: timedelta, as_of: datetime) -> ContactTimes:
    """The median over cases that were contacted; the share within the promise over cases
    that were contacted or whose promised time has passed by ``as_of`` (a case reported
    last night, not yet called, is neither late nor on time yet)."""
    durations = [
        (f.first_contact_at - f.created_at).total_seconds() for f in facts if f.first_contact_at
    ]
    decided = [f for f in facts if f.first_contact_at or f.created_at + promise <= as_of]
    on_time = [
        f for f in decided if f.first_contact_at and f.first_contact_at - f.created_at <= promise
    ]
    return ContactTimes(
        median=timedelta(seconds=statistics.median(durations)) if len(durations) >= SMALL else None,
        within=len(on_time) / len(decided) if len(decided) >= SMALL else None,
    )


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """What one period's reports add up to, protected by the small-count rule."""

    categories: Breakdown
    departments: Breakdown
    measures: Breakdown
    follow_up: Breakdown
    normal: ContactTimes
    urgent: ContactTimes
    reaction: Breakdown | None = None  # within the norm or late (bot/measures/reaction.py)

    @property
    def total(self) -> int:
        return self.categories.total

    @property
    def shown_total(self) -> str:
        return self.categories.shown_total


def period_figures(
    facts: Sequence[CaseFacts],
    *,
    categories: Sequence[str],
    departments: Sequence[str],
    promise: timedelta,
    urgent_promise: timedelta,
    as_of: datetime,
    reaction: timedelta | None = None,
    no_reaction: Iterable[str] = (),
) -> PeriodFigures:
    followed = sum(1 for f in facts if f.followed_up)
    tables = protect(
        {
            "categories": category_counts(facts, categories),
            "departments": department_counts(facts, departments),
            "measures": measure_counts(facts),
            "follow_up": {FOLLOWED_UP: followed, NOT_YET: len(facts) - followed},
        }
    )
    return PeriodFigures(
        categories=tables["categories"],
        departments=tables["departments"],
        measures=tables["measures"],
        follow_up=tables["follow_up"],
        normal=contact_times([f for f in facts if not f.urgent], promise, as_of),
        urgent=contact_times([f for f in facts if f.urgent], urgent_promise, as_of),
        reaction=None
        if reaction is None
        else breakdown(reaction_counts(facts, reaction, as_of, frozenset(no_reaction))),
    )


WITHIN, LATE = "within", "late"


def reaction_counts(
    facts: Iterable[CaseFacts], norm: timedelta, as_of: datetime, no_reaction: frozenset[str]
) -> dict[Key, int]:
    """The reaction to the offender, over cases with a citizen to react to (not in
    ``no_reaction``) whose reaction is decided by ``as_of``: given (within the norm or
    late), or not given while its time has passed (late). A case closed without any
    recorded reaction counts as late once its time passed: the norm asks for one."""
    counts: dict[Key, int] = {WITHIN: 0, LATE: 0}
    for f in facts:
        if f.category in no_reaction:
            continue
        if f.reaction_at is not None:
            counts[WITHIN if f.reaction_at - f.created_at <= norm else LATE] += 1
        elif f.created_at + norm <= as_of:
            counts[LATE] += 1
    return counts


def category_counts(facts: Iterable[CaseFacts], offered: Sequence[str]) -> dict[Key, int]:
    """Every offered category (zeros too), any other one that was reported, "not given"."""
    seen = Counter(f.category for f in facts)
    keys: list[Key] = list(offered)
    keys += sorted(str(c) for c in seen if c is not None and c not in offered)
    return {key: seen.get(key, 0) for key in [*keys, None]}


def department_counts(facts: Iterable[CaseFacts], configured: Sequence[str]) -> dict[Key, int]:
    """Every configured department; anything else (none, or one no longer configured)
    is "not given"."""
    counts: dict[Key, int] = dict.fromkeys([*configured, None], 0)
    for f in facts:
        counts[f.department if f.department in configured else None] += 1
    return counts


def measure_counts(facts: Iterable[CaseFacts]) -> dict[Key, int]:
    """Cases by their (latest) measure; "none" holds no measure yet and none needed."""
    counts: dict[Key, int] = dict.fromkeys(MEASURE_KEYS, 0)
    for f in facts:
        counts[f.measure if f.measure in counts else None] += 1
    return counts


def in_period(facts: Iterable[CaseFacts], period: Period) -> list[CaseFacts]:
    start, end = period.start, period.end
    return [f for f in facts if start <= f.created_at < end]


# -- the chart's series -----------------------------------------------------------------

OTHER = "__other__"  # the chart's pooled segment


@dataclass(frozen=True, slots=True)
class MonthBar:
    """One month of the chart: segments to draw (empty when the month is not drawn) and
    the total as the text shows it."""

    month: date
    shown_total: str
    segments: Mapping[Key, int]  # category (None: not given) or OTHER -> count


def month_bars(
    facts: Sequence[CaseFacts],
    months: Sequence[date],
    categories: Sequence[str],
    *,
    hide_total: frozenset[date] = frozenset(),
) -> list[MonthBar]:
    """Reports per month by category, as the chart may draw them.

    A month under 5 reports (or whose total the text hides) gets no bar. Otherwise the
    categories the text rule hides are pooled into one "other" segment, and while that
    segment would be 1 to 4 the smallest drawn category joins it: every segment drawn is
    at least 5, and the pool always holds what the text hides (so chart and text together
    give away nothing either does alone).
    """
    bars = []
    for month in months:
        counts = category_counts(in_period(facts, Period(month, month)), categories)
        table = breakdown(counts, hide_total=month in hide_total)
        bars.append(MonthBar(month, table.shown_total, _segments(table)))
    return bars


def _segments(table: Breakdown) -> dict[Key, int]:
    if table.total_hidden or table.total == 0:
        return {}
    pool = set(table.hidden)
    drawn = sorted(
        (key for key, count in table.counts.items() if key not in pool and count > 0),
        key=lambda key: table.counts[key],
    )
    while 0 < sum(table.counts[key] for key in pool) < SMALL:
        pool.add(drawn.pop(0))
    segments: dict[Key, int] = {
        key: count for key, count in table.counts.items() if key not in pool and count > 0
    }
    pooled = sum(table.counts[key] for key in pool)
    if pooled:
        segments[OTHER] = pooled
    return segments
