"""The scheduler: fires due timers, each exactly once, and keeps recurring jobs planned.

A timer is claimed, handled and marked done in one transaction, with the row locked
(``FOR UPDATE SKIP LOCKED``): a second instance skips it, and an instance that dies
halfway leaves it to the next one untouched. Handlers only write (usually an outbox
row); nothing is sent from inside the transaction.

Catch-up rule for recurring jobs after downtime: at most one late occurrence per job,
the most recent one missed, and only while it is younger than the job's ``grace``;
older or superseded occurrences are recorded as skipped, never sent in a burst.
Timers about cases (paging, clocks, aftercare) are obligations: they fire however late.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.background import Loop
from bot.observability.logs import log_failure
from bot.observability.metrics import Metrics
from bot.ports import Storage, Transaction
from bot.schedule.calendar import Schedule
from bot.schedule.models import Timer

log = logging.getLogger(__name__)

TimerHandler = Callable[[Transaction, Timer, datetime], Awaitable[str]]
"""Does a due timer's work inside the scheduler's transaction; returns the outcome
(``sent``, or ``skipped: <why>``), which is recorded on the timer."""

SENT = "sent"


@dataclass(frozen=True, slots=True)
class RecurringJob:
    """A job with a schedule; each occurrence becomes a timer keyed ``job@moment``."""

    job: str
    kind: str
    schedule: Schedule
    grace: timedelta
    payload: dict[str, Any] = field(default_factory=dict)

    def key(self, moment: datetime) -> str:
        return f"{self.job}@{moment:%Y-%m-%dT%H:%M:%SZ}"


class Scheduler(Loop):
    def __init__(
        self,
        storage: Storage,
        clock: Callable[[], datetime],
        wake_outbox: Callable[[], None],
        interval: float,
        *,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__("meldbot-scheduler", retry_pause=interval)
        self._metrics = metrics or Metrics()
        self._storage = storage
        self._clock = clock
        self._wake_outbox = wake_outbox
        self._interval = interval
        self._handlers: dict[str, TimerHandler] = {}
        self._jobs: dict[str, RecurringJob] = {}

    def handle(self, kind: str, handler: TimerHandler) -> None:
        self._handlers[kind] = handler

    def add_jobs(self, jobs: Iterable[RecurringJob]) -> None:
        for job in jobs:
            self._jobs[job.job] = job

    async def step(self) -> float:
        await self.tick()
        return await self._pause()

    async def _pause(self) -> float:
        """Until the next timer is due, but never longer than the interval: another
        instance may have planned something sooner."""
        async with self._storage.transaction() as tx:
            due = await tx.timers.next_due()
        if due is None:
            return self._interval
        return max(0.0, min(self._interval, (due - self._clock()).total_seconds()))

    async def tick(self) -> int:
        """Plan every recurring job, then fire what is due; returns how many fired."""
        await self.plan()
        fired = 0
        while not self.stopping:
            batch = 0
            while not self.stopping and await self._fire_one():
                batch += 1
                self._wake_outbox()  # deliver while the next timer fires
            if not batch:
                return fired
            fired += batch
            await self.plan()  # fired occurrences make room for their next ones
        return fired

    async def plan(self) -> None:
        if not self._jobs:
            return
        now = self._clock()
        async with self._storage.transaction() as tx:
            latest = await tx.timers.latest_of(list(self._jobs))
            for job in self._jobs.values():
                await self._plan(tx, job, latest.get(job.job), now)

    async def _plan(
        self, tx: Transaction, job: RecurringJob, latest: Timer | None, now: datetime
    ) -> None:
        if latest is not None and latest.done_at is None:
            return  # its next occurrence is already waiting
        if latest is None:
            due = job.schedule.next_after(now)  # a new job does not backfill its past
        else:
            missed = job.schedule.last_until(now, after=latest.due_at)
            due = missed or job.schedule.next_after(latest.due_at)
        await tx.timers.set(job.kind, job.key(due), due, job=job.job, payload=job.payload)

    async def _fire_one(self) -> bool:
        """Claims one due timer and handles it in the same transaction."""
        now = self._clock()
        timer: Timer | None = None
        try:
            async with self._storage.transaction() as tx:
                claimed = await tx.timers.claim_due(now, 1)
                if not claimed:
                    return False
                timer = claimed[0]
                outcome = await self._outcome(tx, timer, now)
                await tx.timers.done(timer.id, now, outcome)
        except Exception:
            if timer is None:
                raise
            # Its transaction rolled back; end it in a new one so the others go on.
            log_failure(log, "timer %s #%s failed", timer.kind, timer.id)
            async with self._storage.transaction() as tx:
                await tx.timers.done(timer.id, now, "failed")
            self._fired(timer, "failed", now)
            return True
        self._fired(timer, outcome, now)
        log.info("timer %s #%s: %s", timer.kind, timer.id, outcome)
        return True

    def _fired(self, timer: Timer, outcome: str, now: datetime) -> None:
        self._metrics.timer_fired(timer.kind, outcome, (now - timer.due_at).total_seconds())

    async def _outcome(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        job = self._jobs.get(timer.job or "")
        if timer.job is not None and job is None and timer.case_id is None:
            return "skipped: no longer configured"
        if job is not None:
            later = job.schedule.last_until(now, after=timer.due_at)
            if later is not None:
                return "skipped: superseded"
            if now - timer.due_at > job.grace:
                return "skipped: too late"
        handler = self._handlers.get(timer.kind)
        if handler is None:
            return "skipped: nothing handles it"
        return await handler(tx, timer, now)
