"""The outbox: messages recorded in the same transaction as the change they announce."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from bot.ports import Notification
from storage.models import OutboxRow
from storage.sealing import Sealer


class SqlOutbox:
    def __init__(self, session: AsyncSession, now: datetime, sealer: Sealer) -> None:
        self._session = session
        self._now = now
        self._sealer = sealer

    @property
    def now(self) -> datetime:
        """The transaction's moment, which every row it enqueues is stamped with."""
        return self._now

    async def enqueue(
        self,
        kind: str,
        *,
        case_id: int | None = None,
        event_id: int | None = None,
        consultation_id: int | None = None,
        entry_id: int | None = None,
        timer_id: int | None = None,
        payload: dict[str, Any] | None = None,
        attachment_id: int | None = None,
    ) -> None:
        self._session.add(
            OutboxRow(
                kind=kind,
                case_id=case_id,
                event_id=event_id,
                consultation_id=consultation_id,
                entry_id=entry_id,
                timer_id=timer_id,
                payload_sealed=self._sealer.seal_json(payload) if payload is not None else None,
                attachment_id=attachment_id,
                next_attempt_at=self._now,
                created_at=self._now,
            )
        )
        await self._session.flush()

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Notification]:
        earlier = aliased(OutboxRow)
        unsent_before = (
            select(earlier.id)
            .where(
                # One at a time per case and per consultation, in the order recorded.
                or_(
                    earlier.case_id == OutboxRow.case_id,
                    earlier.consultation_id == OutboxRow.consultation_id,
                ),
                earlier.id < OutboxRow.id,
                earlier.sent_at.is_(None),
                earlier.abandoned.is_(False),
            )
            .exists()
        )
        # SKIP LOCKED lets several instances share one PostgreSQL outbox (SQLite
        # serialises writers and ignores it); the lease is the claim itself.
        rows = list(
            await self._session.scalars(
                select(OutboxRow)
                .where(
                    OutboxRow.sent_at.is_(None),
                    OutboxRow.abandoned.is_(False),
                    OutboxRow.next_attempt_at <= now,
                    ~unsent_before,
                )
                .order_by(OutboxRow.id)
                .limit(limit)
                .with_for_update(skip_locked=True, of=OutboxRow)
            )
        )
        in_doubt = {row.id for row in rows if row.claims > row.attempts}
        for row in rows:
            row.next_attempt_at = lease_until
            row.claims += 1
        await self._session.flush()
        return [
            Notification(
                row.id,
                row.kind,
                row.case_id,
                row.event_id,
                row.attempts,
                consultation_id=row.consultation_id,
                entry_id=row.entry_id,
                timer_id=row.timer_id,
                in_doubt=row.id in in_doubt,
                payload=self._sealer.unseal_json(row.payload_sealed)
                if row.payload_sealed
                else None,
                attachment_id=row.attachment_id,
            )
            for row in rows
        ]

    async def delivered(self, notification_id: int, now: datetime) -> None:
        await self._session.execute(
            update(OutboxRow)
            .where(OutboxRow.id == notification_id)
            # What a payload carried (a receipt code, where to reach someone) is only
            # needed until it is delivered.
            .values(
                sent_at=now, attempts=OutboxRow.attempts + 1, last_error=None, payload_sealed=None
            )
        )

    async def failed(self, notification_id: int, error: str, retry_at: datetime | None) -> None:
        values: dict[str, object] = {
            "attempts": OutboxRow.attempts + 1,
            "last_error": error[:500],
        }
        if retry_at is None:
            values["abandoned"] = True
            values["payload_sealed"] = None
        else:
            values["next_attempt_at"] = retry_at
        await self._session.execute(
            update(OutboxRow).where(OutboxRow.id == notification_id).values(**values)
        )
