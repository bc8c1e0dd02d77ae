"""Short-lived states behind a random token: a sign-in under way, a form kept while its
person signs in again.

The token goes to the browser (in a cookie); the state is sealed in the core's dialog
states under a hash of the token, so the database alone cannot be used to pick one up.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.ports import Storage


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


@dataclass(slots=True)
class Pending:
    storage: Storage
    clock: Callable[[], datetime]

    @staticmethod
    def _key(kind: str, token: str) -> str:
        return f"{kind}:{token_hash(token)}"

    async def put(self, kind: str, state: dict[str, Any], ttl: timedelta) -> str:
        token = new_token()
        async with self.storage.transaction() as tx:
            await tx.dialogs.put(self._key(kind, token), state, self.clock() + ttl)
        return token

    async def peek(self, kind: str, token: str) -> dict[str, Any] | None:
        """The state, left in place."""
        if not token or len(token) > 200:
            return None
        async with self.storage.transaction() as tx:
            return await tx.dialogs.get(self._key(kind, token), self.clock())

    async def take(self, kind: str, token: str) -> dict[str, Any] | None:
        """The state, once: taking it deletes it."""
        if not token or len(token) > 200:
            return None
        key = self._key(kind, token)
        async with self.storage.transaction() as tx:
            state = await tx.dialogs.get(key, self.clock())
            await tx.dialogs.delete(key)
        return state
