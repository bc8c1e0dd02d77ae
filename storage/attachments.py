"""The attachment repository: files sealed at rest, held for a draft or part of a case."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attachments.models import FileInfo, FileKind, StoredFile, kind_of_type
from storage.models import AttachmentRow
from storage.sealing import Sealer

_INFO = (
    AttachmentRow.id,
    AttachmentRow.case_id,
    AttachmentRow.filename_sealed,
    AttachmentRow.content_type,
    AttachmentRow.size,
    AttachmentRow.created_at,
)


class SqlAttachmentRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def hold(self, name: str, kind: FileKind, content: bytes, now: datetime) -> int:
        row = AttachmentRow(
            held_at=now,
            filename_sealed=self._sealer.seal(name),
            content_type=kind.content_type,
            size=len(content),
            content_sealed=self._sealer.seal_bytes(content),
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return row.id

    async def renew(self, ids: Sequence[int], now: datetime) -> None:
        await self._session.execute(
            update(AttachmentRow)
            .where(AttachmentRow.id.in_(list(ids)), AttachmentRow.case_id.is_(None))
            .values(held_at=now)
        )

    async def attach(self, case_id: int, ids: Sequence[int]) -> list[int]:
        held = list(
            await self._session.scalars(
                select(AttachmentRow.id)
                .where(AttachmentRow.id.in_(list(ids)), AttachmentRow.case_id.is_(None))
                .order_by(AttachmentRow.id)
                .with_for_update()
            )
        )
        if held:
            await self._session.execute(
                update(AttachmentRow)
                .where(AttachmentRow.id.in_(held))
                .values(case_id=case_id, held_at=None)
            )
        return held

    async def get(self, attachment_id: int) -> StoredFile | None:
        row = await self._session.get(AttachmentRow, attachment_id)
        if row is None:
            return None
        info = self._info(
            row.id, row.case_id, row.filename_sealed, row.content_type, row.size, row.created_at
        )
        return StoredFile(**asdict(info), content=self._sealer.unseal_bytes(row.content_sealed))

    async def of_case(self, case_id: int) -> list[FileInfo]:
        rows = await self._session.execute(
            select(*_INFO).where(AttachmentRow.case_id == case_id).order_by(AttachmentRow.id)
        )
        return [self._info(*row) for row in rows]

    async def discard(self, ids: Sequence[int]) -> int:
        result = await self._session.execute(
            delete(AttachmentRow).where(
                AttachmentRow.id.in_(list(ids)), AttachmentRow.case_id.is_(None)
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def purge_held(self, before: datetime) -> int:
        result = await self._session.execute(
            delete(AttachmentRow).where(
                AttachmentRow.case_id.is_(None), AttachmentRow.held_at < before
            )
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    def _info(
        self,
        attachment_id: int,
        case_id: int | None,
        filename_sealed: str,
        content_type: str,
        size: int,
        created_at: datetime,
    ) -> FileInfo:
        kind = kind_of_type(content_type)
        if kind is None:
            raise ValueError(f"an attachment of an unknown type: {content_type}")
        name = self._sealer.unseal(filename_sealed) or ""
        return FileInfo(attachment_id, case_id, name, kind, size, created_at)
