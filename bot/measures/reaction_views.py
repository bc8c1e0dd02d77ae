"""What the reaction clock says: its reminder in the thread, and its line on the case page."""

from __future__ import annotations

from datetime import datetime

from bot.case.clock_views import local_deadline
from bot.case.detail import Detail
from bot.case.models import Case
from bot.i18n import Translator
from bot.measures.reaction import EXPIRED, Reaction
from bot.ui import Actions, Block, Message, Note, Strong, Text


def reminder(
    case: Case, stage: str, due: datetime, hours: int, t: Translator, detail: Detail
) -> Message:
    by = local_deadline(t, due)
    if stage == EXPIRED:
        text = t(
            "The reaction to the offender was due by {deadline} ({hours} hours after the "
            "report). Please record a measure today.",
            deadline=by,
            hours=str(hours),
        )
    else:
        text = t(
            "Reaction to the offender: within {hours} hours of the report, by {deadline}.",
            deadline=by,
            hours=str(hours),
        )
    blocks: list[Block] = [
        Text.of(Strong(text)),
        Note(t("A measure carried out, or \u201cno measure needed\u201d, meets it.")),
    ]
    if not detail.content:
        blocks.append(Actions([detail.open_case(t, case.reference)]))
    return Message(summary=f"{case.reference}: {text}", blocks=blocks, broadcast=True)


def met_line(clock: Reaction, created_at: datetime, t: Translator) -> str | None:
    """When it was met, with how many hours after the report (None: not yet)."""
    if clock.met_at is None:
        return None
    hours = int((clock.met_at - created_at).total_seconds() // 3600)
    return t("{moment} (after {hours} hours)", moment=t.datetime(clock.met_at), hours=str(hours))
