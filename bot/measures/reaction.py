"""The reaction to the offender (VPT norm): within ``reaction_hours`` of the report (48 by
default; many municipalities promise 24), the citizen who was aggressive hears from the
organisation.

What meets it: the first measure toward the citizen that is *carried out* — an
ordegesprek, a waarschuwingsbrief, a belverbod, a pandverbod, a gesprek op kantoor or an
aangifte (every rung of the ladder is a reaction to the citizen; advising or agreeing on
one is not, the citizen notices nothing of it yet) — or a coordinator recording "no
measure needed" (a decision that the reaction is no measure).

Which cases run it: those with a citizen to react to. Not integrity reports (a suspected
wrong inside the organisation, under the whistleblower act's own clocks), not
trafficking signals (the organisation does not confront anyone: "ga niet zelf op
onderzoek uit"), and not while the case is with the vertrouwenspersoon only (the meldpunt
takes no measures before the reporter agreed to pass it on).

The thread hears it before the deadline (a quarter of the time before, at least an hour)
and at it, once each, while it is not met and the case is open. Closing stops it; a
reopened case runs it again for what is still ahead. Timer keys:
``case:{id}:reaction:{soon|expired}`` (``:r{event}`` after a reopening or recategorising).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.case.models import Case, CaseEvent, Category, EventKind, MeasureKind
from bot.measures.models import LADDER

SOON, EXPIRED = "soon", "expired"


@dataclass(frozen=True, slots=True)
class Reaction:
    due_at: datetime
    met_at: datetime | None = None

    def late(self, now: datetime) -> bool:
        """Met after the deadline, or not met while it has passed."""
        return (self.met_at or now) > self.due_at


def applies(case: Case, legal: Iterable[Category]) -> bool:
    category = case.report.category
    if case.for_confidant or category is Category.TRAFFICKING:
        return False
    return category not in frozenset(legal)


def meets(event: CaseEvent) -> bool:
    if event.kind is EventKind.MEASURE_CARRIED_OUT:
        return event.measure in LADDER
    return event.measure is MeasureKind.NONE


def met_at(events: Iterable[CaseEvent]) -> datetime | None:
    return next((e.created_at for e in events if meets(e)), None)


def reaction(case: Case, events: Iterable[CaseEvent], hours: int) -> Reaction:
    return Reaction(case.created_at + timedelta(hours=hours), met_at(events))


def reminders(case: Case, hours: int) -> dict[str, datetime]:
    due = case.created_at + timedelta(hours=hours)
    return {SOON: due - max(timedelta(hours=hours) / 4, timedelta(hours=1)), EXPIRED: due}
