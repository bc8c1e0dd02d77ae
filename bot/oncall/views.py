"""The page in a personal chat (for the person on call, or for their backup), and the
note in the case thread when it could not be delivered."""

from __future__ import annotations

from datetime import datetime

from bot.case.detail import Detail
from bot.case.labels import category_label
from bot.case.models import Case
from bot.case.views import summarise
from bot.events import Platform
from bot.i18n import Translator
from bot.ui import (
    Actions,
    Block,
    Button,
    Facts,
    Heading,
    Inline,
    Mention,
    Message,
    Note,
    Quote,
    Text,
)


def page_message(
    case: Case, t: Translator, detail: Detail, call_back_by: datetime, *, backup: bool
) -> Message:
    """What wakes someone up: which case, why it is urgent, by when, and one button.
    Without ``detail.content``: no name, place or story, and a button to the case."""
    heading = t("Urgent report {ref}: someone is in danger now", ref=case.reference)
    if case.reporter is None:
        ask = t("The reporter is anonymous and cannot be called back. Please look at it now.")
    elif backup:
        ask = t(
            "You are the backup: the person on call has not answered. Please call the "
            "reporter back now."
        )
    else:
        ask = t(
            "You are on call. Please call the reporter back before {time}.",
            time=t.time_of_day(call_back_by),
        )
    facts = [(t("Reference"), case.reference), (t("Urgency"), t("Danger now"))]
    if detail.content:
        reporter = case.reporter.name if case.reporter and case.reporter.name else None
        facts.append((t("Reporter"), reporter or t("anonymous")))
    if case.report.category:  # only what was given: read at night, in one glance
        facts.append((t("Category"), category_label(t, case.report.category)))
    if case.report.location and detail.content:
        facts.append((t("Where"), case.report.location))
    label = t("I'm on it") if case.reporter is None else t("I'm calling now")
    on_it = Button(label, "oncall.on_it", str(case.id), style="primary")
    blocks: list[Block] = [Heading(heading), Text.of(ask), Facts(facts)]
    if detail.content:
        blocks += [
            Quote(summarise(case.report.narrative)),
            Note(t("Press the button so the others know; the full report is in the case thread.")),
            Actions([on_it]),
        ]
    else:
        blocks += [
            Note(
                t(
                    "Press the button so the others know. The report and how to reach the "
                    "reporter are in meldbot."
                )
            ),
            Actions([on_it, detail.open_case(t, case.reference)]),
        ]
    return Message(summary=heading, blocks=blocks)


def unreachable_note(
    person: Mention | str, platform: Platform, t: Translator, *, backup: bool
) -> Message:
    """A personal page that could not be delivered, said in the case thread at once, with
    what happens now and what a coordinator reading it should do."""
    if backup:
        text = t(
            "The page to the backup, {person}, could not be delivered either. Call the "
            "person on call or the backup by phone now.",
            person="{person}",
        )
    else:
        text = t(
            "The page to {person} could not be delivered. meldbot pages the backup and "
            "everyone here now, without waiting. Call {person} by phone if you can.",
            person="{person}",
        )
    blocks: list[Block] = [Text(_with_person(text, person))]
    if platform == "teams":
        blocks.append(
            Note(
                t(
                    "Teams lets meldbot send a personal message only to someone who has "
                    "chatted with it once; ask them to open meldbot's chat in Teams. Teams "
                    "also does not let meldbot notify everyone in a channel: whoever reads "
                    "this, call."
                )
            )
        )
    return Message(summary=t("A page could not be delivered"), blocks=blocks)


def _with_person(text: str, person: Mention | str) -> list[Inline]:
    """Every ``{person}`` in ``text`` filled in (as a mention where it is one)."""
    parts: list[Inline] = []
    for i, piece in enumerate(text.split("{person}")):
        if i:
            parts.append(person)
        if piece:
            parts.append(piece)
    return parts
