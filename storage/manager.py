"""The invitation repository: managers invited into a case, found by a keyed hash."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.manager.models import Answer, Invitation, Invitee
from storage.models import ManagerInvitationRow
from storage.sealing import Sealer
from storage.search_index import Hashes


def _normal(key: str) -> str:
    """An e-mail address is the same address in any case; a platform id is not."""
    kind, _, ident = key.partition(":")
    return f"{kind}:{ident.lower()}" if kind == "email" else key


def manager_hashed(key: str) -> str:
    """What of a manager's key is hashed (``meldbot seal rotate`` rehashes it the same)."""
    return f"manager:{_normal(key)}"


class SqlInvitationRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    def _hash(self, key: str) -> str:
        return self._hashes.person(manager_hashed(key))

    def _hashes_of(self, keys: Collection[str]) -> list[str]:
        """Under every configured key: an invitation from before a rotation is found."""
        return sorted({one for key in keys for one in self._hashes.people(manager_hashed(key))})

    async def add(
        self,
        case_id: int,
        measure_id: int,
        manager: Invitee,
        shared: str,
        invited_by: str,
        now: datetime,
    ) -> Invitation:
        seal = self._sealer.seal
        row = ManagerInvitationRow(
            case_id=case_id,
            measure_id=measure_id,
            manager_hash=self._hash(manager.key),
            manager_sealed=seal(manager.key),
            manager_name_sealed=seal(manager.name),
            shared_sealed=seal(shared),
            invited_at=now,
            invited_by_sealed=seal(invited_by),
        )
        self._session.add(row)
        await self._session.flush()
        return self._to_invitation(row)

    async def get(self, invitation_id: int, *, for_update: bool = False) -> Invitation | None:
        query = select(ManagerInvitationRow).where(ManagerInvitationRow.id == invitation_id)
        row = await self._session.scalar(query.with_for_update() if for_update else query)
        return None if row is None else self._to_invitation(row)

    async def of_case(self, case_id: int) -> list[Invitation]:
        rows = await self._session.scalars(
            select(ManagerInvitationRow)
            .where(ManagerInvitationRow.case_id == case_id)
            .order_by(ManagerInvitationRow.id)
        )
        return [self._to_invitation(row) for row in rows]

    async def of_manager(self, keys: Collection[str]) -> list[Invitation]:
        hashes = self._hashes_of(keys)
        if not hashes:
            return []
        rows = await self._session.scalars(
            select(ManagerInvitationRow)
            .where(ManagerInvitationRow.manager_hash.in_(hashes))
            .order_by(ManagerInvitationRow.id.desc())
        )
        return [self._to_invitation(row) for row in rows]

    async def invited(self, case_id: int, keys: Collection[str]) -> bool:
        hashes = self._hashes_of(keys)
        if not hashes:
            return False
        found = await self._session.scalar(
            select(ManagerInvitationRow.id)
            .where(ManagerInvitationRow.case_id == case_id)
            .where(ManagerInvitationRow.manager_hash.in_(hashes))
            .limit(1)
        )
        return found is not None

    async def answer(
        self, invitation_id: int, answer: Answer, note: str | None, now: datetime
    ) -> None:
        row = await self._session.get(ManagerInvitationRow, invitation_id)
        assert row is not None  # locked by the caller
        row.answer, row.answered_at = answer.value, now
        row.answer_note_sealed = self._sealer.seal(note)
        await self._session.flush()

    def _to_invitation(self, row: ManagerInvitationRow) -> Invitation:
        unseal = self._sealer.unseal
        manager = Invitee(unseal(row.manager_sealed) or "", unseal(row.manager_name_sealed) or "")
        return Invitation(
            id=row.id,
            case_id=row.case_id,
            measure_id=row.measure_id,
            manager=manager,
            shared=unseal(row.shared_sealed) or "",
            invited_at=row.invited_at,
            invited_by=unseal(row.invited_by_sealed) or "",
            answer=Answer(row.answer) if row.answer else None,
            answer_note=unseal(row.answer_note_sealed),
            answered_at=row.answered_at,
        )
