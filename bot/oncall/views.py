"""The page in a personal chat: for the person on call, or for their backup."""

from __future__ import annotations

from datetime import datetime

from bot.case.detail import Detail
from bot.case.labels import category_label
from bot.case.models import Case
from bot.case.views import summarise
from bot.i18n import Translator
from bot.ui import Actions, Block, Button, Facts, Heading, Message, Note, Quote, Text


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
