"""Dialog state: short-lived conversation state, sealed, found by a keyed hash of its key."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import DialogStateRow
from storage.sealing import Sealer
from storage.search_index import Hashes
from storage.upsert import insert_for

STATES = DialogStateRow.metadata.tables[DialogStateRow.__tablename__]
# Built once, like ``_put``: each call only brings the hashes.
_GET = select(STATES.c.key_hash, STATES.c.state_sealed, STATES.c.expires_at).where(
    STATES.c.key_hash.in_(bindparam("hashes", expanding=True))
)


@functools.cache
def _put(dialect: str) -> Any:
    """The upsert of one state, built once: its parameters come with each call, so
    SQLAlchemy compiles it once and each call skips the ORM's insert handling."""
    statement = insert_for(dialect)(STATES)
    replaced = ("key_sealed", "state_sealed", "expires_at")
    return statement.on_conflict_do_update(
        index_elements=["key_hash"], set_={name: statement.excluded[name] for name in replaced}
    )


class SqlDialogStates:
    """Conversation state, sealed: a draft report holds the narrative. The key names a
    person (``draft:slack:U1``), so it is stored as a keyed hash, and sealed for rehashing."""

    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    async def get(self, key: str, now: datetime) -> dict[str, Any] | None:
        return (await self.get_many([key], now))[key]

    async def get_many(
        self, keys: Sequence[str], now: datetime
    ) -> dict[str, dict[str, Any] | None]:
        """Each key's state (None: none, or expired), in one round trip."""
        return (await self.get_each([(keys, now)]))[0]

    async def get_each(
        self, asked: Sequence[tuple[Sequence[str], datetime]]
    ) -> list[dict[str, dict[str, Any] | None]]:
        """``get_many`` for several callers at once, each at its own moment: one round trip."""
        hashes = {key: self._hashes.dialogs(key) for keys, _now in asked for key in keys}
        wanted = [one for under in hashes.values() for one in under]
        rows = {row.key_hash: row for row in await self._session.execute(_GET, {"hashes": wanted})}
        answers = []
        for keys, now in asked:
            states: dict[str, dict[str, Any] | None] = {}
            for key in keys:
                # Under every configured key, the first first: a state from before a
                # rotation counts.
                row = next((rows[one] for one in hashes[key] if one in rows), None)
                if row is not None and row.expires_at > now:
                    states[key] = self._sealer.unseal_json(row.state_sealed)
                else:
                    states[key] = None
            answers.append(states)
        return answers

    async def put(self, key: str, state: dict[str, Any], expires: datetime) -> None:
        await self.put_each([(key, state, expires)])

    async def put_each(self, states: Sequence[tuple[str, dict[str, Any], datetime]]) -> None:
        """Several ``put``s in two statements; of one key's, the last is kept."""
        rows: dict[str, dict[str, Any]] = {}
        older: list[str] = []
        for key, state, expires in states:
            newest, *before = self._hashes.dialogs(key)
            older += before
            rows[newest] = {
                "key_hash": newest,
                "key_sealed": self._sealer.seal(key),
                "state_sealed": self._sealer.seal_json(state),
                "expires_at": expires,
            }
        if older:
            await self._session.execute(
                delete(DialogStateRow).where(DialogStateRow.key_hash.in_(older))
            )
        await self._session.execute(
            _put(self._session.get_bind().dialect.name), list(rows.values())
        )

    async def delete(self, key: str) -> None:
        await self._session.execute(
            delete(DialogStateRow).where(DialogStateRow.key_hash.in_(self._hashes.dialogs(key)))
        )

    async def purge_expired(self, now: datetime) -> int:
        result = await self._session.execute(
            delete(DialogStateRow).where(DialogStateRow.expires_at <= now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
