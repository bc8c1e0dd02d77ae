"""One month's figures, as the trend report counts them: for the report and the console.

Only aggregates leave here, protected by the small-count rule (``bot.trends.counts``):
never a case, a reference or a text. Who may read them is checked here, on the server:
analysts and admins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.access.models import Acting, Role
from bot.access.service import Access
from bot.case.errors import InvalidQuery, NotAllowed
from bot.case.models import Category
from bot.i18n import N_
from bot.ports import Storage
from bot.schedule.models import CaseFacts
from bot.settings import Settings
from bot.trends.counts import MonthBar, PeriodFigures, in_period, month_bars, period_figures
from bot.trends.periods import Period, month_of, trailing_months

READERS = frozenset({Role.ANALYST, Role.ADMIN})
FIRST_MONTH = date(2000, 1, 1)
NOT_A_MONTH = N_("Choose a month that has begun, such as {example}.")


def figures_of(facts: Sequence[CaseFacts], settings: Settings, as_of: datetime) -> PeriodFigures:
    """The figures of ``facts`` (one period's cases), as of ``as_of`` for the clocks."""
    return period_figures(
        facts,
        categories=[category.value for category in settings.categories],
        departments=settings.departments,
        promise=timedelta(hours=settings.first_contact_hours),
        urgent_promise=timedelta(minutes=settings.urgent_contact_minutes),
        as_of=as_of,
        reaction=timedelta(hours=settings.reaction_hours),
        no_reaction=[*settings.legal_clock_categories, Category.TRAFFICKING],
    )


def bars_of(
    facts: Sequence[CaseFacts], period: Period, figures: PeriodFigures, settings: Settings
) -> list[MonthBar]:
    """The 12 months up to the period's last; that month's total is hidden in the chart
    whenever the text hides it."""
    hidden = frozenset({period.last}) if figures.categories.total_hidden else frozenset()
    categories = [category.value for category in settings.categories]
    months = trailing_months(period.last).months()
    return month_bars(facts, months, categories, hide_total=hidden)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One month: its figures, and the bars of the 12 months up to it (the chart)."""

    period: Period
    figures: PeriodFigures
    bars: list[MonthBar]


@dataclass(slots=True)
class TrendFigures:
    storage: Storage
    settings: Settings
    clock: Callable[[], datetime]
    access: Access

    async def month(self, by: Acting, month: date) -> MonthFigures:
        """The figures of ``month`` (any day in it), for analysts and admins; audited as
        ``figures.read`` with the month only."""
        if not READERS & await self.access.roles(by):
            raise NotAllowed("Only analysts and admins can see the figures.")
        now = self.clock()
        first = date(month.year, month.month, 1)
        if not FIRST_MONTH <= first <= month_of(now):
            raise InvalidQuery(NOT_A_MONTH, example=f"{month_of(now):%Y-%m}")
        period = Period(first, first)
        shown = trailing_months(first)
        async with self.storage.transaction() as tx:
            facts = await tx.cases.facts_between(shown.start, shown.end)
            await tx.audit.record(
                by.key, "figures.read", now, actor_name=by.display, detail=f"{first:%Y-%m}"
            )
        figures = figures_of(in_period(facts, period), self.settings, now)
        return MonthFigures(period, figures, bars_of(facts, period, figures, self.settings))
