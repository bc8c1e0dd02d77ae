"""The consultation repository: consultations and their entries, sealed at rest."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.consultation.models import (
    Consultation,
    ConsultationStatus,
    Entry,
    EntryKind,
    Receipt,
)
from bot.events import MessageRef, Platform
from storage.models import CaseRow, ConsultationEntryRow, ConsultationRow, ReceiptRow
from storage.receipts import to_receipt
from storage.sealing import Sealer


class SqlConsultationRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def create(
        self, receipt: Receipt, platform: Platform, language: str, now: datetime
    ) -> Consultation:
        row = ConsultationRow(
            receipt_id=receipt.id,
            status=ConsultationStatus.OPEN.value,
            language=language,
            coordination_platform=platform,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return await self._to_consultation(row)

    async def get(self, consultation_id: int, *, for_update: bool = False) -> Consultation | None:
        query = select(ConsultationRow).where(ConsultationRow.id == consultation_id)
        return await self._one(query, for_update)

    async def of_receipt(self, receipt_id: int, *, for_update: bool = False) -> Consultation | None:
        query = select(ConsultationRow).where(ConsultationRow.receipt_id == receipt_id)
        return await self._one(query, for_update)

    async def save(self, consultation: Consultation) -> None:
        row = await self._session.get_one(ConsultationRow, consultation.id)
        row.receipt_id = consultation.receipt.id if consultation.receipt else None
        row.status = consultation.status.value
        if consultation.answered_by != self._sealer.unseal(row.answered_by_sealed):
            row.answered_by_sealed = self._sealer.seal(consultation.answered_by)
        row.updated_at = consultation.updated_at
        row.closed_at = consultation.closed_at
        await self._session.flush()

    async def link_case(self, consultation_id: int, case_id: int) -> None:
        row = await self._session.get_one(ConsultationRow, consultation_id)
        row.case_id = case_id
        await self._session.flush()

    async def add_entry(
        self,
        consultation: Consultation,
        kind: EntryKind,
        now: datetime,
        *,
        author_name: str | None = None,
        text: str | None = None,
    ) -> Entry:
        row = ConsultationEntryRow(
            consultation_id=consultation.id,
            kind=kind.value,
            author_name_sealed=self._sealer.seal(author_name),
            text_sealed=self._sealer.seal(text),
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        return self._to_entry(row)

    async def entries(self, consultation_id: int) -> list[Entry]:
        rows = await self._session.scalars(
            select(ConsultationEntryRow)
            .where(ConsultationEntryRow.consultation_id == consultation_id)
            .order_by(ConsultationEntryRow.id)
        )
        return [self._to_entry(row) for row in rows]

    async def set_alert(self, consultation_id: int, alert: MessageRef) -> None:
        row = await self._session.get_one(ConsultationRow, consultation_id, with_for_update=True)
        row.alert_conversation, row.alert_message_id = alert.conversation, alert.message_id
        await self._session.flush()

    async def untouched_since(self, moment: datetime) -> list[Consultation]:
        rows = await self._session.scalars(
            select(ConsultationRow).where(
                ConsultationRow.status != ConsultationStatus.REPORTED.value,
                ConsultationRow.updated_at < moment,
            )
        )
        return [await self._to_consultation(row) for row in rows]

    async def open_ones(self, limit: int) -> list[Consultation]:
        rows = await self._session.scalars(
            select(ConsultationRow)
            .where(ConsultationRow.status == ConsultationStatus.OPEN.value)
            .order_by(ConsultationRow.id.desc())
            .limit(limit)
        )
        return [await self._to_consultation(row) for row in rows]

    async def delete(self, consultation_id: int) -> None:
        await self._session.execute(
            delete(ConsultationRow).where(ConsultationRow.id == consultation_id)
        )

    async def _one(self, query: Select[ConsultationRow], for_update: bool) -> Consultation | None:
        row = await self._session.scalar(query.with_for_update() if for_update else query)
        return await self._to_consultation(row) if row else None

    async def _to_consultation(self, row: ConsultationRow) -> Consultation:
        receipt = None
        if row.receipt_id is not None:
            receipt_row = await self._session.get(ReceiptRow, row.receipt_id)
            receipt = to_receipt(receipt_row) if receipt_row else None
        reference = None
        if row.case_id is not None:
            reference = await self._session.scalar(
                select(CaseRow.reference).where(CaseRow.id == row.case_id)
            )
        alert = None
        if row.alert_conversation and row.alert_message_id:
            alert = MessageRef(
                row.coordination_platform,  # type: ignore[arg-type]
                row.alert_conversation,
                row.alert_message_id,
            )
        return Consultation(
            id=row.id,
            receipt=receipt,
            status=ConsultationStatus(row.status),
            language=row.language,
            coordination_platform=row.coordination_platform,  # type: ignore[arg-type]
            created_at=row.created_at,
            updated_at=row.updated_at,
            answered_by=self._sealer.unseal(row.answered_by_sealed),
            alert=alert,
            case_reference=reference,
            closed_at=row.closed_at,
        )

    def _to_entry(self, row: ConsultationEntryRow) -> Entry:
        return Entry(
            id=row.id,
            consultation_id=row.consultation_id,
            kind=EntryKind(row.kind),
            created_at=row.created_at,
            author_name=self._sealer.unseal(row.author_name_sealed),
            text=self._sealer.unseal(row.text_sealed),
        )
