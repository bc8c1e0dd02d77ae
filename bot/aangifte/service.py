"""Aangifte on a case: the guidance sent to the reporter, and the record of the aangifte.

The same role check, lock and audit entry as every case action. The registration number
is sealed at rest and read back only for the case's coordinators (each read audited);
it never goes into a thread line, an event or a log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.aangifte import guidance
from bot.aangifte.guidance import AangifteGuidance
from bot.aangifte.models import NUMBER_MAX, AangifteRecord, FiledBy
from bot.access.models import Acting
from bot.case.errors import CaseError
from bot.case.handling import CaseHandling
from bot.case.models import EventKind, MeasureKind
from bot.measures.models import Step
from bot.measures.proposal_models import UNREACHABLE, reachable
from bot.schedule.calendar import local
from bot.text import TooLong, clean_line


def _number(typed: str | None) -> str:
    try:
        number = clean_line(typed or "", NUMBER_MAX)
    except TooLong:
        raise CaseError(
            "A registration number has at most {limit} characters. Check it and try again.",
            limit=str(NUMBER_MAX),
        ) from None
    if not number:
        raise CaseError("Write the police registration number. Nothing was changed.")
    return number


@dataclass(slots=True)
class AangifteService(CaseHandling):
    tips: AangifteGuidance = field(default_factory=lambda: guidance.load(None))

    async def send_guidance(self, by: Acting, case_id: int) -> None:
        """What to expect and the tips, in the reporter's chat (or with their code), once
        aangifte is advised."""
        async with self._coordinator_change(by, case_id, "aangifte.guidance") as (tx, case):
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to send the guidance.")
            if not reachable(case):
                raise CaseError(UNREACHABLE)
            advised = [
                m
                for m in await tx.measures.of_case(case.id)
                if m.kind is MeasureKind.POLICE_REPORT and m.step is not Step.DROPPED
            ]
            if not advised:
                raise CaseError("Advise aangifte first, then send the reporter the guidance.")
            text = self.tips.text(case.report.language)
            await self._record(
                tx,
                case,
                EventKind.AANGIFTE_GUIDANCE,
                by,
                text=text,
                measure=MeasureKind.POLICE_REPORT,
                always=True,
            )

    async def record(
        self, by: Acting, case_id: int, done_on: date | None, filed_by: FiledBy, number: str
    ) -> AangifteRecord:
        """That aangifte was done, when, by whom, and its registration number (recording
        again corrects the record)."""
        if done_on is None:
            raise CaseError("Fill in the date of the aangifte. Nothing was changed.")
        if done_on > local(self.clock()).date():
            raise CaseError("That date is in the future. Fill in the day the aangifte was done.")
        cleaned = _number(number)
        async with self._coordinator_change(by, case_id, "aangifte.record", filed_by.value) as (
            tx,
            case,
        ):
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to record the aangifte.")
            now = self.clock()
            record = AangifteRecord(case.id, done_on, filed_by, cleaned, now, by.display)
            await tx.aangifte.save(record)
            await self._record(
                tx,
                case,
                EventKind.AANGIFTE_RECORDED,
                by,
                measure=MeasureKind.POLICE_REPORT,
                silent=True,
            )
        return record

    async def of_case(self, by: Acting, case_id: int) -> AangifteRecord | None:
        """The record, for the case's coordinators only; reading the number is audited."""
        async with self.storage.transaction() as tx:
            case = await self._handled_by(tx, by, case_id, for_update=False)
            record = await tx.aangifte.of_case(case.id)
            if record is not None:
                await self._audit(tx, by, "aangifte.read", case)
        return record
