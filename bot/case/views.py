"""Neutral views of a case: the coordinator card, thread notes, reporter messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.case import action_views
from bot.case.labels import category_label, measure_label, status_label, when_label
from bot.case.models import Case, CaseEvent, CategorySource, EventKind, NewReport, Urgency
from bot.case.reporter_views import contact_person
from bot.i18n import N_, Translator
from bot.settings import Contact
from bot.ui import (
    Actions,
    Block,
    Button,
    ChannelMention,
    Facts,
    Heading,
    Inline,
    Mention,
    Message,
    Note,
    Quote,
    Strong,
    Text,
)

SUMMARY_LENGTH = 280


def summarise(text: str, length: int = SUMMARY_LENGTH) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1].rstrip() + "…"


def _yes_no(t: Translator, value: bool | None) -> str:
    if value is None:
        return t("Not given")
    return t("Yes") if value else t("No")


def case_card(case: Case, t: Translator) -> Message:
    """The root message of a case in the coordinator channel, updated in place."""
    report = case.report
    urgent = case.urgency is Urgency.URGENT
    title = t("Report {reference}", reference=case.reference)
    if case.for_confidant:
        title = t("Report {reference} for the confidential adviser", reference=case.reference)
    if urgent:
        title = t("URGENT · {title}", title=title)
    reporter: list[str | Mention | Strong] = [t("Reporter: ")]
    if case.receipt is not None:
        reporter.append(t("Anonymous colleague · {pseudonym}", pseudonym=case.receipt.pseudonym))
    elif case.reporter is None:
        reporter.append(t("anonymous"))
    elif case.reporter.platform == case.coordination_platform:
        # The platform shows the name; Teams needs one to show with the mention.
        reporter.append(Mention(case.reporter.user_id, case.reporter.name))
    else:
        reporter.append(case.reporter.name or case.reporter.user_id)
    facts = [
        (t("Status"), status_label(t, case.status)),
        (t("Handled by"), case.handler_name or t("nobody yet")),
        (t("Urgency"), t("Danger now") if urgent else t("Normal")),
        (t("Wants feedback"), _yes_no(t, report.wants_feedback)),
    ]
    # Optional answers are shown only when given: a short card reads faster.
    if report.category:
        facts.append((t("Category"), _category(t, report)))
    if report.when:
        facts.append((t("When"), when_label(t, report.when)))
    if report.location:
        facts.append((t("Where"), report.location))
    if report.manager_consent is not None:
        facts.append((t("Manager may be involved"), _yes_no(t, report.manager_consent)))
    if case.measure:
        facts.append((t("Measure"), measure_label(t, case.measure)))
    blocks: list[Block] = [Heading(title), Text(reporter)]
    if report.self_harm:
        blocks.append(
            Text.of(Strong(t("⚠ Someone threatened to harm themselves: see the thread.")))
        )
    blocks += [
        Facts(facts),
        Quote(summarise(report.narrative)),
        Note(t("Reported {moment}", moment=t.datetime(case.created_at))),
        Actions(_case_buttons(case, t)),
    ]
    summary = f"{title} · {category_label(t, report.category)} · {status_label(t, case.status)}"
    return Message(summary=summary, blocks=blocks)


def _case_buttons(case: Case, t: Translator) -> list[Button]:
    value = str(case.id)
    if not case.is_open:
        return [Button(t("Reopen"), "case.reopen", value)]
    buttons = []
    if case.handler_id is None:
        buttons.append(Button(t("Claim"), "case.claim", value, style="primary"))
    buttons += [
        Button(t("Ask the reporter"), "case.ask", value),
        Button(t("Update status"), "case.status", value),
        Button(t("Category or urgency"), "case.correct", value),
    ]
    if case.for_confidant and case.reporter is not None:
        buttons.append(Button(t("Pass on to the meldpunt"), "case.handover", value))
    buttons.append(Button(t("Close"), "case.close", value, style="danger"))
    return buttons


def passed_on_card(reference: str, t: Translator) -> Message:
    """What stays in the vertrouwenspersoon's channel once the meldpunt has the case."""
    text = t("{ref} was passed on to the meldpunt with the reporter's consent.", ref=reference)
    return Message(summary=text, blocks=[Text.of(text)])


_SOURCES = {
    CategorySource.REPORTER: N_("chosen by the reporter"),
    CategorySource.MELDBOT: N_("suggested by meldbot"),
    CategorySource.COORDINATOR: N_("set by a coordinator"),
}


def _category(t: Translator, report: NewReport) -> str:
    """The category, and who said so: a suggestion from the words is only a guess."""
    label = category_label(t, report.category)
    source = report.category_source
    return f"{label} ({t(_SOURCES[source])})" if source else label


def self_harm_guidance(t: Translator, crisis: Sequence[Contact]) -> list[Block]:
    """For coordinators, when the words tell of a citizen threatening to harm themselves."""
    blocks: list[Block] = [
        Text.of(Strong(t("The report mentions someone threatening to harm themselves."))),
        Text.of(
            t(
                "Acute danger: call 112. For advice, day and night: 113 Zelfmoordpreventie, "
                "0800-0113 (free) or 113.nl. Ask the reporter how they are, too."
            )
        ),
    ]
    blocks.extend(contact_person(contact) for contact in crisis)
    return blocks


@dataclass(frozen=True, slots=True)
class Paging:
    """What an on-call page's note shows beyond its event: whom it pages (a mention; a
    name once the page's record is gone; None: nobody by name) and its clock."""

    person: Mention | str | None
    call_back_by: datetime
    escalates_at: datetime


def thread_note(
    case: Case,
    event: CaseEvent,
    t: Translator,
    paging: Paging | None = None,
    crisis: Sequence[Contact] = (),
) -> Message:
    """One reply in the case's thread for each thing that happens to it."""
    actor = event.actor_name or t("someone")
    blocks: list[Block]
    match event.kind:
        case EventKind.REPORTED:
            blocks = [Text.of(Strong(t("Full report"))), Quote(case.report.narrative)]
            if case.report.self_harm:
                blocks += self_harm_guidance(t, crisis)
        case EventKind.CORRECTED:
            blocks = _corrected(event, actor, t)
        case EventKind.HANDOVER_ASKED:
            text = t(
                "{actor} asked the reporter whether the meldpunt may have this report.",
                actor=actor,
            )
            blocks = [Text.of(text)]
        case EventKind.HANDED_OVER:
            # The first note in the meldpunt's new thread: what was reported, as reported.
            blocks = [
                Text.of(
                    Strong(t("Passed on by the confidential adviser, with the reporter's consent."))
                ),
                Quote(case.report.narrative),
            ]
            if case.report.self_harm:
                blocks += self_harm_guidance(t, crisis)
        case EventKind.HANDOVER_DECLINED:
            text = t("The reporter would rather keep this with the confidential adviser.")
            blocks = [Text.of(text)]
        case EventKind.CLAIMED:
            blocks = [Text.of(t("{actor} claimed this case.", actor=actor))]
            blocks.append(
                Note(t("First step: call the reporter — what happened, how are you now?"))
            )
        case EventKind.QUESTION:
            blocks = [
                Text.of(t("{actor} asked the reporter:", actor=actor)),
                Quote(event.text or ""),
            ]
        case EventKind.ANSWER:
            blocks = [Text.of(Strong(t("The reporter answered:"))), Quote(event.text or "")]
        case EventKind.ADDITION:
            blocks = [Text.of(Strong(t("The reporter added:"))), Quote(event.text or "")]
        case EventKind.STATUS:
            label = status_label(t, event.status) if event.status else ""
            blocks = [Text.of(t("{actor} set the status to {status}.", actor=actor, status=label))]
            if event.measure:
                blocks.append(Text.of(t("Measure: {m}", m=measure_label(t, event.measure))))
            if event.text:
                blocks += [Text.of(t("Message to the reporter:")), Quote(event.text)]
        case EventKind.CLOSED:
            blocks = [Text.of(t("{actor} closed this case.", actor=actor))]
            if event.text:
                blocks += [Text.of(t("Message to the reporter:")), Quote(event.text)]
        case EventKind.REOPENED:
            blocks = [Text.of(t("{actor} reopened this case.", actor=actor))]
        case EventKind.PAGED:
            blocks = _paged(case, event, t, paging)
        case EventKind.ESCALATED:
            backup = paging.person if paging else event.actor_name
            blocks = _escalated(case, backup, t)
        case EventKind.ON_IT if case.reporter is None:
            blocks = [Text.of(t("{actor} is on it.", actor=actor))]
        case EventKind.ON_IT:
            blocks = [Text.of(t("{actor} is calling the reporter back now.", actor=actor))]
        case EventKind.CALLED_BACK:
            after = _minutes(t, case.created_at, event.created_at)
            text = t(
                "Called back at {time} ({after} after the report), by {actor}.",
                time=t.time_of_day(event.created_at),
                after=after,
                actor=actor,
            )
            blocks = [Text.of(text)]
        case EventKind.CLOCK:
            # The case clocks post their own notes (clock_views); this one only ever shows
            # if a clock event reaches the plain thread path, and its note is a code.
            blocks = [Text.of(t("A reminder about this case."))]
        case _ if event.kind in action_views.KINDS:
            blocks = action_views.action_note(case, event, t)
    if event.note and event.kind not in OWN_NOTE:
        blocks += [Text.of(Strong(t("Summary for the file:"))), Quote(event.note)]
    if event.kind in TOLD:
        blocks.append(Note(_feedback_note(case, event, t)))
    first = blocks[0]
    headline = "".join(_plain(p) for p in first.parts) if isinstance(first, Text) else ""
    return Message(
        summary=f"{case.reference}: {headline or t('Full report')}",
        blocks=blocks,
        broadcast=event.kind in PAGES,  # the whole channel must see a page, not only the thread
    )


PAGES = frozenset({EventKind.PAGED, EventKind.ESCALATED})
# Events whose note is not a summary for the file: a clock's code, the note itself, a name.
OWN_NOTE = frozenset({EventKind.CLOCK, EventKind.NOTE, EventKind.REASSIGNED})
# Events after which the thread hears whether the reporter was told.
TOLD = frozenset(
    {
        EventKind.CLAIMED,
        EventKind.STATUS,
        EventKind.CLOSED,
        EventKind.ON_IT,
        EventKind.MESSAGE,
        EventKind.REASSIGNED,
    }
)


def _corrected(event: CaseEvent, actor: str, t: Translator) -> list[Block]:
    blocks: list[Block] = []
    if event.category is not None:
        label = category_label(t, event.category)
        blocks.append(
            Text.of(t("{actor} set the category to {category}.", actor=actor, category=label))
        )
    if event.urgency is Urgency.URGENT:
        blocks.append(Text.of(t("{actor} raised the urgency: danger now.", actor=actor)))
    elif event.urgency is Urgency.NORMAL:
        blocks.append(Text.of(t("{actor} lowered the urgency to normal.", actor=actor)))
    return blocks or [Text.of(t("{actor} corrected this case.", actor=actor))]


def _plain(part: Inline) -> str:
    """A headline's words: mentions by name only, never by platform id."""
    if isinstance(part, str):
        return part
    if isinstance(part, Mention):
        return f"@{part.name}" if part.name else ""
    if isinstance(part, ChannelMention):
        return f"@{part.label}"
    return ""


def _minutes(t: Translator, start: datetime, end: datetime) -> str:
    count = max(0, int((end - start).total_seconds() // 60))
    return t.plural("{count} minute", "{count} minutes", count)


def _with_person(text: str, person: Mention | str) -> list[Inline]:
    """A translated sentence with ``{person}`` in it, the person put in as a mention."""
    before, _, after = text.partition("{person}")
    return [part for part in (before, person, after) if part]


def _page_buttons(case: Case, t: Translator) -> Actions:
    value = str(case.id)
    if case.reporter is None:  # nobody can call an anonymous reporter back
        return Actions([Button(t("I'm on it"), "oncall.on_it", value, style="primary")])
    return Actions(
        [
            Button(t("I'm calling now"), "oncall.on_it", value, style="primary"),
            Button(t("Called back"), "oncall.called_back", value),
        ]
    )


def _paged(case: Case, event: CaseEvent, t: Translator, paging: Paging | None) -> list[Block]:
    """The page in the thread: who is paged and by when the reporter must hear from us."""
    person = paging.person if paging else event.actor_name
    anonymous = case.reporter is None
    deadline = t.time_of_day(paging.call_back_by) if paging else ""
    if person is None:
        if anonymous:
            ask = t("Urgent report, and nobody is on call right now. Who takes it?")
        else:
            ask = t(
                "Urgent report, and nobody is on call right now. Who calls the reporter back "
                "before {deadline}?",
                deadline=deadline,
            )
        return [Text.of(ChannelMention(t("everyone")), " ", ask), _page_buttons(case, t)]
    moment = t.time_of_day(event.created_at)
    if anonymous:
        text = t(
            "On call: {person} was paged at {time}. The reporter is anonymous and cannot be "
            "called back.",
            person="{person}",
            time=moment,
        )
    elif paging is None:
        text = t("On call: {person} was paged at {time}.", person="{person}", time=moment)
    else:
        text = t(
            "On call: {person} was paged at {time} — call back before {deadline}.",
            person="{person}",
            time=moment,
            deadline=deadline,
        )
    blocks: list[Block] = [Text(_with_person(text, person))]
    if paging is not None:
        later = t.time_of_day(paging.escalates_at)
        blocks.append(
            Note(t("No answer by {time}? Then the backup and everyone here are paged.", time=later))
        )
    blocks.append(_page_buttons(case, t))
    return blocks


def _escalated(case: Case, backup: Mention | str | None, t: Translator) -> list[Block]:
    """Nobody answered the page: the backup and the whole channel are called on."""
    parts: list[Inline] = [ChannelMention(t("everyone")), " ", t("Nobody has answered the page.")]
    if backup is not None:
        parts += [" ", *_with_person(t("Backup: {person}.", person="{person}"), backup)]
    ask = t("Who takes it now?") if case.reporter is None else t("Who calls the reporter back now?")
    parts += [" ", ask]
    return [Text(parts), _page_buttons(case, t)]


def _feedback_note(case: Case, event: CaseEvent, t: Translator) -> str:
    if event.reporter_informed:
        return t("The reporter is informed.")
    if case.receipt is not None and case.receipt.notify:
        return t("The reporter is anonymous; they get a notice and read this with their code.")
    if case.reporter is None:
        return t("The reporter is anonymous and reads this through their receipt code.")
    return t("The reporter asked not to receive feedback.")


def delivery_failed_note(t: Translator) -> Message:
    text = t("This message could not be delivered to the reporter. Please call them instead.")
    return Message(summary=text, blocks=[Text.of(Strong(text))])
