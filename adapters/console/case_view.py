"""A case file as the case page shows it: the report, its clocks and its timeline.

The timeline reads each event as the thread in the chat would with content shown
(``views.thread_note``): one wording for the same event everywhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from adapters.console.shown import Part, Shown, shown
from bot.case import views
from bot.case.card import category_with_source, yes_no
from bot.case.detail import Detail
from bot.case.due import Clock, Duty
from bot.case.labels import when_label
from bot.case.models import Case, CaseEvent, EventKind
from bot.case.reading import CaseFile
from bot.i18n import N_, Translator
from bot.settings import Contact

DUTIES = {
    Duty.FIRST_CONTACT: N_("First contact with the reporter"),
    Duty.ACKNOWLEDGE: N_("Confirm receipt to the reporter"),
    Duty.FEEDBACK: N_("Tell the reporter what is being done"),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One event in the timeline."""

    when: str
    moment: str  # the same, for machines (ISO 8601)
    blocks: list[Shown]
    internal: bool  # for coordinators only: an internal note


@dataclass(frozen=True, slots=True)
class ClockShown:
    label: str
    due: str
    met: str | None
    overdue: bool


def reporter_of(case: Case, t: Translator) -> str:
    if case.receipt is not None:
        return t("Anonymous colleague · {pseudonym}", pseudonym=case.receipt.pseudonym)
    if case.reporter is None:
        return t("anonymous")
    return case.reporter.name or case.reporter.user_id


def report_facts(case: Case, t: Translator) -> list[tuple[str, str]]:
    """What was reported besides the story, every answer shown (given or not)."""
    report = case.report
    return [
        (t("Reporter"), reporter_of(case, t)),
        (t("When"), when_label(t, report.when)),
        (t("Where"), report.location or t("Not given")),
        (t("Category"), category_with_source(t, report)),
        (t("Department"), report.department or t("Not given")),
        (t("Manager may be involved"), yes_no(t, report.manager_consent)),
        (t("Wants feedback"), yes_no(t, report.wants_feedback)),
        (t("Reported"), t.datetime(case.created_at)),
    ]


def clocks_of(file: CaseFile, t: Translator, now: datetime) -> list[ClockShown]:
    """Each clock, due and met; overdue only while the case is open (as in the lists)."""
    return [_clock(clock, t, now, file.case.is_open) for clock in file.clocks]


def _clock(clock: Clock, t: Translator, now: datetime, running: bool) -> ClockShown:
    met = t.datetime(clock.met_at) if clock.met_at else None
    overdue = running and clock.overdue(now)
    return ClockShown(t(DUTIES[clock.duty]), t.datetime(clock.due_at), met, overdue)


def timeline(
    file: CaseFile, t: Translator, detail: Detail, crisis: Sequence[Contact]
) -> list[Entry]:
    return [_entry(file.case, event, t, detail, crisis) for event in file.events]


def _entry(
    case: Case, event: CaseEvent, t: Translator, detail: Detail, crisis: Sequence[Contact]
) -> Entry:
    when, moment = t.datetime(event.created_at), event.created_at.isoformat()
    if event.kind is EventKind.REPORTED:  # the report itself is at the top of the page
        return Entry(when, moment, [Shown("text", [Part(t("The report came in."))])], False)
    note = views.thread_note(case, event, t, detail, crisis=crisis)
    return Entry(when, moment, shown(note.blocks), event.kind is EventKind.NOTE)


def guidance(case: Case, t: Translator, crisis: Sequence[Contact]) -> list[Shown]:
    """The self-harm guidance of a flagged case: it is no longer in a minimal chat."""
    return shown(views.self_harm_guidance(t, crisis)) if case.report.self_harm else []
