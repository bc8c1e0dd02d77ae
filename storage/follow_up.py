"""The reporter's say, the aangifte record and external reports; names and the police
registration number sealed at rest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.aangifte.models import AangifteRecord, FiledBy
from bot.measures.proposal_models import Answer, Proposal
from bot.trafficking.models import Body, ExternalReport
from storage.models import AangifteRow, ExternalReportRow, ProposalRow
from storage.sealing import Sealer


class SqlProposals:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def add(
        self, case_id: int, measure_id: int, event_id: int, asked_by: str | None, at: datetime
    ) -> Proposal:
        row = ProposalRow(
            case_id=case_id,
            measure_id=measure_id,
            event_id=event_id,
            asked_by_sealed=self._sealer.seal(asked_by),
            asked_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return self._to_proposal(row)

    async def of_event(self, event_id: int, *, for_update: bool = False) -> Proposal | None:
        query = select(ProposalRow).where(ProposalRow.event_id == event_id)
        row = await self._session.scalar(query.with_for_update() if for_update else query)
        return None if row is None else self._to_proposal(row)

    async def of_case(self, case_id: int) -> list[Proposal]:
        rows = await self._session.scalars(
            select(ProposalRow).where(ProposalRow.case_id == case_id).order_by(ProposalRow.id)
        )
        return [self._to_proposal(row) for row in rows]

    async def answer(self, proposal_id: int, answer: Answer, at: datetime) -> None:
        row = await self._session.get(ProposalRow, proposal_id)
        assert row is not None  # locked by the caller
        row.answer, row.answered_at = answer.value, at
        await self._session.flush()

    def _to_proposal(self, row: ProposalRow) -> Proposal:
        return Proposal(
            id=row.id,
            case_id=row.case_id,
            measure_id=row.measure_id,
            event_id=row.event_id,
            asked_at=row.asked_at,
            asked_by=self._sealer.unseal(row.asked_by_sealed),
            answer=Answer(row.answer) if row.answer else None,
            answered_at=row.answered_at,
        )


class SqlAangifte:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def save(self, record: AangifteRecord) -> None:
        row = await self._session.get(AangifteRow, record.case_id, with_for_update=True)
        if row is None:
            row = AangifteRow(case_id=record.case_id)
            self._session.add(row)
        row.done_on, row.filed_by = record.done_on, record.filed_by.value
        sealed = self._sealer.seal(record.number)
        assert sealed is not None  # a number is never None
        row.number_sealed = sealed
        row.recorded_by_sealed = self._sealer.seal(record.recorded_by)
        row.recorded_at = record.recorded_at
        await self._session.flush()

    async def of_case(self, case_id: int) -> AangifteRecord | None:
        row = await self._session.get(AangifteRow, case_id)
        if row is None:
            return None
        return AangifteRecord(
            case_id=row.case_id,
            done_on=row.done_on,
            filed_by=FiledBy(row.filed_by),
            number=self._sealer.unseal(row.number_sealed) or "",
            recorded_at=row.recorded_at,
            recorded_by=self._sealer.unseal(row.recorded_by_sealed),
        )


class SqlExternalReports:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def add(
        self,
        case_id: int,
        body: Body,
        reported_on: date,
        made_by: str,
        at: datetime,
        recorded_by: str | None,
    ) -> ExternalReport:
        row = ExternalReportRow(
            case_id=case_id,
            body=body.value,
            reported_on=reported_on,
            made_by_sealed=self._sealer.seal(made_by),
            recorded_by_sealed=self._sealer.seal(recorded_by),
            recorded_at=at,
        )
        self._session.add(row)
        await self._session.flush()
        return self._to_report(row)

    async def of_case(self, case_id: int) -> list[ExternalReport]:
        rows = await self._session.scalars(
            select(ExternalReportRow)
            .where(ExternalReportRow.case_id == case_id)
            .order_by(ExternalReportRow.reported_on, ExternalReportRow.id)
        )
        return [self._to_report(row) for row in rows]

    def _to_report(self, row: ExternalReportRow) -> ExternalReport:
        return ExternalReport(
            id=row.id,
            case_id=row.case_id,
            body=Body(row.body),
            reported_on=row.reported_on,
            made_by=self._sealer.unseal(row.made_by_sealed) or "",
            recorded_at=row.recorded_at,
            recorded_by=self._sealer.unseal(row.recorded_by_sealed),
        )
