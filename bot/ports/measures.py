"""The measures of a case and their history."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.measures.models import Measure, MeasureStep, Plan


class MeasureRepository(Protocol):
    async def advise(
        self, case_id: int, plan: Plan, actor_name: str | None, now: datetime
    ) -> Measure:
        """A new measure, advised, with that first step in its history."""
        ...

    async def get(self, measure_id: int, *, for_update: bool = False) -> Measure | None: ...

    async def of_case(self, case_id: int) -> list[Measure]:
        """The case's measures, each with its history (oldest step first)."""
        ...

    async def add_step(self, measure: Measure, step: MeasureStep) -> None:
        """Moves ``measure`` to ``step.step`` and keeps the step in its history."""
        ...
