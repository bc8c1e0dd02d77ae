"""The audit log: written and read, never updated or deleted (no method here does either,
and migration 0009 puts a trigger on PostgreSQL that refuses it)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.audit.models import AuditEntry
from storage.models import AuditRow
from storage.sealing import Sealer
from storage.search_index import Hashes

DETAIL_MAX = 200

# SQLite's update trigger as migration 0016 made it (``meldbot seal rotate`` drops it for
# one transaction to seal the actors anew, and makes it again).
APPEND_ONLY_SQLITE_UPDATE = """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT ((NEW.case_id IS NULL OR NEW.case_id = OLD.case_id)
        AND (NEW.consultation_id IS NULL OR NEW.consultation_id = OLD.consultation_id)
        AND NEW.id = OLD.id AND NEW.reference IS OLD.reference
        AND NEW.actor_hash IS OLD.actor_hash AND NEW.actor_sealed IS OLD.actor_sealed
        AND NEW.actor_name_sealed IS OLD.actor_name_sealed AND NEW.action IS OLD.action
        AND NEW.detail IS OLD.detail AND NEW.at IS OLD.at)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END"""


class SqlAuditLog:
    """The actor is sealed, and hashed for finding a person's entries (``of_actor``)."""

    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    async def record(
        self,
        actor: str,
        action: str,
        now: datetime,
        *,
        actor_name: str | None = None,
        case_id: int | None = None,
        reference: str | None = None,
        consultation_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        self._session.add(
            AuditRow(
                case_id=case_id,
                reference=reference,
                consultation_id=consultation_id,
                actor_hash=self._hashes.person(actor),
                actor_sealed=self._sealer.seal(actor),
                actor_name_sealed=self._sealer.seal(actor_name),
                action=action,
                detail=detail[:DETAIL_MAX] if detail else None,
                at=now,
            )
        )
        await self._session.flush()

    async def of_case(self, reference: str) -> list[AuditEntry]:
        return await self._entries(AuditRow.reference == reference)

    async def of_actor(self, key: str) -> list[AuditEntry]:
        """What one person (``slack:U1``, ``console:…``, ``cli``) did or read."""
        return await self._entries(AuditRow.actor_hash.in_(self._hashes.people(key)))

    async def between(self, start: datetime, end: datetime) -> list[AuditEntry]:
        return await self._entries(AuditRow.at >= start, AuditRow.at < end)

    async def _entries(self, *where: ColumnElement[bool]) -> list[AuditEntry]:
        rows = await self._session.scalars(select(AuditRow).where(*where).order_by(AuditRow.id))
        unseal = self._sealer.unseal
        return [
            AuditEntry(
                id=row.id,
                at=row.at,
                actor=unseal(row.actor_sealed) or "",
                actor_name=unseal(row.actor_name_sealed),
                action=row.action,
                case_id=row.case_id,
                reference=row.reference,
                consultation_id=row.consultation_id,
                detail=row.detail,
            )
            for row in rows
        ]
