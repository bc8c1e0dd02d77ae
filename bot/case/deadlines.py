"""The whistleblower act's two clocks on a report (Wbk, EU directive 2019/1937).

From the moment of the report: confirm receipt to the reporter within 7 days, and tell them
what is being done with it within 3 months. What counts as meeting each duty:

- **receipt confirmed**: a person at the organisation told the reporter — an event that
  informed them (a claim, a question, a status change, a closing message), or a call back.
  meldbot's own automatic receipt does not count: the law asks for the organisation's
  acknowledgement. A reporter who cannot be written to (anonymous, or who declined updates)
  is acknowledged by the claim or any other handling step: that is all they can be given,
  and an anonymous reporter reads it with their code.
- **feedback given**: a status change (the reporter hears it, or reads it with their code),
  or closing with a message to the reporter.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, time, timedelta

from bot.case.models import Case, CaseEvent, EventKind
from bot.schedule.calendar import AMSTERDAM, add_months, local

ACKNOWLEDGE, FEEDBACK = "acknowledge", "feedback"
DUTIES = (ACKNOWLEDGE, FEEDBACK)
SOON, EXPIRED = "soon", "expired"
ACKNOWLEDGE_DAYS = 7
FEEDBACK_MONTHS = 3
WARN_DAYS_BEFORE = {ACKNOWLEDGE: 2, FEEDBACK: 14}
REMINDER_TIME = time(9, 0)  # the "deadline coming up" reminder waits for office hours

_HANDLING = frozenset({EventKind.CLAIMED, EventKind.QUESTION, EventKind.STATUS, EventKind.CLOSED})


def deadline(duty: str, reported_at: datetime) -> datetime:
    """The last moment for ``duty``, counted in local calendar time from the report."""
    if duty == ACKNOWLEDGE:
        return (local(reported_at) + timedelta(days=ACKNOWLEDGE_DAYS)).astimezone(UTC)
    return add_months(reported_at, FEEDBACK_MONTHS)


def reminders(duty: str, reported_at: datetime) -> dict[str, datetime]:
    """When to remind: at 09:00 some days before the deadline, and at the deadline itself."""
    due = deadline(duty, reported_at)
    warn_day = local(due).date() - timedelta(days=WARN_DAYS_BEFORE[duty])
    soon = datetime.combine(warn_day, REMINDER_TIME, tzinfo=AMSTERDAM)
    return {SOON: soon.astimezone(UTC), EXPIRED: due}


def _can_be_written_to(case: Case) -> bool:
    return case.reporter is not None and case.report.wants_feedback


def acknowledges(case: Case, event: CaseEvent) -> bool:
    if event.reporter_informed or event.kind is EventKind.CALLED_BACK:
        return True
    return not _can_be_written_to(case) and event.kind in _HANDLING


def gives_feedback(case: Case, event: CaseEvent) -> bool:
    return event.kind is EventKind.STATUS or (event.kind is EventKind.CLOSED and bool(event.text))


def met(duty: str, case: Case, events: Iterable[CaseEvent]) -> bool:
    check = acknowledges if duty == ACKNOWLEDGE else gives_feedback
    return any(check(case, event) for event in events)
