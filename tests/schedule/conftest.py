"""A bare scheduler on a real database, with a recording handler and a controlled clock."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ports import Transaction
from bot.schedule.calendar import Schedule
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, RecurringJob, Scheduler
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from tests.core.conftest import Clock

KIND = "test.post"


@dataclass
class Recorder:
    """The timers a handler saw, in order; ``fail`` makes the next ones raise."""

    fired: list[Timer] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)

    async def __call__(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        if timer.key in self.fail:
            raise RuntimeError("the handler broke")
        self.fired.append(timer)
        return SENT

    def moments(self) -> list[datetime]:
        return [timer.due_at for timer in self.fired]


def job(
    cron: str, *, skip_holidays: bool = False, grace: float = 3600, name: str = "j"
) -> RecurringJob:
    return RecurringJob(name, KIND, Schedule(cron, skip_holidays), timedelta(seconds=grace))


@dataclass
class Setup:
    database: Database
    clock: Clock
    recorder: Recorder
    new: Callable[..., Scheduler]


@pytest.fixture
async def setup(database_url: str, tmp_path: Path) -> AsyncIterator[Setup]:
    clock = Clock()
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 in Amsterdam
    database = Database(database_url, Sealer(new_key()), clock)
    await upgrade(database.engine)
    recorder = Recorder()

    def new(*jobs: RecurringJob) -> Scheduler:
        scheduler = Scheduler(database, clock, lambda: None, interval=1.0)
        scheduler.handle(KIND, recorder)
        scheduler.add_jobs(jobs)
        return scheduler

    yield Setup(database, clock, recorder, new)
    await database.close()
