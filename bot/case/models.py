"""Case domain types: categories, statuses and their transitions, measures, events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.consultation.models import Receipt
from bot.events import MessageRef, Platform


class Category(StrEnum):
    VERBAL_AGGRESSION = "verbal_aggression"
    THREAT = "threat"
    PHYSICAL_VIOLENCE = "physical_violence"
    INTIMIDATION = "intimidation"
    DISCRIMINATION = "discrimination"
    SEXUAL_INTIMIDATION = "sexual_intimidation"
    ONLINE_AGGRESSION = "online_aggression"  # threats or abuse by e-mail, social media, phone
    TRAFFICKING = "trafficking"
    INTEGRITY = "integrity"  # a suspected wrong under the whistleblower act: legal clocks
    OTHER = "other"


class Status(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    MEASURE = "measure"
    CLOSED = "closed"


# Closing is always possible while open; a closed case can be reopened into handling.
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.NEW: frozenset({Status.IN_PROGRESS, Status.MEASURE, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.MEASURE, Status.CLOSED}),
    Status.MEASURE: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_PROGRESS}),
}


def can_transition(current: Status, target: Status) -> bool:
    return target in TRANSITIONS[current]


class CategorySource(StrEnum):
    """Who said what kind of incident it is: coordinators see whether meldbot only guessed."""

    REPORTER = "reporter"
    MELDBOT = "meldbot"  # suggested from the words; the reporter did not choose
    COORDINATOR = "coordinator"


class Addressee(StrEnum):
    """Whom the reporter tells (seed 002: people with different roles to report to)."""

    MELDPUNT = "meldpunt"
    CONFIDANT = "confidant"  # the vertrouwenspersoon, instead of the meldpunt


class Urgency(StrEnum):
    NORMAL = "normal"
    URGENT = "urgent"


class MeasureKind(StrEnum):
    """The CMA's measures, lightest first (seed 004)."""

    ORDER_TALK = "order_talk"  # ordegesprek
    WARNING_LETTER = "warning_letter"  # waarschuwingsbrief
    CALL_BAN = "call_ban"  # belverbod
    BUILDING_BAN = "building_ban"  # pandverbod
    OFFICE_TALK = "office_talk"  # gesprek op kantoor
    POLICE_REPORT = "police_report"  # aangifte
    NONE = "none"


class EventKind(StrEnum):
    """Everything that happens to a case; each becomes a reply in the case's thread."""

    REPORTED = "reported"
    CLAIMED = "claimed"
    QUESTION = "question"
    ANSWER = "answer"
    ADDITION = "addition"
    STATUS = "status"
    CLOSED = "closed"
    REOPENED = "reopened"
    PAGED = "paged"  # the on-call coordinator was paged for an urgent case
    ON_IT = "on_it"  # "Ik bel nu": the on-call coordinator acknowledged the page
    ESCALATED = "escalated"  # nobody acknowledged in time: the backup and channel paged
    CALLED_BACK = "called_back"  # the reporter was called back
    CLOCK = "clock"  # a clock reminder: unclaimed, or a legal deadline coming up
    CORRECTED = "corrected"  # a coordinator changed the category or the urgency
    HANDOVER_ASKED = "handover_asked"  # the confidant asks the reporter to pass it on
    HANDED_OVER = "handed_over"  # the reporter agreed: the meldpunt has it now
    HANDOVER_DECLINED = "handover_declined"  # the reporter would rather not
    REASSIGNED = "reassigned"  # handed over to another coordinator: the handler changed
    NOTE = "note"  # an internal note: coordinators only, never to or for the reporter
    MESSAGE = "message"  # a message to the reporter, outside a question or status
    RESTRICTED = "restricted"  # only named coordinators may see and handle the case now
    UNRESTRICTED = "unrestricted"  # the restriction was lifted: all coordinators again
    # A measure's steps (bot/measures): the event's ``measure`` is its kind, ``note`` the
    # step's note.
    MEASURE_ADVISED = "measure_advised"
    MEASURE_AGREED = "measure_agreed"
    MEASURE_CARRIED_OUT = "measure_carried_out"
    MEASURE_EVALUATED = "measure_evaluated"
    MEASURE_DROPPED = "measure_dropped"
    # A ban's life after it was advised (bot/measures/bans.py): ``measure`` is its kind.
    BAN_EXTENDED = "ban_extended"  # ``note``: why
    BAN_ENDING = "ban_ending"  # re-evaluated: it ends on its end date
    BAN_ENDED = "ban_ended"  # ended early, or its end date passed: the reporter hears it
    POLICE_INFORMED = "police_informed"  # of a pandverbod
    # The reporter's say (bot/measures/proposal.py): a measure proposed to them, and their
    # answer; the aangifte guidance sent and the aangifte recorded (bot/aangifte); an
    # external report of a trafficking signal recorded (bot/trafficking).
    MEASURE_PROPOSED = "measure_proposed"
    PROPOSAL_AGREED = "proposal_agreed"
    PROPOSAL_RATHER_NOT = "proposal_rather_not"
    PROPOSAL_TALK = "proposal_talk"
    AANGIFTE_GUIDANCE = "aangifte_guidance"
    AANGIFTE_RECORDED = "aangifte_recorded"
    EXTERNAL_REPORT = "external_report"
    # The manager in the loop (bot/manager): consent, the invitation, "Hoe ging het?".
    CONSENT_ASKED = "consent_asked"  # a coordinator asks the reporter's consent
    CONSENT_GIVEN = "consent_given"  # the reporter: the manager may be involved
    CONSENT_DECLINED = "consent_declined"  # the reporter would rather not
    MANAGER_INVITED = "manager_invited"  # a manager invited for a measure (``measure``)
    MANAGER_DONE = "manager_done"  # "Hoe ging het?": done (``note``: the manager's note)
    MANAGER_NOT_DONE = "manager_not_done"
    MANAGER_HELP = "manager_help"  # the manager asks the coordinators for help
    LETTER_SENT = "letter_sent"  # a letter sent to the invited manager (``measure``)


class When(StrEnum):
    JUST_NOW = "just_now"
    EARLIER_TODAY = "earlier_today"
    YESTERDAY = "yesterday"
    EARLIER = "earlier"


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who reported, on which platform; feedback goes to their personal chat."""

    platform: Platform
    user_id: str
    name: str | None = None


@dataclass(slots=True)
class NewReport:
    """What a reporter gives. Only the narrative is required."""

    narrative: str
    category: Category | None = None
    when: When | None = None
    location: str | None = None
    danger_now: bool | None = None
    wants_feedback: bool = True
    manager_consent: bool | None = None
    language: str = "nl"
    department: str | None = None  # one of the configured departments, for trends only
    aftercare: bool = False  # may meldbot ask, some days after closing, how they are
    category_source: CategorySource | None = None
    self_harm: bool = False  # the words tell of someone threatening to harm themselves
    addressee: Addressee = Addressee.MELDPUNT
    # Files held for this report (bot.attachments), made the case's when it opens. Input
    # only: a stored case's files are in ``tx.attachments``.
    attachments: tuple[int, ...] = ()

    @property
    def urgency(self) -> Urgency:
        return Urgency.URGENT if self.danger_now else Urgency.NORMAL


@dataclass(slots=True)
class Case:
    id: int
    reference: str
    status: Status
    urgency: Urgency
    report: NewReport
    reporter: Reporter | None
    coordination_platform: Platform
    created_at: datetime
    updated_at: datetime
    handler_id: str | None = None
    handler_name: str | None = None
    measure: MeasureKind | None = None
    alert: MessageRef | None = None
    closed_at: datetime | None = None
    version: int = 1
    receipt: Receipt | None = None  # an anonymous reporter follows the case with its code
    # Keys (``Acting.key``) of the only coordinators who may see it; empty: all of them.
    restricted_to: frozenset[str] = frozenset()
    # The earliest clock still running (bot/case/due.py), kept on the case for the lists.
    due_at: datetime | None = None
    first_contact_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is not Status.CLOSED

    @property
    def restricted(self) -> bool:
        return bool(self.restricted_to)

    @property
    def for_confidant(self) -> bool:
        return self.report.addressee is Addressee.CONFIDANT


@dataclass(frozen=True, slots=True)
class CaseEvent:
    id: int
    case_id: int
    kind: EventKind
    created_at: datetime
    actor_name: str | None = None
    text: str | None = None  # for the reporter too (a question, a message)
    note: str | None = None  # for coordinators only (a closing summary)
    status: Status | None = None
    measure: MeasureKind | None = None
    reporter_informed: bool = False
    category: Category | None = None  # a correction's new category
    urgency: Urgency | None = None  # a correction's new urgency


def format_reference(year: int, sequence: int) -> str:
    return f"M-{year}-{sequence:04d}"
