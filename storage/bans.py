"""The ban records: a ban's life after it was advised, names and notes sealed at rest."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.measures.bans import BanRecord, BanRecordKind
from storage.models import BanRecordRow, MeasureRow
from storage.sealing import Sealer


class SqlBanRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def add(self, measure_id: int, record: BanRecord) -> None:
        self._session.add(
            BanRecordRow(
                measure_id=measure_id,
                kind=record.kind.value,
                ends_on=record.ends_on,
                actor_name_sealed=self._sealer.seal(record.actor_name),
                note_sealed=self._sealer.seal(record.note),
                at=record.at,
            )
        )
        await self._session.flush()

    async def of_measures(self, measure_ids: list[int]) -> dict[int, list[BanRecord]]:
        found: dict[int, list[BanRecord]] = defaultdict(list)
        if not measure_ids:
            return {}
        rows = await self._session.scalars(
            select(BanRecordRow)
            .where(BanRecordRow.measure_id.in_(measure_ids))
            .order_by(BanRecordRow.id)
        )
        for row in rows:
            found[row.measure_id].append(
                BanRecord(
                    BanRecordKind(row.kind),
                    row.at,
                    row.ends_on,
                    self._sealer.unseal(row.actor_name_sealed),
                    self._sealer.unseal(row.note_sealed),
                )
            )
        return dict(found)

    async def set_end(self, measure_id: int, ends_on: date, now: datetime) -> None:
        row = await self._session.get(MeasureRow, measure_id)
        assert row is not None  # locked by the caller
        row.ends_on, row.updated_at = ends_on, now
        await self._session.flush()
