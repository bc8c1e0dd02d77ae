"""Dialog state: short-lived conversation state, sealed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DialogStateRow
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
