"""The letters sent to invited managers: the .docx sealed, once per request key."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.letters.fields import LetterKind
from bot.letters.sent import SentLetter
from storage.models import ManagerLetterRow
from storage.sealing import Sealer


class SqlManagerLetters:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def add(
        self,
        case_id: int,
        invitation_id: int,
        kind: LetterKind,
        filename: str,
        content: bytes,
        *,
        request_key: str,
        sent_by: str,
        now: datetime,
    ) -> int:
        seal = self._sealer.seal
        row = ManagerLetterRow(
            case_id=case_id,
            invitation_id=invitation_id,
            kind=kind.value,
            request_key=request_key,
            filename_sealed=seal(filename),
            content_sealed=self._sealer.seal_bytes(content),
            sent_at=now,
            sent_by_sealed=seal(sent_by),
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def sent_for(self, invitation_id: int, request_key: str) -> bool:
        found = await self._session.scalar(
            select(ManagerLetterRow.id)
            .where(ManagerLetterRow.invitation_id == invitation_id)
            .where(ManagerLetterRow.request_key == request_key)
        )
        return found is not None

    async def get(self, letter_id: int) -> SentLetter | None:
        row = await self._session.get(ManagerLetterRow, letter_id)
        return None if row is None else self._to_letter(row)

    async def latest(self, invitation_id: int) -> SentLetter | None:
        row = await self._session.scalar(
            select(ManagerLetterRow)
            .where(ManagerLetterRow.invitation_id == invitation_id)
            .order_by(ManagerLetterRow.id.desc())
            .limit(1)
        )
        return None if row is None else self._to_letter(row)

    async def with_letter(self, invitation_ids: Collection[int]) -> set[int]:
        """Which of these invitations have a letter to download."""
        if not invitation_ids:
            return set()
        found = await self._session.scalars(
            select(ManagerLetterRow.invitation_id)
            .where(ManagerLetterRow.invitation_id.in_(list(invitation_ids)))
            .distinct()
        )
        return set(found)

    def _to_letter(self, row: ManagerLetterRow) -> SentLetter:
        return SentLetter(
            id=row.id,
            case_id=row.case_id,
            invitation_id=row.invitation_id,
            kind=LetterKind(row.kind),
            filename=self._sealer.unseal(row.filename_sealed) or "",
            content=self._sealer.unseal_bytes(row.content_sealed),
            sent_at=row.sent_at,
        )
