"""Neutral views of a case for its coordinators: thread notes, and what stays behind."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.case import action_views, page_notes
from bot.case.detail import Detail
from bot.case.labels import category_label, measure_label, status_label
from bot.case.models import Case, CaseEvent, EventKind, Urgency
from bot.case.page_notes import Paging
from bot.case.reporter_views import contact_person
from bot.i18n import Translator
from bot.manager import views as manager_views
from bot.measures import ban_views, say_views
from bot.measures import views as measure_views
from bot.settings import Contact
from bot.ui import (
    Actions,
    Block,
    ChannelMention,
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


def passed_on_card(reference: str, t: Translator) -> Message:
    """What stays in the vertrouwenspersoon's channel once the meldpunt has the case."""
    text = t("{ref} was passed on to the meldpunt with the reporter's consent.", ref=reference)
    return Message(summary=text, blocks=[Text.of(text)])


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


def thread_note(
    case: Case,
    event: CaseEvent,
    t: Translator,
    detail: Detail,
    paging: Paging | None = None,
    crisis: Sequence[Contact] = (),
) -> Message:
    """One reply in the case's thread for each thing that happens to it. Without
    ``detail.content`` it says *that* something was written, and where to read it."""
    actor = event.actor_name or t("someone")
    content = detail.content
    link = None if content else detail.open_case(t, case.reference)
    blocks: list[Block]
    match event.kind:
        case EventKind.REPORTED:
            blocks = _quoted(
                detail,
                Text.of(Strong(t("Full report"))),
                case.report.narrative,
                Text.of(Strong(t("New report — read it in meldbot."))),
            )
            if case.report.self_harm and content:
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
                Quote(case.report.narrative) if content else Text.of(t("Read it in meldbot.")),
            ]
            if case.report.self_harm and content:
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
            blocks = _quoted(
                detail,
                Text.of(t("{actor} asked the reporter:", actor=actor)),
                event.text or "",
                Text.of(
                    t("{actor} asked the reporter a question — read it in meldbot.", actor=actor)
                ),
            )
        case EventKind.ANSWER:
            blocks = _quoted(
                detail,
                Text.of(Strong(t("The reporter answered:"))),
                event.text or "",
                Text.of(Strong(t("The reporter answered — read it in meldbot."))),
            )
        case EventKind.ADDITION:
            blocks = _quoted(
                detail,
                Text.of(Strong(t("The reporter added:"))),
                event.text or "",
                Text.of(Strong(t("The reporter added something — read it in meldbot."))),
            )
        case EventKind.STATUS:
            label = status_label(t, event.status) if event.status else ""
            blocks = [Text.of(t("{actor} set the status to {status}.", actor=actor, status=label))]
            if event.measure:
                blocks.append(Text.of(t("Measure: {m}", m=measure_label(t, event.measure))))
            blocks += _message(detail, event, t)
        case EventKind.CLOSED:
            blocks = [Text.of(t("{actor} closed this case.", actor=actor))]
            blocks += _message(detail, event, t)
        case EventKind.REOPENED:
            blocks = [Text.of(t("{actor} reopened this case.", actor=actor))]
        case EventKind.PAGED:
            blocks = page_notes.paged(case, event, t, paging, link)
        case EventKind.ESCALATED:
            backup = paging.person if paging else event.actor_name
            blocks = page_notes.escalated(case, backup, t, link)
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
            blocks = action_views.action_note(case, event, t, detail)
        case _ if event.kind in measure_views.KINDS:
            blocks = measure_views.step_note(event, t, detail)
        case _ if event.kind in ban_views.KINDS:
            blocks = ban_views.ban_note(event, t, detail)
        case _ if event.kind in say_views.KINDS:
            blocks = say_views.thread_line(event, t, detail)
        case _ if event.kind in manager_views.KINDS:
            blocks = manager_views.thread_line(event, t, detail)
    if event.note and event.kind not in OWN_NOTE:
        blocks += _quoted(
            detail,
            Text.of(Strong(t("Summary for the file:"))),
            event.note,
            Text.of(t("The summary for the file is in meldbot.")),
        )
    if event.kind in TOLD:
        blocks.append(Note(_feedback_note(case, event, t)))
    if link is not None and _withheld(event):
        blocks.append(Actions([link]))
    first = blocks[0]
    headline = "".join(_plain(p) for p in first.parts) if isinstance(first, Text) else ""
    return Message(
        summary=f"{case.reference}: {headline or t('Full report')}",
        blocks=blocks,
        broadcast=event.kind in PAGES,  # the whole channel must see a page, not only the thread
    )


# What someone wrote: the story, a question, an answer, an addition.
WRITTEN = frozenset(
    {
        EventKind.REPORTED,
        EventKind.HANDED_OVER,
        EventKind.QUESTION,
        EventKind.ANSWER,
        EventKind.ADDITION,
    }
)


def _withheld(event: CaseEvent) -> bool:
    """Whether a note without content left out something written (then it links to it)."""
    if event.kind is EventKind.CLOCK:
        return False  # its note is a code, nothing anyone wrote
    return event.kind in WRITTEN or bool(event.text) or bool(event.note)


def _quoted(detail: Detail, lead: Text, text: str, instead: Text) -> list[Block]:
    """A written text quoted under ``lead``; without content only ``instead``, which says
    that it was written and where to read it."""
    return [lead, Quote(text)] if detail.content else [instead]


def _message(detail: Detail, event: CaseEvent, t: Translator) -> list[Block]:
    """The message that went to the reporter with a status change or the closing."""
    if not event.text:
        return []
    return _quoted(
        detail,
        Text.of(t("Message to the reporter:")),
        event.text,
        Text.of(t("With a message to the reporter — read it in meldbot.")),
    )


PAGES = frozenset({EventKind.PAGED, EventKind.ESCALATED, EventKind.MANAGER_HELP})
# Events whose note is not a summary for the file: a clock's code, the note itself, a name,
# a measure step's note.
OWN_NOTE = frozenset(
    {
        EventKind.CLOCK,
        EventKind.NOTE,
        EventKind.REASSIGNED,
        *measure_views.KINDS,
        *ban_views.KINDS,
        *manager_views.KINDS,
    }
)
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


def _feedback_note(case: Case, event: CaseEvent, t: Translator) -> str:
    if event.reporter_informed:
        return t("The reporter is informed.")
    if case.receipt is not None and case.receipt.notify:
        return t("The reporter is anonymous; they get a notice and read this with their code.")
    if case.reporter is None:
        return t("The reporter is anonymous and reads this through their receipt code.")
    return t("The reporter asked not to receive feedback.")


def delivery_failed_note(case: Case, t: Translator, detail: Detail) -> Message:
    text = t("This message could not be delivered to the reporter. Please call them instead.")
    blocks: list[Block] = [Text.of(Strong(text))]
    if not detail.content:  # their number is in meldbot
        blocks.append(Actions([detail.open_case(t, case.reference)]))
    return Message(summary=text, blocks=blocks)
