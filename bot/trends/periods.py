"""Reporting periods: calendar months and quarters in Europe/Amsterdam, as UTC bounds.

A case counts in the month it was reported, in local time: one reported at 00:30 on
1 November (23:30 UTC on 31 October) is November's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.schedule.calendar import AMSTERDAM, local


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in UTC, from local month boundaries; ``first`` and ``last`` months."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return month_start(self.first)

    @property
    def end(self) -> datetime:
        return month_start(add_months(self.last, 1))

    def months(self) -> list[date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month
        return [add_months(self.first, n) for n in range(count + 1)]


def month_start(month: date) -> datetime:
    """Midnight on the first of ``month`` in Amsterdam, in UTC."""
    return datetime(month.year, month.month, 1, tzinfo=AMSTERDAM).astimezone(UTC)


def add_months(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(moment: datetime) -> date:
    day = local(moment).date()
    return date(day.year, day.month, 1)


def previous_month(moment: datetime) -> Period:
    """The calendar month before the one ``moment`` falls in (the report of 1 December
    covers November, and so does one moved to 2 December)."""
    month = add_months(month_of(moment), -1)
    return Period(month, month)


def previous_quarter(moment: datetime) -> Period:
    this = month_of(moment)
    first_of_this = date(this.year, (this.month - 1) // 3 * 3 + 1, 1)
    first = add_months(first_of_this, -3)
    return Period(first, add_months(first, 2))


def trailing_months(last: date, count: int = 12) -> Period:
    return Period(add_months(last, 1 - count), last)
