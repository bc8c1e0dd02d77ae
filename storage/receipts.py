"""The receipt repository: pseudonyms, secret hashes and the sealed contact."""

from __future__ import annotations

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.consultation.models import NoticeContact, Receipt
from bot.consultation.receipts import new_pseudonym
from bot.ports import StoredReceipt
from storage.models import CaseRow, ConsultationRow, ReceiptRow
from storage.sealing import Sealer


def to_receipt(row: ReceiptRow) -> Receipt:
    return Receipt(row.id, row.pseudonym, notify=row.contact_sealed is not None)


class SqlReceiptRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def create(self, secret_hash: str, contact: NoticeContact | None) -> Receipt:
        sealed = None
        if contact is not None:
            sealed = self._sealer.seal_json({"platform": contact.platform, "reach": contact.reach})
        # 0.81 million pseudonyms: a clash is rare, and then another one is drawn.
        for _attempt in range(20):
            row = ReceiptRow(
                pseudonym=new_pseudonym(), secret_hash=secret_hash, contact_sealed=sealed
            )
            try:
                async with self._session.begin_nested():
                    self._session.add(row)
                    await self._session.flush()
            except IntegrityError:
                continue
            return to_receipt(row)
        raise RuntimeError("no free pseudonym after 20 attempts")

    async def find(self, pseudonym: str) -> StoredReceipt | None:
        row = await self._session.scalar(
            select(ReceiptRow).where(ReceiptRow.pseudonym == pseudonym)
        )
        if row is None:
            return None
        return StoredReceipt(to_receipt(row), row.secret_hash)

    async def contact(self, receipt_id: int) -> NoticeContact | None:
        row = await self._session.get(ReceiptRow, receipt_id)
        if row is None or row.contact_sealed is None:
            return None
        data = self._sealer.unseal_json(row.contact_sealed)
        return NoticeContact(data["platform"], dict(data["reach"]))

    async def forget_contact(self, receipt_id: int) -> None:
        await self._session.execute(
            update(ReceiptRow).where(ReceiptRow.id == receipt_id).values(contact_sealed=None)
        )

    async def delete_unused(self) -> int:
        used_by_case = exists().where(CaseRow.receipt_id == ReceiptRow.id)
        used_by_consultation = exists().where(ConsultationRow.receipt_id == ReceiptRow.id)
        result = await self._session.execute(
            delete(ReceiptRow).where(~used_by_case, ~used_by_consultation)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]
