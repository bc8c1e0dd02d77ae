"""What the retention tests share: a closed case with something in it to purge."""

from __future__ import annotations

from datetime import datetime

from bot.case.models import Case, Category, NewReport, Reporter
from bot.retention.service import Retention
from tests.core.conftest import Harness
from tests.core.console import RIA

NARRATIVE = "Meneer Pieterse sloeg met zijn vuist op de balie van Stadswinkel Noord."
REPORTER = "Sanne de Vries"
MESSAGE = "Sanne, bel je me even terug over de balie?"
SUMMARY = "Ordegesprek niet nodig, Pieterse heeft excuses aangeboden."
NEEDLES = (NARRATIVE, REPORTER, MESSAGE, SUMMARY, "staff-1")


def retention(bot: Harness) -> Retention:
    assert bot.runtime.retention is not None
    return bot.runtime.retention


async def closed_case(
    bot: Harness, narrative: str = NARRATIVE, *, by: str = "staff-1", name: str = REPORTER
) -> Case:
    """A named report, claimed, with a message to the reporter, closed with a summary."""
    reporter = Reporter("web", by, name)
    report = NewReport(narrative, category=Category.THREAT, department="Burgerzaken")
    case = await bot.runtime.cases.report(report, reporter)
    await bot.settle()
    await bot.runtime.cases.claim(RIA, case.id)
    bot.clock.advance(hours=2)
    await bot.runtime.cases.message(RIA, case.id, MESSAGE)
    await bot.settle()
    bot.clock.advance(days=3)
    closed = await bot.runtime.cases.close(RIA, case.id, SUMMARY, None)
    await bot.settle()
    return closed


def years_later(moment: datetime, years: int) -> datetime:
    return moment.replace(year=moment.year + years)
