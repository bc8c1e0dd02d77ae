"""Neutral views for the console's actions: their thread notes, the card left behind when
an alert moves, and the note to whom a case was handed over."""

from __future__ import annotations

from bot.case.detail import Detail
from bot.case.labels import category_label, status_label
from bot.case.models import Case, CaseEvent, EventKind, Urgency
from bot.i18n import Translator
from bot.ui import Block, Facts, Message, Note, Quote, Text

# The kinds whose thread note is written here (``views.thread_note`` asks).
KINDS = frozenset(
    {
        EventKind.REASSIGNED,
        EventKind.NOTE,
        EventKind.MESSAGE,
        EventKind.RESTRICTED,
        EventKind.UNRESTRICTED,
    }
)


def action_note(case: Case, event: CaseEvent, t: Translator, detail: Detail) -> list[Block]:
    """Without ``detail.content`` a note or a message is said to exist, not quoted."""
    actor = event.actor_name or t("someone")
    match event.kind:
        case EventKind.REASSIGNED:
            text = t(
                "{actor} handed this case over to {handler}.",
                actor=actor,
                handler=event.note or t("another coordinator"),
            )
            return [Text.of(text)]
        case EventKind.NOTE if not detail.content:
            return [Text.of(t("{actor} added an internal note — read it in meldbot.", actor=actor))]
        case EventKind.NOTE:
            return [
                Text.of(t("{actor} added an internal note:", actor=actor)),
                Quote(event.note or ""),
                Note(t("Only coordinators see this; never the reporter.")),
            ]
        case EventKind.MESSAGE if not detail.content:
            text = t("{actor} sent the reporter a message — read it in meldbot.", actor=actor)
            return [Text.of(text)]
        case EventKind.MESSAGE:
            return [
                Text.of(t("{actor} sent the reporter a message:", actor=actor)),
                Quote(event.text or ""),
            ]
        case EventKind.RESTRICTED if event.actor_name is None:
            return [Text.of(t("Only the integrity coordinators see this case."))]
        case EventKind.RESTRICTED:
            text = t("{actor} restricted this case to named coordinators.", actor=actor)
            return [Text.of(text)]
        case _:
            text = t("{actor} lifted the restriction: all coordinators see it.", actor=actor)
            return [Text.of(text)]


def moved_card(reference: str, t: Translator) -> Message:
    """What stays where a case's alert was, once it moved to the place it belongs now."""
    text = t("{ref} has moved to another place. You can read it in meldbot.", ref=reference)
    return Message(summary=text, blocks=[Text.of(text)])


def handed_to_you(case: Case, event: CaseEvent, t: Translator) -> Message:
    """The new handler's note: which case and what state, never what was reported."""
    text = t(
        "{actor} handed case {ref} over to you.",
        actor=event.actor_name or t("someone"),
        ref=case.reference,
    )
    urgency = t("Danger now") if case.urgency is Urgency.URGENT else t("Normal")
    facts = Facts(
        [
            (t("Category"), category_label(t, case.report.category)),
            (t("Urgency"), urgency),
            (t("Status"), status_label(t, case.status)),
        ]
    )
    return Message(summary=text, blocks=[Text.of(text), facts])
