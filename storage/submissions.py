"""The submission ledger: each form submission's key, kept as a keyed hash (the key names
a platform's view, card or form token), with what it produced. Written in the transaction
that stores what the form made, so a crash cannot keep the one without the other."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.submission.models import Produced, Submitted
from storage.models import SubmissionRow
from storage.search_index import Hashes
from storage.upsert import upsert

ANONYMOUS = [kind.value for kind in Produced if kind.anonymous]


class SqlSubmissionLedger:
    """Implements ``bot.ports.SubmissionLedger``."""

    def __init__(self, session: AsyncSession, hashes: Hashes) -> None:
        self._session = session
        self._hashes = hashes

    async def find(self, key: str) -> Submitted | None:
        row = await self._session.scalar(
            select(SubmissionRow).where(SubmissionRow.key_hash.in_(self._hashes.submissions(key)))
        )
        return None if row is None else Submitted(Produced(row.kind), row.target_id)

    async def claim(self, key: str, kind: Produced, now: datetime) -> Submitted | None:
        earlier = await self.find(key)
        if earlier is not None:
            return earlier
        # The primary key decides between two submissions at once: PostgreSQL makes the
        # second insert wait until the first transaction ends (SQLite lets one write at a
        # time), and then it inserts nothing if the first committed.
        values = {"key_hash": self._hashes.submission(key), "kind": kind.value, "created_at": now}
        result = await self._session.execute(
            upsert(self._session)(SubmissionRow).values(**values).on_conflict_do_nothing()
        )
        if result.rowcount:  # type: ignore[attr-defined]
            return None
        return await self.find(key) or Submitted(kind, None)

    async def produced(self, key: str, target: int) -> None:
        await self._session.execute(
            update(SubmissionRow)
            .where(SubmissionRow.key_hash == self._hashes.submission(key))
            .values(target_id=target)
        )

    async def forget(self, before: datetime, anonymous_before: datetime) -> int:
        old = SubmissionRow.created_at < before
        brief = SubmissionRow.created_at < anonymous_before
        anonymous = SubmissionRow.kind.in_(ANONYMOUS) & brief
        result = await self._session.execute(delete(SubmissionRow).where(or_(old, anonymous)))
        return int(result.rowcount)  # type: ignore[attr-defined]
