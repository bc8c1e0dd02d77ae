"""The on-call rota from the configuration: a weekly rotation or a dated list, with a backup.

Every moment in the rota is read in Europe/Amsterdam: "Monday 09:00" stays at nine
o'clock across daylight saving changes, and a week is a calendar week, not 168 hours.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated, Self

from pydantic import BaseModel, BeforeValidator, Field, model_validator

from bot.events import Platform
from bot.schedule.calendar import AMSTERDAM, local

WEEK = 7


def _moment(value: object) -> object:
    """``2026-12-21`` is a day and ``2026-12-21T00:00`` a moment, also from the environment
    (pydantic alone would read the second as a day)."""
    if isinstance(value, str):
        text = value.strip()
        return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
    return value


Moment = Annotated[datetime | date, BeforeValidator(_moment)]
"""A local date and time; a date alone means that day at the rota's handover time."""


class OnCallPerson(BaseModel):
    """A coordinator on the rota, by platform user id; the name is for the thread."""

    id: str = Field(min_length=1, max_length=100)
    name: str | None = None

    @property
    def shown(self) -> str:
        return self.name or self.id


class Shift(BaseModel):
    """From ``start`` until ``end`` (or, without one, until the next shift starts),
    ``person`` is on call. The last shift without an end lasts until further notice."""

    start: Moment
    end: Moment | None = None
    person: OnCallPerson


class OnCallRota(BaseModel):
    """``[oncall]``. Dated ``shifts`` win where they cover a moment; otherwise the weekly
    ``rotation`` hands over every ``handover_weekday`` at ``handover_time`` (local time),
    counting whole weeks from ``rotation_start``, which falls on that weekday."""

    platform: Platform | None = None  # default: the platform cases are coordinated on
    rotation: list[OnCallPerson] = []
    rotation_start: date = date(2026, 1, 5)
    handover_weekday: int = Field(default=0, ge=0, le=6)  # Monday
    handover_time: time = time(9, 0)
    shifts: list[Shift] = []
    backup: OnCallPerson | None = None
    escalate_after_minutes: int = Field(default=30, ge=1)

    @property
    def configured(self) -> bool:
        return bool(self.rotation or self.shifts)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.handover_time.tzinfo is not None:
            raise ValueError("handover_time is local time (Europe/Amsterdam): leave out the zone")
        if self.rotation and self.rotation_start.weekday() != self.handover_weekday:
            raise ValueError(
                f"rotation_start {self.rotation_start} is not on handover_weekday "
                f"{self.handover_weekday} (0 is Monday)"
            )
        for index, shift in enumerate(self.shifts):
            following = self.shifts[index + 1] if index + 1 < len(self.shifts) else None
            start = self.moment(shift.start)
            end = self.moment(shift.end) if shift.end is not None else None
            if end is not None and end <= start:
                raise ValueError(f"the shift starting {shift.start} ends before it starts")
            if following is None:
                continue
            next_start = self.moment(following.start)
            if next_start <= start:
                raise ValueError(f"shifts must be in order: {following.start} after {shift.start}")
            if end is not None and end > next_start:
                raise ValueError(f"the shift starting {shift.start} overlaps the next one")
        return self

    def moment(self, value: datetime | date) -> datetime:
        """A configured moment as an aware datetime: a bare date is that day's handover."""
        if not isinstance(value, datetime):
            value = datetime.combine(value, self.handover_time)
        if value.tzinfo is None:
            value = value.replace(tzinfo=AMSTERDAM)
        return value

    def who_is_on_call(self, at: datetime) -> OnCallPerson | None:
        """Who is on call at ``at`` (an aware moment); None when the rota names nobody."""
        shift = self._shift_at(at)
        if shift is not None:
            return shift.person
        if not self.rotation:
            return None
        return self.rotation[self._weeks_since_start(at) % len(self.rotation)]

    def _shift_at(self, at: datetime) -> Shift | None:
        covering = None
        for shift in self.shifts:
            if self.moment(shift.start) > at:
                break
            covering = shift
        if covering is None or covering.end is None:
            return covering
        return covering if at < self.moment(covering.end) else None

    def _weeks_since_start(self, at: datetime) -> int:
        """Whole weeks between the first handover and the last one at or before ``at``,
        counted on the local calendar so a week with a clock change is still one week."""
        now = local(at)
        handover_day = now.date() - timedelta(days=(now.weekday() - self.handover_weekday) % WEEK)
        if handover_day == now.date() and now.time() < self.handover_time:
            handover_day -= timedelta(days=WEEK)
        return (handover_day - self.rotation_start).days // WEEK
