"""What the reporter's say, the aangifte and the external reports keep on a case."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.aangifte.models import AangifteRecord
from bot.measures.proposal_models import Answer, Proposal
from bot.trafficking.models import Body, ExternalReport


class ProposalRepository(Protocol):
    async def add(
        self, case_id: int, measure_id: int, event_id: int, asked_by: str | None, at: datetime
    ) -> Proposal: ...

    async def of_event(self, event_id: int, *, for_update: bool = False) -> Proposal | None: ...

    async def of_case(self, case_id: int) -> list[Proposal]:
        """Oldest first."""
        ...

    async def answer(self, proposal_id: int, answer: Answer, at: datetime) -> None: ...


class AangifteRepository(Protocol):
    async def save(self, record: AangifteRecord) -> None:
        """Keeps the case's record, in place of an earlier one."""
        ...

    async def of_case(self, case_id: int) -> AangifteRecord | None: ...


class ExternalReportRepository(Protocol):
    async def add(
        self,
        case_id: int,
        body: Body,
        reported_on: date,
        made_by: str,
        at: datetime,
        recorded_by: str | None,
    ) -> ExternalReport: ...

    async def of_case(self, case_id: int) -> list[ExternalReport]:
        """In the order they were made."""
        ...
