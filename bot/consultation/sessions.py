"""Short sessions after a code was given: a random token stands for the receipt.

The buttons and forms that follow carry the token, so the code itself travels only
once. The state is keyed by the token alone (never by who pressed), expires soon and
is deleted when the colleague's step is done.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.ports import Storage

SESSION_TTL = timedelta(minutes=30)


@dataclass(slots=True)
class ReceiptSessions:
    storage: Storage
    clock: Callable[[], datetime]

    @staticmethod
    def _key(token: str) -> str:
        return f"receipt:{token}"

    async def open(self, receipt_id: int) -> str:
        token = secrets.token_urlsafe(16)
        async with self.storage.transaction() as tx:
            await tx.dialogs.put(
                self._key(token), {"receipt": receipt_id}, self.clock() + SESSION_TTL
            )
        return token

    async def receipt_of(self, token: str) -> int | None:
        if not token:
            return None
        async with self.storage.transaction() as tx:
            state = await tx.dialogs.get(self._key(token), self.clock())
        return int(state["receipt"]) if state else None

    async def end(self, token: str) -> None:
        async with self.storage.transaction() as tx:
            await tx.dialogs.delete(self._key(token))
