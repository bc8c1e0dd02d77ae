"""External reports of a trafficking or exploitation signal: each one recorded on the
case with its date and who made it, audited, and a thread line without content."""

from __future__ import annotations

from datetime import date

from bot.access.models import Acting
from bot.case.errors import CaseError
from bot.case.handling import CaseHandling
from bot.case.models import Category, EventKind
from bot.schedule.calendar import local
from bot.text import NAME_MAX, TooLong, clean_line
from bot.trafficking.models import Body, ExternalReport


def _who(typed: str | None) -> str:
    try:
        who = clean_line(typed or "", NAME_MAX)
    except TooLong:
        raise CaseError(
            "Please keep the name under {limit} characters.", limit=str(NAME_MAX)
        ) from None
    if not who:
        raise CaseError("Write who made the report, for example the coordinator or the reporter.")
    return who


class ExternalReports(CaseHandling):
    __slots__ = ()

    async def record(
        self, by: Acting, case_id: int, body: Body, reported_on: date | None, made_by: str
    ) -> ExternalReport:
        if reported_on is None:
            raise CaseError("Fill in the date of the report. Nothing was changed.")
        if reported_on > local(self.clock()).date():
            raise CaseError("That date is in the future. Fill in the day the report was made.")
        who = _who(made_by)
        async with self._coordinator_change(by, case_id, "external_report", body.value) as (
            tx,
            case,
        ):
            if case.report.category is not Category.TRAFFICKING:
                raise CaseError(
                    "External reports are recorded for signals of human trafficking or "
                    "exploitation. Set that category first."
                )
            now = self.clock()
            report = await tx.external_reports.add(case.id, body, reported_on, who, now, by.display)
            await self._record(tx, case, EventKind.EXTERNAL_REPORT, by, silent=True)
        return report

    async def of_case(self, by: Acting, case_id: int) -> list[ExternalReport]:
        """The case's external reports, for whoever may read the case."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id)
            if case is None or not await self.rights.may_read(by, case, tx):
                raise await self._refuse(by, case, tx)
            return await tx.external_reports.of_case(case.id)
