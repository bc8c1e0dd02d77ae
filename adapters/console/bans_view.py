"""The case page's part for bans that end and the reaction clock (``case_bans.html``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from adapters.console.case_view import ClockShown
from adapters.console.pages import Console
from bot.access.models import Principal
from bot.case.reading import CaseFile
from bot.i18n import N_, Translator
from bot.measures import ban_views, reaction
from bot.measures.reaction_views import met_line
from bot.schedule.calendar import local

ACTIONS = frozenset({"verbod-uitkomst", "politie-ingelicht"})  # offered while the case is open
REACTION = N_("Reaction to the offender")


def reaction_clocks(
    file: CaseFile, console: Console, t: Translator, now: datetime
) -> list[ClockShown]:
    """The reaction clock beside the others, for a case with a citizen to react to: due,
    met (after how many hours), or late."""
    settings = console.settings
    if not reaction.applies(file.case, settings.legal_clock_categories):
        return []
    clock = reaction.reaction(file.case, file.events, settings.reaction_hours)
    met = met_line(clock, file.case.created_at, t)
    if met is not None and clock.late(now):
        met = t("{met}, too late", met=met)
    overdue = file.case.is_open and clock.met_at is None and clock.late(now)
    return [ClockShown(t(REACTION), t.datetime(clock.due_at), met, overdue)]


async def context_of(
    console: Console, by: Principal, file: CaseFile, t: Translator, now: datetime
) -> dict[str, Any]:
    bans = await console.bans.of_case(by, file.case.id) if console.bans else []
    return {
        "bans": ban_views.shown(bans, t, local(now).date()),
        "reaction_clocks": reaction_clocks(file, console, t, now),
    }
