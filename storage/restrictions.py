"""Who a restricted case is for: a keyed hash per person for the lists, the key sealed."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CaseRestrictionRow, CaseRow
from storage.sealing import Sealer
from storage.search_index import Hashes


class Restrictions:
    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    async def of(self, case_id: int) -> frozenset[str]:
        sealed = await self._session.scalars(
            select(CaseRestrictionRow.person_sealed).where(CaseRestrictionRow.case_id == case_id)
        )
        return frozenset(self._sealer.unseal(token) or "" for token in sealed)

    async def set(self, case_id: int, keys: frozenset[str]) -> None:
        await self._session.execute(
            delete(CaseRestrictionRow).where(CaseRestrictionRow.case_id == case_id)
        )
        for key in sorted(keys):
            self._session.add(
                CaseRestrictionRow(
                    case_id=case_id,
                    person=self._hashes.person(key),
                    person_sealed=self._sealer.seal(key),
                )
            )
        await self._session.execute(
            update(CaseRow).where(CaseRow.id == case_id).values(restricted=bool(keys))
        )
        await self._session.flush()

    async def rehash(self, case_id: int) -> None:
        """The hashes anew from the sealed keys (after the key changed)."""
        await self.set(case_id, await self.of(case_id))
