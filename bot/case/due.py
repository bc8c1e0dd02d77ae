"""The clocks a case runs against, and the one moment the lists sort and filter by.

Every case: the promised first contact — within ``first_contact_hours`` of the report, or
``urgent_contact_minutes`` for an urgent one — met once someone handles it (a claim, "I'm
on it", a hand-over) or calls the reporter back. Reports in the legal-clock categories: the
whistleblower act's two duties too (``bot/case/deadlines.py`` says what meets them).

``due_at`` is the earliest clock still running while the case is open; the service keeps
it on the case after every change, so "overdue" is an indexed comparison and never a scan
of events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.case import deadlines
from bot.case.models import Case, CaseEvent, EventKind, Urgency
from bot.case.policy import CasePolicy


class Duty(StrEnum):
    FIRST_CONTACT = "first_contact"
    ACKNOWLEDGE = deadlines.ACKNOWLEDGE
    FEEDBACK = deadlines.FEEDBACK


@dataclass(frozen=True, slots=True)
class Clock:
    duty: Duty
    due_at: datetime
    met_at: datetime | None = None

    def overdue(self, now: datetime) -> bool:
        return self.met_at is None and self.due_at < now


# A person took the case on, or called back: the promised first contact happened.
FIRST_CONTACT = frozenset(
    {EventKind.CLAIMED, EventKind.ON_IT, EventKind.CALLED_BACK, EventKind.REASSIGNED}
)


def clocks(case: Case, events: Sequence[CaseEvent], policy: CasePolicy) -> list[Clock]:
    """The case's clocks, each with when it was met (None: still running)."""
    if case.urgency is Urgency.URGENT:
        promised = timedelta(minutes=policy.urgent_contact_minutes)
    else:
        promised = timedelta(hours=policy.first_contact_hours)
    contact = next((e.created_at for e in events if e.kind in FIRST_CONTACT), None)
    found = [Clock(Duty.FIRST_CONTACT, case.created_at + promised, contact)]
    if case.report.category in policy.legal_clock_categories:
        for duty in deadlines.DUTIES:
            meets = (
                deadlines.acknowledges
                if duty == deadlines.ACKNOWLEDGE
                else deadlines.gives_feedback
            )
            met = next((e.created_at for e in events if meets(case, e)), None)
            found.append(Clock(Duty(duty), deadlines.deadline(duty, case.created_at), met))
    return found


def refresh(case: Case, events: Sequence[CaseEvent], policy: CasePolicy) -> list[Clock]:
    """Sets the case's ``first_contact_at`` and ``due_at`` from its events; returns its clocks."""
    found = clocks(case, events, policy)
    case.first_contact_at = found[0].met_at
    running = [c.due_at for c in found if c.met_at is None]
    case.due_at = min(running) if running and case.is_open else None
    return found
