"""What the colleague sees: the honest word before writing, the code once, the answers.

These go to the colleague's personal chat. Buttons carry a short-lived session token,
never a consultation or case id, so a button cannot be pointed at someone else's.
"""

from __future__ import annotations

from bot.case.labels import measure_label, status_label
from bot.case.models import Case, CaseEvent, EventKind
from bot.case.reporter_views import ban_ended
from bot.case.views import summarise
from bot.consultation.models import ConsultationStatus, Entry, EntryKind
from bot.consultation.service import Followed, Issued
from bot.events import Platform
from bot.i18n import Translator
from bot.measures import say_views
from bot.trafficking.models import ReportsMadeBy
from bot.trafficking.views import with_receipt_note
from bot.ui import Actions, Block, Button, Facts, Heading, Message, Note, Quote, Strong, Text

SHOWN_ENTRIES = 12  # the latest ones; a chat message has room for about this many


def what_stays_visible(platform: Platform, t: Translator) -> str:
    """One or two calm sentences on what meldbot cannot hide, per platform."""
    match platform:
        case "slack":
            return t(
                "meldbot does not store who you are. Slack itself does see this chat, and on "
                "some Slack plans workspace owners can export conversations with apps."
            )
        case "teams":
            return t(
                "meldbot does not store who you are. Microsoft 365 does keep this chat, and "
                "administrators can search and export it with compliance tools."
            )
        case "web":
            return t(
                "meldbot does not store who you are. This web chat runs on your "
                "organisation's server, whose administrators can see its traffic."
            )


def what_the_page_cannot_hide(t: Translator) -> str:
    """The same honesty on the staff page, where the visitor is anonymous."""
    return t(
        "meldbot does not know who you are here. This page runs on your organisation's "
        "server, whose administrators can see its traffic."
    )


def notice_trade_off(t: Translator) -> str:
    return t(
        "Want a message here when there is an answer? Then meldbot keeps, encrypted, where "
        "to reach you until this closes, and the technical administrators could find out who "
        "asked. Without it nothing links this to you; you look yourself with your code."
    )


def issued(issued: Issued, t: Translator, made_by: ReportsMadeBy | None = None) -> Message:
    """The confirmation with the receipt code: shown in the form's place and once in the
    colleague's chat, never again."""
    who = t("Anonymous colleague · {pseudonym}", pseudonym=issued.pseudonym)
    if issued.reference is None:
        heading = t("Your consultation has been sent")
        lead = t(
            "The coordinators see you as {who}. They usually answer within one working day; "
            "no report is made unless you choose to.",
            who=who,
        )
    else:
        heading = t("Your anonymous report {ref} has been received", ref=issued.reference)
        lead = t(
            "The coordinators see you as {who}. They cannot call you, so they ask and answer "
            "through your code.",
            who=who,
        )
    blocks: list[Block] = [
        Heading(heading),
        Text.of(lead),
        Facts([(t("Your receipt code"), issued.code)]),
        Text.of(
            Strong(t("Keep this code safe: it is shown only this once.")),
            " ",
            t(
                "It is the only way back to the answers. Type 'status' and your code here, or "
                "press the button."
            ),
        ),
        Actions([Button(t("I have a code"), "receipt.enter")]),
    ]
    if issued.urgent:
        blocks.append(cannot_call_back(t))
    message = Message(summary=heading, blocks=blocks)
    if issued.trafficking and made_by is not None:
        return with_receipt_note(message, made_by, t)
    return message


def cannot_call_back(t: Translator) -> Note:
    return Note(t("Because you are anonymous, nobody can call you back. In danger now? Call 112."))


def news(t: Translator) -> Message:
    """The notice for someone who asked for one: no content, only that there is news."""
    text = t("There is news about what you asked anonymously. Read it with your receipt code.")
    button = Button(t("I have a code"), "receipt.enter")
    return Message(summary=text, blocks=[Text.of(text), Actions([button])])


def followed(view: Followed, token: str, t: Translator) -> Message:
    if view.case is not None:
        return _case(view.case, view.case_events, token, t)
    assert view.consultation is not None
    consultation = view.consultation
    heading = t("Your consultation {pseudonym}", pseudonym=consultation.pseudonym)
    blocks: list[Block] = [Heading(heading)]
    if len(view.entries) > SHOWN_ENTRIES:
        blocks.append(Note(t("Earlier messages are not shown.")))
    for entry in view.entries[-SHOWN_ENTRIES:]:
        blocks += _entry(entry, t)
    if consultation.status is ConsultationStatus.OPEN:
        if not any(e.kind is EntryKind.ANSWERED for e in view.entries):
            blocks.append(Note(t("No answer yet. Coordinators answer within one working day.")))
        blocks.append(
            Actions(
                [
                    Button(t("Reply"), "consult.reply", token, style="primary"),
                    Button(t("Make it a report"), "consult.report", token),
                    Button(t("Close this consultation"), "consult.end", token),
                ]
            )
        )
    elif consultation.status is ConsultationStatus.CLOSED:
        blocks.append(Note(t("This consultation is closed. You can always start a new one.")))
    return Message(summary=heading, blocks=blocks)


def _entry(entry: Entry, t: Translator) -> list[Block]:
    moment = t.datetime(entry.created_at)
    match entry.kind:
        case EntryKind.WROTE:
            return [Text.of(Strong(t("You")), f" · {moment}"), Quote(entry.text or "")]
        case EntryKind.ANSWERED:
            name = entry.author_name or t("the coordinator")
            return [Text.of(Strong(name), f" · {moment}"), Quote(entry.text or "")]
        case EntryKind.CLOSED:
            return [Note(t("Closed {moment}", moment=moment))]
        case EntryKind.REPORTED:
            return [Text.of(t("You made it report {ref}.", ref=entry.text or ""))]


def _case(case: Case, events: list[CaseEvent], token: str, t: Translator) -> Message:
    heading = t("Your anonymous report {ref}", ref=case.reference)
    blocks: list[Block] = [
        Heading(heading),
        Facts(
            [
                (t("Status"), status_label(t, case.status)),
                (t("Handled by"), case.handler_name or t("nobody yet")),
            ]
        ),
        Text.of(Strong(t("You reported:"))),
        Quote(summarise(case.report.narrative, 500)),
    ]
    shown = [block for event in events for block in _event(event, t)]
    blocks += shown[-2 * SHOWN_ENTRIES :]
    if case.is_open:
        blocks.append(Actions([Button(t("Reply or add information"), "consult.reply", token)]))
    return Message(summary=heading, blocks=blocks)


def _event(event: CaseEvent, t: Translator) -> list[Block]:
    who = event.actor_name or t("the coordinator")
    match event.kind:
        case EventKind.CLAIMED:
            return [Text.of(t("{who} picked up your report.", who=who))]
        case EventKind.QUESTION:
            return [Text.of(Strong(t("{who} asks:", who=who))), Quote(event.text or "")]
        case EventKind.ANSWER | EventKind.ADDITION:
            return [Text.of(Strong(t("You"))), Quote(event.text or "")]
        case EventKind.STATUS if event.measure:
            blocks: list[Block] = [
                Text.of(t("Measure taken: {measure}.", measure=measure_label(t, event.measure)))
            ]
        case EventKind.STATUS if event.status:
            label = status_label(t, event.status)
            blocks = [Text.of(t("Your report now has the status: {status}.", status=label))]
        case EventKind.CLOSED:
            blocks = [Text.of(t("{who} closed your report.", who=who))]
        case EventKind.MESSAGE:
            blocks = []  # the message itself follows
        case EventKind.REASSIGNED:
            name = event.note or t("the coordinator")
            return [Text.of(t("{name} now handles your report.", name=name))]
        case EventKind.BAN_ENDED:  # only ever recorded for a ban the citizen was given
            return [Text.of(ban_ended(t, event))]
        case _ if event.kind in say_views.TOLD:
            return say_views.read_with_code(event, t)
        case _:
            return []
    if event.text:
        blocks += [Text.of(Strong(t("Message from {handler}:", handler=who))), Quote(event.text)]
    return blocks
