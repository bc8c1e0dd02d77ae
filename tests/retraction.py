"""Helpers for tests of retraction (and of the retention purge that uses it): take down
what meldbot posted about a case, deliver the outbox until every retraction is done or
given up, and read what the outbox holds for them.

    assert await retract(runtime.database, case.id) == 3
    await deliver_retractions(runtime, clock)
    assert all(row.sent_at for row in await retractions(runtime.database))
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from bot.app import Runtime
from bot.events import MessageRef
from bot.retraction.models import RETRACT
from storage.database import Database
from storage.models import OutboxRow


class MovableClock(Protocol):
    """What ``deliver_retractions`` needs of a test clock (tests.core.conftest.Clock)."""

    now: datetime

    def __call__(self) -> datetime: ...


async def retract(database: Database, case_id: int) -> int:
    """``tx.posts.retract_case`` in a transaction of its own, as the purge calls it."""
    async with database.transaction() as tx:
        return await tx.posts.retract_case(case_id)


async def posts_of(database: Database, case_id: int) -> list[MessageRef]:
    async with database.transaction() as tx:
        return await tx.posts.of_case(case_id)


async def retractions(database: Database) -> list[OutboxRow]:
    """The outbox's retraction rows, oldest first."""
    async with database.transaction() as tx:
        rows = await tx.session.scalars(
            select(OutboxRow).where(OutboxRow.kind == RETRACT).order_by(OutboxRow.id)
        )
        return list(rows)


async def deliver_retractions(runtime: Runtime, clock: MovableClock, *, rounds: int = 10) -> None:
    """Deliver now, then move the clock to each retry the outbox planned, until every
    retraction was delivered or given up (at most ``rounds`` waits)."""
    await runtime.outbox.settle()
    for _ in range(rounds):
        waiting = [
            row.next_attempt_at
            for row in await retractions(runtime.database)
            if row.sent_at is None and not row.abandoned
        ]
        if not waiting:
            return
        clock.now = max(clock.now, min(waiting))
        await runtime.outbox.settle()
    raise AssertionError(f"retractions still waiting after {rounds} retries")
