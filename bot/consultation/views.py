"""Neutral views of a consultation: the coordinators' card and thread notes.

Nothing shown here can name the colleague: they are "Anonieme collega · K7Q2",
written texts are quoted as given, and times are those the platform shows anyway. Without
``detail.content`` the texts stay in meldbot: the notes say that something was written.
"""

from __future__ import annotations

from bot.case.detail import Detail
from bot.case.views import summarise
from bot.consultation.models import Consultation, ConsultationStatus, Entry, EntryKind
from bot.i18n import Translator
from bot.ui import (
    Actions,
    Block,
    Button,
    Facts,
    Heading,
    LinkButton,
    Message,
    Note,
    Quote,
    Strong,
    Text,
)


def colleague(consultation: Consultation, t: Translator) -> str:
    return t("Anonymous colleague · {pseudonym}", pseudonym=consultation.pseudonym)


def _status(consultation: Consultation, t: Translator) -> str:
    match consultation.status:
        case ConsultationStatus.OPEN:
            return t("Open")
        case ConsultationStatus.CLOSED:
            return t("Closed")
        case ConsultationStatus.REPORTED:
            return t("Turned into report {ref}", ref=consultation.case_reference or "")


def consultation_card(
    consultation: Consultation, first: Entry | None, t: Translator, detail: Detail
) -> Message:
    """The root message of a consultation in the coordinator channel, updated in place."""
    title = t("Consultation · {colleague}", colleague=colleague(consultation, t))
    notify = consultation.receipt is not None and consultation.receipt.notify
    blocks: list[Block] = [
        Heading(title),
        Facts(
            [
                (t("Status"), _status(consultation, t)),
                (t("Answered by"), consultation.answered_by or t("nobody yet")),
                (t("Notice when answered"), t("Yes") if notify else t("No")),
            ]
        ),
    ]
    if first is not None and first.text and detail.content:
        blocks.append(Quote(summarise(first.text)))
    elif first is not None and first.text:
        blocks.append(Text.of(t("Read the question in meldbot.")))
    blocks.append(
        Note(
            t(
                "Started {moment}. This is not a report: no case is opened unless the "
                "colleague chooses to.",
                moment=t.datetime(consultation.created_at),
            )
        )
    )
    buttons: list[Button | LinkButton] = [detail.open_consultation(t, consultation.id)]
    if consultation.is_open:
        value = str(consultation.id)
        buttons += [
            Button(t("Answer"), "consult.answer", value, style="primary"),
            Button(t("Close"), "consult.close", value),
        ]
    blocks.append(Actions(buttons))
    return Message(summary=f"{title} · {_status(consultation, t)}", blocks=blocks)


def entry_note(
    consultation: Consultation, entry: Entry, first: bool, t: Translator, detail: Detail
) -> Message:
    """One reply in the consultation's thread for each thing that happens in it."""
    who = entry.author_name or t("The colleague")
    ref = entry.text or ""
    blocks: list[Block] = []
    match entry.kind:
        case EntryKind.WROTE if not detail.content:
            headline = (
                t("The colleague wrote — read it in meldbot.")
                if first
                else t("The colleague replied — read it in meldbot.")
            )
            link = Actions([detail.open_consultation(t, consultation.id)])
            blocks = [Text.of(Strong(headline)), link]
        case EntryKind.WROTE:
            headline = t("The colleague wrote:") if first else t("The colleague replied:")
            blocks = [Text.of(Strong(headline)), Quote(entry.text or "")]
        case EntryKind.ANSWERED:
            headline = t("{who} answered:", who=who)
            notify = consultation.receipt is not None and consultation.receipt.notify
            how = (
                t("The colleague gets a notice and reads this with their receipt code.")
                if notify
                else t("The colleague reads this with their receipt code.")
            )
            blocks = [Text.of(Strong(headline)), Quote(entry.text or ""), Note(how)]
            if not detail.content:
                headline = t("{who} answered — read it in meldbot.", who=who)
                link = Actions([detail.open_consultation(t, consultation.id)])
                blocks = [Text.of(Strong(headline)), Note(how), link]
        case EntryKind.CLOSED:
            headline = t("{who} closed this consultation.", who=who)
        case EntryKind.REPORTED if entry.author_name:
            headline = t(
                "{who} turned this consultation into report {ref}, with their name.",
                who=who,
                ref=ref,
            )
        case EntryKind.REPORTED:
            headline = t(
                "The colleague turned this consultation into anonymous report {ref}.", ref=ref
            )
    return Message(
        summary=f"{colleague(consultation, t)}: {headline}", blocks=blocks or [Text.of(headline)]
    )


def forgotten_card(t: Translator, days: int) -> Message:
    """What stays in the channel once retention deleted a consultation."""
    text = t(
        "This consultation was deleted after {days} days without activity; it did not "
        "become a report.",
        days=days,
    )
    return Message(summary=text, blocks=[Text.of(text)])
