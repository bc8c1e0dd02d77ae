"""The retention rules on their own: which period applies, and from when."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.case.models import Category
from bot.retention.config import CategoryRetention, RetentionSettings
from bot.retention.policy import Kept, add_years, due, shortest_years

CLOSED = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def _kept(**changes: object) -> Kept:
    fields: dict[str, object] = {
        "closed_at": CLOSED,
        "updated_at": CLOSED,
        "category": Category.THREAT,
        "anonymous": False,
        "has_measures": False,
        "last_measure_end": None,
        "extended": False,
    }
    return Kept(**(fields | changes))  # type: ignore[arg-type]


def test_the_outcome_chooses_the_period() -> None:
    policy = RetentionSettings()
    assert due(_kept(), policy).rule == "without_measures 2y"
    assert due(_kept(anonymous=True), policy).rule == "anonymous 1y"
    # a ban or letter may matter later, also when the report was anonymous
    with_measures = due(_kept(anonymous=True, has_measures=True), policy)
    assert (with_measures.at, with_measures.rule) == (add_years(CLOSED, 5), "with_measures 5y")


def test_a_category_has_its_own_periods_and_the_rest_follows_the_defaults() -> None:
    own = {Category.TRAFFICKING: CategoryRetention(with_measures_years=7)}
    policy = RetentionSettings(categories=own)
    trafficking = due(_kept(category=Category.TRAFFICKING, has_measures=True), policy)
    assert (trafficking.at, trafficking.rule) == (
        add_years(CLOSED, 7),
        "trafficking:with_measures 7y",
    )
    assert due(_kept(category=Category.TRAFFICKING), policy).rule == "without_measures 2y"
    assert (
        shortest_years(
            RetentionSettings(categories={Category.OTHER: CategoryRetention(anonymous_years=1)})
        )
        == 1
    )


def test_the_clock_starts_at_the_last_change_or_after_the_last_measure_ends() -> None:
    policy = RetentionSettings()
    later = datetime(2026, 9, 1, tzinfo=UTC)
    assert due(_kept(updated_at=later), policy).at == add_years(later, 2)
    ban = due(_kept(has_measures=True, last_measure_end=date(2027, 6, 30)), policy)
    assert ban.at == datetime(2032, 6, 30, 22, 0, tzinfo=UTC)  # 1 July, Amsterdam midnight


def test_an_extension_adds_its_years_once_and_29_february_becomes_28() -> None:
    extended = due(_kept(extended=True), RetentionSettings(extension_years=2))
    assert extended.at == add_years(CLOSED, 4) and extended.rule.endswith("+ extended 2y")
    leap = datetime(2028, 2, 29, 9, 0, tzinfo=UTC)
    assert add_years(leap, 1) == datetime(2029, 2, 28, 9, 0, tzinfo=UTC)
    assert add_years(leap, -4) == datetime(2024, 2, 29, 9, 0, tzinfo=UTC)
