"""The timers table: durable due work, claimed with row locks so instances never share one."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.schedule.models import Timer
from storage.models import TimerRow
from storage.sealing import Sealer


class SqlTimers:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def set(
        self,
        kind: str,
        key: str,
        due_at: datetime,
        *,
        job: str | None = None,
        case_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Timer | None:
        existing = await self._session.scalar(select(TimerRow.id).where(TimerRow.key == key))
        if existing is not None:
            return None
        row = TimerRow(
            kind=kind,
            key=key,
            job=job,
            case_id=case_id,
            payload_sealed=self._sealer.seal_json(payload) if payload else None,
            due_at=due_at,
        )
        try:
            # A savepoint: another instance setting the same key at the same moment makes
            # the unique constraint fail here, without spoiling the rest of the transaction.
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError:
            return None
        return self._to_timer(row)

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        rows = await self._session.scalars(
            select(TimerRow)
            .where(TimerRow.done_at.is_(None), TimerRow.due_at <= now)
            .order_by(TimerRow.due_at, TimerRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [self._to_timer(row) for row in rows]

    async def done(self, timer_id: int, now: datetime, outcome: str) -> None:
        await self._session.execute(
            update(TimerRow)
            # Once only: a timer another instance finished keeps its outcome.
            .where(TimerRow.id == timer_id, TimerRow.done_at.is_(None))
            .values(done_at=now, outcome=outcome[:100])
        )

    async def get(self, timer_id: int) -> Timer | None:
        row = await self._session.get(TimerRow, timer_id)
        return self._to_timer(row) if row else None

    async def clear_payload(self, timer_id: int) -> None:
        await self._session.execute(
            update(TimerRow).where(TimerRow.id == timer_id).values(payload_sealed=None)
        )

    async def cancel(self, key_prefix: str, now: datetime) -> int:
        result = await self._session.execute(
            update(TimerRow)
            .where(TimerRow.done_at.is_(None), TimerRow.key.startswith(key_prefix, autoescape=True))
            .values(done_at=now, outcome="cancelled", payload_sealed=None)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def latest(self, job: str) -> Timer | None:
        row = await self._session.scalar(
            select(TimerRow)
            .where(TimerRow.job == job)
            .order_by(TimerRow.due_at.desc(), TimerRow.id.desc())
            .limit(1)
        )
        return self._to_timer(row) if row else None

    async def latest_of(self, jobs: list[str]) -> dict[str, Timer]:
        newest = (
            select(TimerRow.job, func.max(TimerRow.due_at).label("due_at"))
            .where(TimerRow.job.in_(jobs))
            .group_by(TimerRow.job)
            .subquery()
        )
        rows = await self._session.scalars(
            select(TimerRow)
            .join(newest, and_(TimerRow.job == newest.c.job, TimerRow.due_at == newest.c.due_at))
            .order_by(TimerRow.id)
        )
        return {row.job: self._to_timer(row) for row in rows if row.job is not None}

    async def count(self, job: str, outcome: str, *, due_until: datetime | None = None) -> int:
        query = select(func.count()).where(TimerRow.job == job, TimerRow.outcome == outcome)
        if due_until is not None:
            query = query.where(TimerRow.due_at <= due_until)
        total = await self._session.scalar(query)
        return int(total or 0)

    async def next_due(self) -> datetime | None:
        earliest = await self._session.scalar(
            select(func.min(TimerRow.due_at)).where(TimerRow.done_at.is_(None))
        )
        if earliest is not None and earliest.tzinfo is None:  # SQLite keeps no zone
            earliest = earliest.replace(tzinfo=UTC)
        return earliest

    def _to_timer(self, row: TimerRow) -> Timer:
        payload = self._sealer.unseal_json(row.payload_sealed) if row.payload_sealed else {}
        return Timer(
            id=row.id,
            kind=row.kind,
            key=row.key,
            due_at=row.due_at,
            job=row.job,
            case_id=row.case_id,
            payload=payload,
            done_at=row.done_at,
            outcome=row.outcome,
        )
