"""What meldbot holds about one person, as they are entitled to see it (AVG art. 15).

Given: what they told meldbot and what was told to them, their own records (sign-in,
roles, audit entries) and what they wrote in a case. Not given, only counted: the
coordinators' internal notes and workflow (art. 15(4) and the Dutch rule on internal
working notes: they hold the coordinators' thoughts and other people's data), the
narrative of a case to the coordinator who handled it (the reporter's data, not theirs),
and a letter's content to the manager (it is about the citizen). The summary says so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.case.models import Case, CaseEvent, EventKind
from bot.ports import Transaction
from bot.privacy.models import Inzage, Person, Role
from bot.privacy.ports import PersonRecords

# What the reporter did or said in their case: "from": "you".
FROM_REPORTER = frozenset(
    {
        EventKind.REPORTED,
        EventKind.ANSWER,
        EventKind.ADDITION,
        EventKind.HANDED_OVER,
        EventKind.HANDOVER_DECLINED,
        EventKind.PROPOSAL_AGREED,
        EventKind.PROPOSAL_RATHER_NOT,
        EventKind.PROPOSAL_TALK,
        EventKind.CONSENT_GIVEN,
        EventKind.CONSENT_DECLINED,
    }
)
# What the reporter was shown besides a text sent to them.
SHOWN_TO_REPORTER = frozenset(
    {EventKind.CLAIMED, EventKind.CLOSED, EventKind.REOPENED, EventKind.CALLED_BACK}
)


def _at(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def seen_by_reporter(event: CaseEvent) -> bool:
    return (
        event.kind in FROM_REPORTER
        or event.kind in SHOWN_TO_REPORTER
        or event.text is not None
        or event.reporter_informed
    )


def _reporter_event(event: CaseEvent) -> dict[str, Any]:
    return {
        "at": _at(event.created_at),
        "what": event.kind.value,
        "from": "you" if event.kind in FROM_REPORTER else "meldpunt",
        "text": event.text,
        "status": event.status.value if event.status else None,
        "measure": event.measure.value if event.measure else None,
    }


async def _reported_case(tx: Transaction, case: Case, counts: dict[str, int]) -> dict[str, Any]:
    events = await tx.cases.events(case.id)
    shown = [e for e in events if seen_by_reporter(e)]
    counts["messages"] += sum(1 for e in shown if e.text)
    counts["withheld"] += len(events) - len(shown)
    files = await tx.attachments.of_case(case.id)
    measures = await tx.measures.of_case(case.id)
    report = case.report
    return {
        "reference": case.reference,
        "status": case.status.value,
        "reported_at": _at(case.created_at),
        "closed_at": _at(case.closed_at),
        "your_name": case.reporter.name if case.reporter else None,
        "narrative": report.narrative,
        "category": report.category.value if report.category else None,
        "when": report.when.value if report.when else None,
        "place": report.location,
        "danger_now": report.danger_now,
        "wants_feedback": report.wants_feedback,
        "manager_may_be_involved": report.manager_consent,
        "department": report.department,
        "urgency": case.urgency.value,
        "handled_by": case.handler_name,
        "files": [{"name": f.name, "type": f.kind.value, "bytes": f.size} for f in files],
        "measures": [{"kind": m.kind.value, "step": m.step.value} for m in measures],
        "events": [_reporter_event(e) for e in shown],
    }


async def of_reporter(tx: Transaction, records: PersonRecords, person: Person) -> Inzage:
    counts = {"cases": 0, "messages": 0, "withheld": 0, "states": 0}
    cases, guarded = [], []
    for case_id in await records.reported(person.platform, person.ident):
        case = await tx.cases.get(case_id)
        if case is not None:
            cases.append(await _reported_case(tx, case, counts))
            guarded += _guarded(case)
    counts["cases"] = len(cases)
    counts["states"] = await _chat_rows(records, person)
    return Inzage(person, {"cases": cases}, counts, guarded)


def _guarded(case: Case | None) -> list[Case]:
    return [case] if case is not None and (case.restricted or case.for_confidant) else []


async def _chat_rows(records: PersonRecords, person: Person) -> int:
    if not person.is_chat:
        return 0
    states = await records.states(person.platform, person.ident)
    return states + await records.addresses(person.platform, person.ident)


def _written(events: list[CaseEvent], names: set[str]) -> list[dict[str, Any]]:
    folded = {name.casefold() for name in names}
    return [
        {"at": _at(e.created_at), "what": e.kind.value, "text": e.text, "note": e.note}
        for e in events
        if e.actor_name and e.actor_name.casefold() in folded
    ]


async def of_coordinator(tx: Transaction, records: PersonRecords, person: Person) -> Inzage:
    names = await records.names_used(person.key)
    handled, guarded = [], []
    for case_id in await records.handled(person.key):
        case = await tx.cases.get(case_id)
        if case is None:
            continue
        guarded += _guarded(case)
        handled.append(
            {
                "reference": case.reference,
                "status": case.status.value,
                "you_handle_it": case.handler_id == person.key,
                "what_you_wrote": _written(await tx.cases.events(case.id), names),
            }
        )
    audit = [
        {"at": _at(e.at), "action": e.action, "reference": e.reference, "detail": e.detail}
        for e in await records.audit_of(person.key)
    ]
    answered = []
    for consultation_id in await records.answered(person.key):
        entries = await tx.consultations.entries(consultation_id)
        answered.append(
            [{"at": _at(e.created_at), "text": e.text} for e in entries if e.author_name in names]
        )
    data: dict[str, Any] = {
        "names": sorted(names),
        "cases": handled,
        "consultations_answered": answered,
        "audit_entries": audit,
    }
    counts = {"cases": len(handled), "audit": len(audit), "consultations": len(answered)}
    await _console(records, person, data, counts)
    counts["states"] = await _chat_rows(records, person)
    return Inzage(person, data, counts, guarded)


async def _console(
    records: PersonRecords, person: Person, data: dict[str, Any], counts: dict[str, int]
) -> None:
    """A console identity: who they are as of their last sign-in, links, sessions."""
    if person.platform != "console":
        return
    held = await records.console_identity(person.ident)
    chats = await records.linked_chats(person.ident)
    sessions = len(await records.sessions(person.ident))
    if held is not None:
        data["console"] = {
            "name": held.principal.name,
            "email": held.principal.email,
            "roles": sorted(held.principal.roles),
            "last_signed_in": _at(held.signed_in_at),
            "linked_chat_identities": chats,
            "sessions": sessions,
        }
    counts["console"] = int(held is not None) + len(chats) + sessions


async def of_manager(tx: Transaction, records: PersonRecords, person: Person) -> Inzage:
    invitations, guarded = [], []
    for invitation in await tx.invitations.of_manager([person.key]):
        case = await tx.cases.get(invitation.case_id)
        guarded += _guarded(case)
        letter = await tx.manager_letters.latest(invitation.id)
        invitations.append(
            {
                "reference": case.reference if case else None,
                "your_name": invitation.manager.name,
                "invited_at": _at(invitation.invited_at),
                "invited_by": invitation.invited_by,
                "shared_with_you": invitation.shared,
                "your_answer": invitation.answer.value if invitation.answer else None,
                "your_note": invitation.answer_note,
                "answered_at": _at(invitation.answered_at),
                "letter": None
                if letter is None
                else {
                    "file": letter.filename,
                    "kind": letter.kind.value,
                    "sent_at": _at(letter.sent_at),
                },
            }
        )
    counts = {"invitations": len(invitations), "states": await _chat_rows(records, person)}
    data: dict[str, Any] = {"invitations": invitations}
    await _console(records, person, data, counts)
    return Inzage(person, data, counts, guarded)


async def inzage(tx: Transaction, records: PersonRecords, person: Person) -> Inzage:
    gather = {
        Role.REPORTER: of_reporter,
        Role.COORDINATOR: of_coordinator,
        Role.MANAGER: of_manager,
    }
    return await gather[person.role](tx, records, person)
