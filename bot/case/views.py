"""Neutral views of a case: the coordinator card, thread notes, reporter messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.case.labels import category_label, measure_label, status_label, when_label
from bot.case.models import Case, CaseEvent, EventKind, Status, Urgency
from bot.i18n import Translator
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
    Person,
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
        facts.append((t("Category"), category_label(t, report.category)))
    if report.when:
        facts.append((t("When"), when_label(t, report.when)))
    if report.location:
        facts.append((t("Where"), report.location))
    if report.manager_consent is not None:
        facts.append((t("Manager may be involved"), _yes_no(t, report.manager_consent)))
    if case.measure:
        facts.append((t("Measure"), measure_label(t, case.measure)))
    blocks: list[Block] = [
        Heading(title),
        Text(reporter),
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
        Button(t("Close"), "case.close", value, style="danger"),
    ]
    return buttons


@dataclass(frozen=True, slots=True)
class Paging:
    """What an on-call page's note shows beyond its event: whom it pages (a mention; a
    name once the page's record is gone; None: nobody by name) and its clock."""

    person: Mention | str | None
    call_back_by: datetime
    escalates_at: datetime


def thread_note(
    case: Case, event: CaseEvent, t: Translator, paging: Paging | None = None
) -> Message:
    """One reply in the case's thread for each thing that happens to it."""
    actor = event.actor_name or t("someone")
    blocks: list[Block]
    match event.kind:
        case EventKind.REPORTED:
            blocks = [Text.of(Strong(t("Full report"))), Quote(case.report.narrative)]
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
    if event.note and event.kind is not EventKind.CLOCK:
        blocks += [Text.of(Strong(t("Summary for the file:"))), Quote(event.note)]
    if event.kind in {EventKind.CLAIMED, EventKind.STATUS, EventKind.CLOSED, EventKind.ON_IT}:
        blocks.append(Note(_feedback_note(case, event, t)))
    first = blocks[0]
    headline = "".join(_plain(p) for p in first.parts) if isinstance(first, Text) else ""
    return Message(
        summary=f"{case.reference}: {headline or t('Full report')}",
        blocks=blocks,
        broadcast=event.kind in PAGES,  # the whole channel must see a page, not only the thread
    )


PAGES = frozenset({EventKind.PAGED, EventKind.ESCALATED})


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


def contact_person(contact: Contact) -> Person:
    return Person(contact.name, contact.role, contact.photo_url, contact.phone)


def support_blocks(support: list[Contact], t: Translator) -> list[Block]:
    blocks: list[Block] = [Text.of(Strong(t("Support, now or later")))]
    if not support:
        blocks.append(Text.of(t("Your manager or the confidential adviser can support you.")))
    blocks.extend(contact_person(contact) for contact in support)
    return blocks


def reporter_notice(
    case: Case, event: CaseEvent, t: Translator, support: list[Contact]
) -> Message | None:
    """What the reporter hears about an event, in plain and warm words (None: nothing)."""
    handler = case.handler_name or t("the coordinator")
    ref = case.reference
    blocks: list[Block]
    match event.kind:
        case EventKind.CLAIMED:
            text = t(
                "Good news: {handler} has picked up your report {ref}. {handler} will contact "
                "you to hear what happened and how you are doing now.",
                handler=handler,
                ref=ref,
            )
            blocks = [Text.of(text)]
        case EventKind.QUESTION:
            text = t("{handler} has a question about your report {ref}:", handler=handler, ref=ref)
            blocks = [
                Text.of(text),
                Quote(event.text or ""),
                Text.of(t("You can simply answer here in this chat.")),
                Actions([Button(t("Answer"), "case.answer", str(case.id), style="primary")]),
            ]
        case EventKind.STATUS if event.status is Status.MEASURE and event.measure:
            text = t(
                "There is progress on your report {ref}: the following measure is being taken: "
                "{measure}.",
                ref=ref,
                measure=measure_label(t, event.measure),
            )
            blocks = [Text.of(text)]
        case EventKind.STATUS:
            label = status_label(t, event.status) if event.status else ""
            text = t("Your report {ref} now has the status: {status}.", ref=ref, status=label)
            blocks = [Text.of(text)]
        case EventKind.ON_IT:
            text = t(
                "Someone is calling you back now about your report {ref}: {name}.",
                name=event.actor_name or handler,
                ref=ref,
            )
            blocks = [Text.of(text)]
        case EventKind.CLOSED:
            text = t(
                "Your report {ref} has been closed. Thank you for reporting it — it helps your "
                "colleagues too.",
                ref=ref,
            )
            blocks = [Text.of(text)]
        case _:
            return None
    if event.kind is not EventKind.QUESTION and event.text:
        blocks.append(Text.of(t("Message from {handler}:", handler=handler)))
        blocks.append(Quote(event.text))
    if event.kind is EventKind.CLOSED:
        blocks.extend(support_blocks(support, t))
    return Message(summary=text, blocks=blocks)


def receipt(
    case: Case,
    t: Translator,
    coordinator: Contact,
    support: list[Contact],
    first_contact_hours: int,
    urgent_minutes: int,
) -> Message:
    """The confirmation a reporter sees once the report is stored."""
    heading = t("Your report has been received")
    if case.urgency is Urgency.URGENT:
        next_step = t(
            "Because you said someone is in danger now, the on-call coordinator will contact "
            "you within {minutes} minutes. In immediate danger, call 112.",
            minutes=urgent_minutes,
        )
    else:
        next_step = t(
            "{name} will contact you within {hours} hours to hear what happened and how you "
            "are doing. Nothing happens without talking to you first.",
            name=coordinator.name,
            hours=first_contact_hours,
        )
    blocks: list[Block] = [
        Heading(heading),
        Facts([(t("Reference"), case.reference)]),
        Text.of(t("Who handles your report:")),
        contact_person(coordinator),
        Text.of(next_step),
    ]
    if not case.report.wants_feedback:
        blocks.append(Text.of(t("You chose not to receive updates; you can always ask.")))
    blocks += [
        Text.of(
            t(
                "Want to add something later? Press the button, or send a message here "
                "starting with your reference {ref}.",
                ref=case.reference,
            )
        ),
        Actions([Button(t("Add information"), "case.add_info", str(case.id))]),
        *support_blocks(support, t),
    ]
    return Message(summary=f"{heading}: {case.reference}", blocks=blocks)
