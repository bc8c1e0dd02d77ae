"""The case page's actions on a ban: record the re-evaluation's outcome (it ends on its
date, it ends now, or it is extended with a reason and a new end date) and that the
police were informed of a pandverbod. Registered in ``case_actions.ACTIONS``."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from bot.case.errors import CaseError
from bot.i18n import N_
from bot.ids import record_id
from bot.measures.ban_service import BanService

if TYPE_CHECKING:
    from adapters.console.case_actions import Acted

CHOOSE = N_("Choose one of the options. Nothing was changed.")


class Outcome(StrEnum):
    ON_ITS_DATE = "einddatum"
    NOW = "nu"
    EXTEND = "verlengen"


def _bans(a: Acted) -> BanService:
    if a.console.bans is None:
        raise CaseError(CHOOSE)
    return a.console.bans


def _measure_id(a: Acted) -> int:
    measure_id = record_id(str(a.form.get("verbod_id", "")))
    if measure_id is None:
        raise CaseError(CHOOSE)
    return measure_id


async def _outcome(a: Acted) -> None:
    outcome = a.choice("uitkomst", Outcome)
    measure_id = _measure_id(a)
    note = a.text("reden", required=False)
    if outcome is Outcome.EXTEND:
        await _bans(a).extend(a.by, a.case.id, measure_id, a.day("tot"), note)
    else:
        await _bans(a).end(a.by, a.case.id, measure_id, now=outcome is Outcome.NOW, note=note)


async def _police(a: Acted) -> None:
    note = a.text("notitie", required=False)
    await _bans(a).police_informed(a.by, a.case.id, _measure_id(a), note)


ACTIONS: dict[str, Callable[[Acted], Awaitable[None]]] = {
    "verbod-uitkomst": _outcome,
    "politie-ingelicht": _police,
}
