"""Time as the organisation lives it: Europe/Amsterdam, working days, Dutch public holidays.

Every moment the core handles is UTC; schedules are written and read in local time, so
"every Monday at 09:00" stays at nine o'clock across daylight saving changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from croniter import croniter

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# A cron expression that matches nothing on working days (say, only on 25 December
# with skip_holidays) must not loop for ever.
MAX_SKIPPED_OCCURRENCES = 1000


@cache
def _dutch_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year)


def is_holiday(day: date) -> bool:
    return day in _dutch_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def local(moment: datetime) -> datetime:
    return moment.astimezone(AMSTERDAM)


def days_between(first: date, last: date) -> tuple[datetime, datetime]:
    """[first day 00:00, the day after the last 00:00) in Amsterdam, as UTC: a period
    that people chose in days."""
    after = last + timedelta(days=1)
    start = datetime(first.year, first.month, first.day, tzinfo=AMSTERDAM)
    end = datetime(after.year, after.month, after.day, tzinfo=AMSTERDAM)
    return start.astimezone(UTC), end.astimezone(UTC)


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same local time ``days`` working days later; from a weekend or holiday the count
    starts at the next working day (a report on Saturday is due Tuesday, not Monday)."""
    current = local(moment)
    remaining = days
    while remaining > 0 or not is_working_day(current.date()):
        current = _same_time_next_day(current)
        if is_working_day(current.date()):
            remaining -= 1
    return current.astimezone(UTC)


def _same_time_next_day(moment: datetime) -> datetime:
    day = moment.date() + timedelta(days=1)
    naive = datetime.combine(day, moment.time().replace(tzinfo=None))
    return naive.replace(tzinfo=AMSTERDAM)


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months in local time, clipped to the month's last day (31 Jan + 1 = 28 Feb)."""
    current = local(moment)
    index = current.month - 1 + months
    year, month = current.year + index // 12, index % 12 + 1
    next_month = date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    moved = current.replace(tzinfo=None, year=year, month=month, day=min(current.day, last_day))
    return moved.replace(tzinfo=AMSTERDAM).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A cron expression read in Europe/Amsterdam, optionally only on working days."""

    cron: str
    skip_holidays: bool = False  # also skips weekends: "only on working days"

    def __post_init__(self) -> None:
        if not croniter.is_valid(self.cron):
            raise ValueError(f"{self.cron!r} is not a cron expression")

    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after ``moment``, in UTC."""
        times = croniter(self.cron, local(moment))
        for _ in range(MAX_SKIPPED_OCCURRENCES):
            candidate: datetime = times.get_next(datetime)
            if not self.skip_holidays or is_working_day(candidate.date()):
                return candidate.astimezone(UTC)
        raise ValueError(f"{self.cron!r} has no working-day occurrence in a long time")

    def last_until(self, moment: datetime, after: datetime) -> datetime | None:
        """The latest occurrence in (``after``, ``moment``]: the one a catch-up would send."""
        times = croniter(self.cron, local(moment) + timedelta(seconds=1))
        for _ in range(MAX_SKIPPED_OCCURRENCES):
            candidate: datetime = times.get_prev(datetime)
            if candidate <= after:
                return None
            if not self.skip_holidays or is_working_day(candidate.date()):
                return candidate.astimezone(UTC)
        return None


# Longer than any run of days off in the Netherlands (Christmas on a Friday: four).
LOOK_BACK = timedelta(days=10)


@dataclass(frozen=True, slots=True)
class NextWorkingDay(Schedule):
    """A cron expression in Europe/Amsterdam whose occurrences on a weekend or holiday
    move to the next working day; two that land on the same moment count once."""

    def next_after(self, moment: datetime) -> datetime:
        # An occurrence just before ``moment`` may have moved past it.
        times = croniter(self.cron, local(moment) - LOOK_BACK)
        for _ in range(MAX_SKIPPED_OCCURRENCES):
            moved = _moved(times.get_next(datetime))
            if moved > moment:
                return moved
        raise ValueError(f"{self.cron!r} has no occurrence after {moment}")

    def last_until(self, moment: datetime, after: datetime) -> datetime | None:
        times = croniter(self.cron, local(moment) + timedelta(seconds=1))
        for _ in range(MAX_SKIPPED_OCCURRENCES):
            candidate: datetime = times.get_prev(datetime)
            if candidate <= after - LOOK_BACK:
                return None
            moved = _moved(candidate)
            if moved <= moment:  # moving keeps the order: the first one back is the latest
                return moved if moved > after else None
        return None


def _moved(occurrence: datetime) -> datetime:
    return add_working_days(occurrence, 0).astimezone(UTC)
