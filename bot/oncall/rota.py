"""The on-call rota from the configuration: a weekly rotation or a dated list, with a backup."""

from __future__ import annotations

from datetime import date, datetime, time

from pydantic import BaseModel, Field

from bot.events import Platform


class OnCallPerson(BaseModel):
    """A coordinator on the rota, by platform user id; the name is for the thread."""

    id: str = Field(min_length=1, max_length=100)
    name: str | None = None


class Shift(BaseModel):
    """From ``start`` (local time) until the next shift, ``person`` is on call."""

    start: datetime | date
    person: OnCallPerson


class OnCallRota(BaseModel):
    """``[oncall]``. Dated ``shifts`` win where they cover a moment; otherwise the weekly
    ``rotation`` hands over every ``handover_weekday`` at ``handover_time`` (local time),
    counting from ``rotation_start``."""

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
