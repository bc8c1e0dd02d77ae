"""The small-count rule and the figures, as pure functions: checked against what a reader
could work out by trying every possibility consistent with what is shown."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.schedule.models import CaseFacts
from bot.trends.counts import (
    FIVE_OR_MORE,
    OTHER,
    UNDER_FIVE,
    Breakdown,
    breakdown,
    contact_times,
    month_bars,
    protect,
    shown,
)
from bot.trends.periods import previous_month, previous_quarter, trailing_months

CAP = 40  # "≥5" read as 5..CAP: more than any total below


def possible_values(table: Breakdown) -> dict[int, set[int]]:
    """For each row, every value a reader could not rule out from the shown table."""
    counts = list(table.counts.values())
    keys = list(table.counts)

    def candidates(index: int) -> range:
        text = table.shown(keys[index])
        if text == UNDER_FIVE:
            return range(0, 5)
        if text == FIVE_OR_MORE:
            return range(5, CAP + 1)
        return range(int(text), int(text) + 1)

    totals = {UNDER_FIVE: range(0, 5), FIVE_OR_MORE: range(5, CAP * len(counts) + 1)}
    allowed = set(totals.get(table.shown_total, [table.total]))
    # Sums the other rows can reach, per row left out: a small knapsack, not a product.
    possible: dict[int, set[int]] = {}
    for index in range(len(counts)):
        sums = {0}
        for other in range(len(counts)):
            if other != index:
                sums = {s + v for s in sums for v in candidates(other)}
        possible[index] = {v for v in candidates(index) if any(v + s in allowed for s in sums)}
    return possible


def assert_protected(counts: list[int]) -> Breakdown:
    table = breakdown(dict(zip("abcdefgh", counts, strict=False)))
    for key, count in table.counts.items():
        text = table.shown(key)
        assert text in (UNDER_FIVE, FIVE_OR_MORE) or int(text) == 0 or int(text) >= 5
        if text == UNDER_FIVE:
            assert count < 5
        if text == FIVE_OR_MORE:
            assert count >= 5
        if text.isdigit():
            assert int(text) == count
    assert (
        table.shown_total in (UNDER_FIVE, FIVE_OR_MORE)
        or int(table.shown_total) >= 5
        or (table.total == 0)
    )
    for index, values in possible_values(table).items():
        if 0 < counts[index] < 5:
            assert len(values) > 1, (counts, table.shown(list(table.counts)[index]), values)
    return table


@pytest.mark.parametrize("size,top", [(2, 12), (3, 10), (4, 7)])
def test_no_small_count_can_be_worked_out_from_any_table(size: int, top: int) -> None:
    for counts in itertools.product(range(top + 1), repeat=size):
        assert_protected(list(counts))


def test_one_small_row_hides_a_zero_before_a_real_count() -> None:
    table = assert_protected([7, 3, 0])
    assert [table.shown(k) for k in "abc"] == ["7", UNDER_FIVE, UNDER_FIVE]
    assert table.shown_total == "10"


def test_without_a_zero_the_smallest_other_count_is_hidden_as_at_least_five() -> None:
    table = assert_protected([6, 2, 9])
    assert [table.shown(k) for k in "abc"] == [FIVE_OR_MORE, UNDER_FIVE, "9"]


def test_two_small_rows_that_add_up_to_eight_are_not_enough() -> None:
    table = assert_protected([4, 4, 10])
    assert [table.shown(k) for k in "abc"] == [UNDER_FIVE, UNDER_FIVE, FIVE_OR_MORE]


def test_when_nothing_is_left_to_hide_the_total_goes_in_every_table() -> None:
    tables = protect({"two": {"a": 4, "b": 4}, "other": {"x": 8, "y": 0}})
    assert tables["two"].shown_total == tables["other"].shown_total == FIVE_OR_MORE
    assert tables["other"].shown("x") == "8"


def test_counts_on_their_own() -> None:
    assert [shown(n) for n in (0, 1, 4, 5, 12)] == ["0", UNDER_FIVE, UNDER_FIVE, "5", "12"]


def test_months_and_quarters_are_amsterdam_calendar_months() -> None:
    moved = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)  # the December report, moved a day
    assert (previous_month(moved).first, previous_month(moved).last) == (
        date(2025, 12, 1),
        date(2025, 12, 1),
    )
    november = previous_month(datetime(2026, 12, 1, 8, 0, tzinfo=UTC))
    assert november.start == datetime(2026, 10, 31, 23, 0, tzinfo=UTC)  # CET midnight
    assert november.end == datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    quarter = previous_quarter(datetime(2026, 10, 1, 7, 0, tzinfo=UTC))
    assert (quarter.first, quarter.last) == (date(2026, 7, 1), date(2026, 9, 1))
    assert quarter.start == datetime(2026, 6, 30, 22, 0, tzinfo=UTC)  # CEST midnight
    assert previous_quarter(datetime(2027, 1, 4, 8, tzinfo=UTC)).first == date(2026, 10, 1)
    year = trailing_months(date(2026, 11, 1))
    assert year.months()[0] == date(2025, 12, 1) and len(year.months()) == 12


def _fact(created: datetime, contact_after: timedelta | None, **fields: object) -> CaseFacts:
    values: dict[str, object] = {
        "category": "threat",
        "department": None,
        "urgent": False,
        "status": "new",
        "measure": None,
        "closed_at": None,
        "followed_up": False,
    }
    values.update(fields)
    contact = created + contact_after if contact_after is not None else None
    return CaseFacts(created_at=created, first_contact_at=contact, **values)  # type: ignore[arg-type]


def test_time_to_contact_needs_five_cases_and_waits_for_open_promises() -> None:
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    promise = timedelta(hours=24)
    hours = [1, 2, 3, 30]  # three within the promise, one late
    facts = [_fact(start + timedelta(days=n), timedelta(hours=h)) for n, h in enumerate(hours)]
    assert contact_times(facts, promise, start + timedelta(days=30)).median is None
    never_called = _fact(start, None)
    just_in = _fact(start + timedelta(days=28, hours=20), None)  # promise still open
    as_of = start + timedelta(days=29)
    figures = contact_times([*facts, never_called, just_in], promise, as_of)
    assert figures.median is None  # four contacted: too few for a median
    assert figures.within == pytest.approx(3 / 5)  # the open one is not counted yet
    fifth = _fact(start + timedelta(days=5), timedelta(hours=5))
    assert contact_times([*facts, fifth], promise, as_of).median == timedelta(hours=3)


def test_the_chart_draws_no_segment_under_five() -> None:
    november = date(2026, 11, 1)
    created = datetime(2026, 11, 10, 12, tzinfo=UTC)
    facts = [_fact(created, None, category="threat") for _ in range(7)]
    facts += [_fact(created, None, category="verbal_aggression") for _ in range(3)]
    facts += [_fact(created, None, category="intimidation") for _ in range(6)]
    [bar] = month_bars(facts, [november], ["verbal_aggression", "threat", "intimidation"])
    # 3 is hidden; "other" would be 3, so the smallest drawn category (6) joins it.
    assert bar.segments == {"threat": 7, OTHER: 9}
    assert bar.shown_total == "16"
    [small] = month_bars(facts[:3], [november], ["threat"])
    assert (small.segments, small.shown_total) == ({}, UNDER_FIVE)


def test_starting_meldbot_does_not_load_matplotlib() -> None:
    """The chart library is heavy and needed once a month: it is imported when drawing."""
    code = (
        "import sys, bot.app, bot.trends.service\n"
        "sys.exit(any(name.startswith('matplotlib') for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
