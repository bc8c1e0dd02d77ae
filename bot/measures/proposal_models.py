"""The reporter's say on a proposed measure: the answers, and the proposal as a case keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.case.models import Case, EventKind
from bot.i18n import N_


class Answer(StrEnum):
    AGREE = "agree"
    RATHER_NOT = "rather_not"
    TALK = "talk"


ANSWER_EVENT: dict[Answer, EventKind] = {
    Answer.AGREE: EventKind.PROPOSAL_AGREED,
    Answer.RATHER_NOT: EventKind.PROPOSAL_RATHER_NOT,
    Answer.TALK: EventKind.PROPOSAL_TALK,
}
# The buttons under the question, by their action id.
ACTION_OF: dict[Answer, str] = {answer: f"proposal.{answer.value}" for answer in Answer}
ANSWER_OF: dict[str, Answer] = {action: answer for answer, action in ACTION_OF.items()}
UNREACHABLE = N_(
    "This reporter is anonymous without a receipt code: meldbot cannot ask them anything."
)
NOT_YOURS = N_("This report is not yours, or it no longer exists.")


@dataclass(slots=True)
class Proposal:
    id: int
    case_id: int
    measure_id: int
    event_id: int  # the MEASURE_PROPOSED event: what the reporter's buttons point at
    asked_at: datetime
    asked_by: str | None = None
    answer: Answer | None = None
    answered_at: datetime | None = None


def reachable(case: Case) -> bool:
    """A named reporter hears it in their chat; an anonymous one reads it with their code."""
    return case.reporter is not None or case.receipt is not None


def button_value(case_id: int, event_id: int) -> str:
    return f"{case_id}:{event_id}"
