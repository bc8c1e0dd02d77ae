"""Consent, invitations and the manager's answer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.case.models import Case, CaseEvent, EventKind

CONSENT_STEPS = frozenset(
    {EventKind.CONSENT_ASKED, EventKind.CONSENT_GIVEN, EventKind.CONSENT_DECLINED}
)


class Consent(StrEnum):
    """Whether the reporter's manager may be involved, as it stands now."""

    GIVEN = "given"
    DECLINED = "declined"
    ASKED = "asked"  # a question is open in the reporter's chat
    UNKNOWN = "unknown"  # never said: the same as no


def consent_of(case: Case, events: list[CaseEvent]) -> Consent:
    """The reporter's latest word: an answer in the chat counts over the report's option."""
    last = next((e.kind for e in reversed(events) if e.kind in CONSENT_STEPS), None)
    if last is EventKind.CONSENT_GIVEN:
        return Consent.GIVEN
    if last is EventKind.CONSENT_DECLINED:
        return Consent.DECLINED
    if last is EventKind.CONSENT_ASKED:
        return Consent.ASKED
    if case.report.manager_consent is True:
        return Consent.GIVEN
    return Consent.DECLINED if case.report.manager_consent is False else Consent.UNKNOWN


class Answer(StrEnum):
    """The manager's answer to "Hoe ging het?"."""

    DONE = "done"
    NOT_DONE = "not_done"
    NEED_HELP = "need_help"


EVENT_OF_ANSWER: dict[Answer, EventKind] = {
    Answer.DONE: EventKind.MANAGER_DONE,
    Answer.NOT_DONE: EventKind.MANAGER_NOT_DONE,
    Answer.NEED_HELP: EventKind.MANAGER_HELP,
}
CHAT_PLATFORMS = ("slack", "teams", "web")


@dataclass(frozen=True, slots=True)
class Invitee:
    """Whom a coordinator invites: a chat identity (``slack:U1``), a sign-in subject
    (``console:<subject>``) or a sign-in e-mail address (``email:<address>``)."""

    key: str
    name: str

    @property
    def kind(self) -> str:
        return self.key.partition(":")[0]

    @property
    def ident(self) -> str:
        return self.key.partition(":")[2]


@dataclass(frozen=True, slots=True)
class Invitation:
    id: int
    case_id: int
    measure_id: int
    manager: Invitee
    shared: str  # what the coordinator chose to share; sealed at rest
    invited_at: datetime
    invited_by: str
    answer: Answer | None = None
    answer_note: str | None = None
    answered_at: datetime | None = None
