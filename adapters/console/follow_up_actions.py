"""The case page's actions for the reporter's say, the aangifte and external reports;
registered in ``case_actions.ACTIONS``. Each goes through its core service (role check,
audit entry, nothing half-saved)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.aangifte.models import FiledBy
from bot.case.errors import CaseError
from bot.i18n import N_
from bot.ids import record_id
from bot.trafficking.models import Body

if TYPE_CHECKING:
    from adapters.console.case_actions import Acted

CHOOSE = N_("Choose one of the options. Nothing was changed.")


def _raw(a: Acted, name: str) -> str:
    """A field the core cleans and checks itself (a number, a name)."""
    value = a.form.get(name, "")
    if not isinstance(value, str):
        raise CaseError(CHOOSE)
    return value


async def propose(a: Acted) -> None:
    assert a.console.proposals is not None  # wired by the composition root
    measure_id = record_id(_raw(a, "voorstel_van"))
    if measure_id is None:
        raise CaseError(CHOOSE)
    message = a.text("bericht", required=False)
    await a.console.proposals.propose(a.by, a.case.id, measure_id, message)


async def aangifte_guidance(a: Acted) -> None:
    assert a.console.aangifte is not None
    await a.console.aangifte.send_guidance(a.by, a.case.id)


async def aangifte(a: Acted) -> None:
    assert a.console.aangifte is not None
    filed_by = a.choice("door", FiledBy)
    assert filed_by is not None  # required
    done_on = a.day("datum")
    await a.console.aangifte.record(a.by, a.case.id, done_on, filed_by, _raw(a, "nummer"))


async def external_report(a: Acted) -> None:
    assert a.console.external_reports is not None
    body = a.choice("instantie", Body)
    assert body is not None  # required
    reported_on = a.day("datum")
    made_by = _raw(a, "door")
    await a.console.external_reports.record(a.by, a.case.id, body, reported_on, made_by)


FOLLOW_UP: dict[str, Callable[[Acted], Awaitable[None]]] = {
    "voorstel": propose,
    "aangifte-uitleg": aangifte_guidance,
    "aangifte": aangifte,
    "externe-melding": external_report,
}
