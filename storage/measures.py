"""The measure repository: measures and their steps, names and notes sealed at rest."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.case.models import MeasureKind
from bot.measures.models import Measure, MeasureStep, Plan, Step
from storage.models import MeasureRow, MeasureStepRow
from storage.sealing import Sealer


class SqlMeasureRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def advise(
        self, case_id: int, plan: Plan, actor_name: str | None, now: datetime
    ) -> Measure:
        row = MeasureRow(
            case_id=case_id,
            kind=plan.kind.value,
            carried_out_by_sealed=self._sealer.seal(plan.carried_out_by),
            step=Step.ADVISED.value,
            planned_on=plan.planned_on,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        measure = self._to_measure(row, [])
        await self.add_step(measure, MeasureStep(Step.ADVISED, now, actor_name, plan.note))
        return measure

    async def get(self, measure_id: int, *, for_update: bool = False) -> Measure | None:
        query = select(MeasureRow).where(MeasureRow.id == measure_id)
        row = await self._session.scalar(query.with_for_update() if for_update else query)
        if row is None:
            return None
        return self._to_measure(row, (await self._steps([row.id]))[row.id])

    async def of_case(self, case_id: int) -> list[Measure]:
        rows = list(
            await self._session.scalars(
                select(MeasureRow).where(MeasureRow.case_id == case_id).order_by(MeasureRow.id)
            )
        )
        steps = await self._steps([row.id for row in rows])
        return [self._to_measure(row, steps[row.id]) for row in rows]

    async def add_step(self, measure: Measure, step: MeasureStep) -> None:
        self._session.add(
            MeasureStepRow(
                measure_id=measure.id,
                step=step.step.value,
                actor_name_sealed=self._sealer.seal(step.actor_name),
                note_sealed=self._sealer.seal(step.note),
                at=step.at,
            )
        )
        row = await self._session.get(MeasureRow, measure.id)
        assert row is not None  # locked by the caller
        row.step, row.updated_at = step.step.value, step.at
        await self._session.flush()
        measure.step = step.step
        measure.history.append(step)

    async def _steps(self, measure_ids: list[int]) -> dict[int, list[MeasureStep]]:
        found: dict[int, list[MeasureStep]] = defaultdict(list)
        if not measure_ids:
            return found
        rows = await self._session.scalars(
            select(MeasureStepRow)
            .where(MeasureStepRow.measure_id.in_(measure_ids))
            .order_by(MeasureStepRow.id)
        )
        for row in rows:
            found[row.measure_id].append(
                MeasureStep(
                    Step(row.step),
                    row.at,
                    self._sealer.unseal(row.actor_name_sealed),
                    self._sealer.unseal(row.note_sealed),
                )
            )
        return found

    def _to_measure(self, row: MeasureRow, history: list[MeasureStep]) -> Measure:
        return Measure(
            id=row.id,
            case_id=row.case_id,
            kind=MeasureKind(row.kind),
            carried_out_by=self._sealer.unseal(row.carried_out_by_sealed) or "",
            step=Step(row.step),
            created_at=row.created_at,
            planned_on=row.planned_on,
            starts_on=row.starts_on,
            ends_on=row.ends_on,
            history=list(history),
        )
