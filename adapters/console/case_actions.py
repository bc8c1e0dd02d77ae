"""The case page's actions: one POST each, through the same core services (and so the
same role checks, audit entries and outbox) as the chat buttons.

Success: 303 back to the case page with a notice (post/redirect/get). A refusal the
person can fix: the case page again, 400, with the reason at the form and what they
typed still in it. The wrong role: 403; a case not theirs to see: 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from aiohttp import web
from multidict import MultiDictProxy

from adapters.console import ban_actions, manager_actions
from adapters.console.case_page import case_url, show_case
from adapters.console.follow_up_actions import FOLLOW_UP
from adapters.console.pages import Console, console_of
from adapters.console.people import coordinators, named
from adapters.console.refusals import refused
from adapters.site import SITE, principal_of, require, see_other
from bot.access.models import Principal, Role
from bot.case.errors import CaseError
from bot.case.models import Case, Category, MeasureKind, Status, Urgency
from bot.i18n import N_, translator
from bot.ids import record_id
from bot.measures.models import Plan, Step
from bot.text import MESSAGE_MAX, TooLong, clean

E = TypeVar("E", bound=StrEnum)
Form = MultiDictProxy[str | bytes | bytearray | web.FileField]
CHOOSE = N_("Choose one of the options. Nothing was changed.")


@dataclass(frozen=True, slots=True)
class Acted:
    request: web.Request
    console: Console
    by: Principal
    case: Case
    form: Form

    def text(self, name: str, *, required: bool = True) -> str | None:
        """A text field, cleaned as the core cleans text; empty is None or, when it is
        required, refused. Too long is refused, never cut."""
        value = self.form.get(name, "")
        if not isinstance(value, str):
            raise CaseError(CHOOSE)
        try:
            cleaned = clean(value, MESSAGE_MAX)
        except TooLong:
            raise CaseError(
                "Please keep it under {limit} characters.", limit=str(MESSAGE_MAX)
            ) from None
        if not cleaned and required:
            raise CaseError("Please write something first. Nothing was changed.")
        return cleaned or None

    def day(self, name: str) -> date | None:
        """A date field (``YYYY-MM-DD``, as a browser's date field sends it); empty is None."""
        value = self.form.get(name, "")
        if not isinstance(value, str):
            raise CaseError(CHOOSE)
        if not value.strip():
            return None
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise CaseError(
                "Write the date as year-month-day, for example 2026-12-31. Nothing was changed."
            ) from None

    def choice(self, name: str, kind: type[E], *, required: bool = True) -> E | None:
        value = self.form.get(name, "")
        if value == "" and not required:
            return None
        try:
            return kind(str(value) if isinstance(value, str) else "\0")
        except ValueError:
            raise CaseError(CHOOSE) from None


async def _claim(a: Acted) -> None:
    await a.console.cases.claim(a.by, a.case.id)


async def _hand_over(a: Acted) -> None:
    colleagues = await coordinators(a.console.settings, a.request.config_dict[SITE].links)
    chosen = str(a.form.get("aan", ""))
    if not chosen:
        raise CaseError(CHOOSE)
    colleague = named(colleagues, chosen)
    if colleague is None:
        raise CaseError("meldbot does not know this coordinator. Nothing was changed.")
    await a.console.cases.hand_over(a.by, a.case.id, colleague.key, colleague.name)


async def _ask(a: Acted) -> None:
    await a.console.cases.ask(a.by, a.case.id, a.text("vraag") or "")


async def _message(a: Acted) -> None:
    await a.console.cases.message(a.by, a.case.id, a.text("bericht") or "")


async def _note(a: Acted) -> None:
    await a.console.cases.note(a.by, a.case.id, a.text("notitie") or "")


async def _status(a: Acted) -> None:
    status = a.choice("status", Status)
    measure = a.choice("maatregel", MeasureKind, required=False)
    if status is None or status is Status.CLOSED:
        raise CaseError(CHOOSE)
    message = a.text("bericht", required=False)
    await a.console.cases.change_status(a.by, a.case.id, status, measure, message)


async def _close(a: Acted) -> None:
    summary = a.text("samenvatting") or ""
    await a.console.cases.close(a.by, a.case.id, summary, a.text("bericht", required=False))


async def _reopen(a: Acted) -> None:
    await a.console.cases.reopen(a.by, a.case.id)


async def _correct(a: Acted) -> None:
    category = a.choice("categorie", Category, required=False)
    urgency = a.choice("urgentie", Urgency)
    assert urgency is not None  # required
    await a.console.cases.correct(a.by, a.case.id, category, urgency)


async def _restrict(a: Acted) -> None:
    colleagues = await coordinators(a.console.settings, a.request.config_dict[SITE].links)
    chosen = [named(colleagues, str(key)) for key in a.form.getall("aan", [])]
    if not chosen or None in chosen:
        raise CaseError("Name the coordinators who may see this case. Nothing was changed.")
    keys = frozenset(colleague.key for colleague in chosen if colleague is not None)
    await a.console.cases.restrict(a.by, a.case.id, keys)


async def _lift(a: Acted) -> None:
    await a.console.cases.lift_restriction(a.by, a.case.id)


async def _advise(a: Acted) -> None:
    kind = a.choice("soort", MeasureKind)
    assert kind is not None  # required
    plan = Plan(
        kind,
        a.text("uitvoerder") or "",
        planned_on=a.day("gepland"),
        starts_on=a.day("vanaf"),
        ends_on=a.day("tot"),
        note=a.text("notitie", required=False),
    )
    await a.console.measures.advise(a.by, a.case.id, plan)


async def _measure_step(a: Acted) -> None:
    measure_id = record_id(str(a.form.get("maatregel_id", "")))
    if measure_id is None:
        raise CaseError(CHOOSE)
    step = a.choice("stap", Step)
    assert step is not None  # required
    note = a.text("notitie", required=False)
    await a.console.measures.step(a.by, a.case.id, measure_id, step, note)


async def _pass_on(a: Acted) -> None:
    await a.console.cases.ask_handover(a.by, a.case.id)


# The path of each action, and what it does.
ACTIONS: dict[str, Callable[[Acted], Awaitable[None]]] = {
    "oppakken": _claim,
    "overdragen": _hand_over,
    "vragen": _ask,
    "bericht": _message,
    "notitie": _note,
    "status": _status,
    "sluiten": _close,
    "heropenen": _reopen,
    "corrigeren": _correct,
    "afschermen": _restrict,
    "openstellen": _lift,
    "doorgeven": _pass_on,
    "maatregel": _advise,
    "maatregel-stap": _measure_step,
    **FOLLOW_UP,  # the reporter's say, aangifte, external reports
    "toestemming": manager_actions.ask_consent,
    "leidinggevende": manager_actions.invite,
}
ACTIONS |= ban_actions.ACTIONS


def add_routes(app: web.Application) -> None:
    app.router.add_post("/console/zaken/{reference}/{action}", act)


@require(Role.COORDINATOR, Role.CONFIDANT)
async def act(request: web.Request) -> web.StreamResponse:
    principal = principal_of(request)
    assert principal is not None  # @require
    action = request.match_info["action"]
    do = ACTIONS.get(action)
    if do is None:
        raise web.HTTPNotFound
    console = console_of(request)
    reference = request.match_info["reference"]
    form = await request.post()
    try:
        case = await console.cases.locate(principal, reference)
    except CaseError as refusal:
        return await refused(request, refusal)
    try:
        await do(Acted(request, console, principal, case, form))
    except CaseError as refusal:
        if type(refusal) is not CaseError:  # NotAllowed, CaseNotFound
            return await refused(request, refusal)
        t = translator(request.config_dict[SITE].language_of(request))
        typed = {name: value for name, value in form.items() if isinstance(value, str)}
        error = t(refusal.reason, **refusal.values)
        return await show_case(
            request, principal, case.reference, status=400, failed=action, error=error, typed=typed
        )
    return see_other(f"{case_url(case.reference)}?gedaan={action}")
