"""What the configuration file schedules: awareness reminders, results, trends, welcomes."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from bot.events import Platform
from bot.schedule.calendar import NextWorkingDay, Schedule

QUARTERLY = "0 9 1 1,4,7,10 *"  # 09:00 on the first day of each quarter
MONTHLY = "0 9 1 * *"


def _valid_cron(value: str) -> str:
    Schedule(value)  # raises ValueError with the expression in the message
    return value


class ChannelPost(BaseModel):
    """A recurring post to one team or management channel."""

    platform: Platform
    channel: str = Field(min_length=1, max_length=200)
    schedule: str
    skip_holidays: bool = False

    _cron = field_validator("schedule")(_valid_cron)

    @property
    def timing(self) -> Schedule:
        return Schedule(self.schedule, self.skip_holidays)

    @property
    def job(self) -> str:
        """The scheduler's name for it: a changed schedule or channel is a new job."""
        return f"{self.platform}:{self.channel}:{self.schedule}:{int(self.skip_holidays)}"


class Reminder(ChannelPost):
    """``[[reminders]]``: a short awareness message, a different one each time."""


class PeriodicReport(ChannelPost):
    """A report that must not be lost to a day off: with ``skip_holidays`` an occurrence
    on a weekend or holiday moves to the next working day instead of being dropped
    (``0 9 1 * *`` would otherwise lose every January)."""

    skip_holidays: bool = True

    @property
    def timing(self) -> Schedule:
        return NextWorkingDay(self.schedule) if self.skip_holidays else Schedule(self.schedule)


class ResultsPost(PeriodicReport):
    """``[results]``: what became of the reports, for the team (aggregates only)."""

    schedule: str = QUARTERLY


class TrendReport(PeriodicReport):
    """``[trends]``: counts and a chart for management, never individuals."""

    schedule: str = MONTHLY


class OnboardingChannel(BaseModel):
    """A team or channel whose newcomers get one welcome with the reporting route.

    ``channel`` is a Slack channel id (or ``"*"`` for everyone joining the workspace),
    a Teams team id, or a web chat team name.
    """

    platform: Platform
    channel: str = Field(min_length=1, max_length=200)
