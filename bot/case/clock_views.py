"""What the case clocks say in a case's thread: raised again, and the legal deadlines."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_datetime

from bot.case import deadlines
from bot.case.deadlines import ACKNOWLEDGE, EXPIRED, FEEDBACK
from bot.case.detail import Detail
from bot.case.models import Case
from bot.i18n import Translator
from bot.schedule.calendar import local
from bot.ui import Actions, Block, Button, Facts, LinkButton, Message, Note, Strong, Text


def local_deadline(t: Translator, moment: datetime) -> str:
    """A deadline as people in the organisation read it: "maandag 9 maart 2026, 10:00"."""
    return format_datetime(local(moment), "EEEE d MMMM y, HH:mm", locale=t.language)


def unclaimed(case: Case, working_days: int, t: Translator, detail: Detail) -> Message:
    """Raises an unclaimed case again, calmly, with the button to claim it (and, where
    the thread does not show the report, the one that opens it)."""
    if working_days == 1:
        text = t("Nobody has picked up this report after one working day.")
    else:
        text = t("Nobody has picked up this report after {days} working days.", days=working_days)
    blocks: list[Block] = [
        Text.of(Strong(text)),
        Text.of(t("Can you take it? Claim it, then call the reporter first.")),
        Actions(
            [
                Button(t("Claim"), "case.claim", str(case.id), style="primary"),
                *_open(case, t, detail),
            ]
        ),
    ]
    return Message(summary=f"{case.reference}: {text}", blocks=blocks, broadcast=True)


def legal_deadlines(case: Case, t: Translator) -> Message:
    """The first clock note of a whistleblower report: both deadlines, in local time."""
    heading = t("Legal deadlines (whistleblower act)")
    acknowledge = deadlines.deadline(ACKNOWLEDGE, case.created_at)
    feedback = deadlines.deadline(FEEDBACK, case.created_at)
    blocks: list[Block] = [
        Text.of(Strong(heading)),
        Facts(
            [
                (t("Confirm receipt to the reporter"), local_deadline(t, acknowledge)),
                (t("Tell the reporter what is being done"), local_deadline(t, feedback)),
            ]
        ),
        Note(_how_met(ACKNOWLEDGE, t)),
        Note(_how_met(FEEDBACK, t)),
        Note(t("meldbot reminds you in this thread before each deadline.")),
    ]
    return Message(summary=f"{case.reference}: {heading}", blocks=blocks)


def legal_reminder(case: Case, duty: str, stage: str, t: Translator, detail: Detail) -> Message:
    """A deadline coming up, or passed while the duty is still open."""
    by = local_deadline(t, deadlines.deadline(duty, case.created_at))
    if duty == ACKNOWLEDGE and stage == EXPIRED:
        text = t(
            "Deadline passed: receipt of this report had to be confirmed to the reporter by "
            "{deadline}. Please do it today.",
            deadline=by,
        )
    elif duty == ACKNOWLEDGE:
        text = t(
            "Legal deadline: confirm receipt of this report to the reporter by {deadline}.",
            deadline=by,
        )
    elif stage == EXPIRED:
        text = t(
            "Deadline passed: the reporter had to hear what is being done with this report "
            "by {deadline}. Please give feedback today.",
            deadline=by,
        )
    else:
        text = t(
            "Legal deadline: the reporter must hear what is being done with this report by "
            "{deadline}.",
            deadline=by,
        )
    blocks: list[Block] = [Text.of(Strong(text)), Note(_how_met(duty, t))]
    if not detail.content:
        blocks.append(Actions(_open(case, t, detail)))
    return Message(summary=f"{case.reference}: {text}", blocks=blocks, broadcast=True)


def _open(case: Case, t: Translator, detail: Detail) -> list[LinkButton]:
    """The way to the case, where the thread does not show it."""
    return [] if detail.content else [detail.open_case(t, case.reference)]


def _how_met(duty: str, t: Translator) -> str:
    if duty == ACKNOWLEDGE:
        return t("Claiming the case or any message to the reporter confirms receipt.")
    return t("A status change, or closing with a message to the reporter, counts as feedback.")
