"""What /metrics and /readyz ask of the database: one cheap query, and a round trip."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, false, func, literal, null, select, text, union_all
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.observability.metrics import Backlog, Snapshot
from storage.models import CaseRow, OutboxRow, TimerRow, UtcDateTime


class Observed:
    """Implements ``bot.ports.readiness.Observed``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def ping(self) -> None:
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def snapshot(self, now: datetime) -> Snapshot:
        """The outbox backlog, the cases per status and the due timers, in one query:
        grouped counts only, no row and nothing sealed is read."""
        waiting = (
            select(
                literal("outbox", String).label("what"),
                OutboxRow.kind.label("name"),
                func.count().label("n"),
                func.min(OutboxRow.created_at).label("oldest"),
            )
            .where(OutboxRow.sent_at.is_(None), OutboxRow.abandoned == false())
            .group_by(OutboxRow.kind)
        )
        cases = select(
            literal("case", String),
            CaseRow.status,
            func.count(),
            cast(null(), UtcDateTime()),
        ).group_by(CaseRow.status)
        due = (
            select(literal("timer", String), TimerRow.kind, func.count(), func.min(TimerRow.due_at))
            .where(TimerRow.done_at.is_(None), TimerRow.due_at <= now)
            .group_by(TimerRow.kind)
        )
        snapshot = Snapshot(now)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(union_all(waiting, cases, due))).all()
        for what, name, count, oldest in rows:
            if what == "outbox":
                snapshot.backlog[name] = Backlog(count, oldest)
            elif what == "case":
                snapshot.cases[name] = count
            else:
                snapshot.timers_due[name] = Backlog(count, oldest)
        return snapshot
