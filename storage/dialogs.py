"""Dialog state and the audit log: small repositories beside the cases."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditRow, DialogStateRow
from storage.sealing import Sealer


class SqlDialogStates:
    """Conversation state, sealed: a draft report holds the narrative."""

    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def get(self, key: str, now: datetime) -> dict[str, Any] | None:
        row = await self._session.get(DialogStateRow, key)
        if row is None or row.expires_at <= now:
            return None
        return self._sealer.unseal_json(row.state_sealed)

    async def put(self, key: str, state: dict[str, Any], expires: datetime) -> None:
        await self._session.merge(
            DialogStateRow(key=key, state_sealed=self._sealer.seal_json(state), expires_at=expires)
        )
        await self._session.flush()

    async def delete(self, key: str) -> None:
        await self._session.execute(delete(DialogStateRow).where(DialogStateRow.key == key))

    async def purge_expired(self, now: datetime) -> int:
        result = await self._session.execute(
            delete(DialogStateRow).where(DialogStateRow.expires_at <= now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlAuditLog:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def record(
        self,
        actor: str,
        action: str,
        now: datetime,
        *,
        case_id: int | None = None,
        consultation_id: int | None = None,
    ) -> None:
        self._session.add(
            AuditRow(
                case_id=case_id,
                consultation_id=consultation_id,
                actor=actor,
                action=action,
                at=now,
            )
        )
        await self._session.flush()
