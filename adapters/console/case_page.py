"""``/console/zaken/<reference>``: the case page, and its files as downloads.

Everything on it comes from ``cases.read`` (checked and audited as ``open`` in the core);
an action's form that failed comes back here with its error and what was typed.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from adapters.console import bans_view, case_view, follow_up, manager_actions, manager_pages
from adapters.console.letter_forms import letter_forms
from adapters.console.pages import console_of, console_page
from adapters.console.people import coordinators
from adapters.console.refusals import refused
from adapters.site import SITE, error_page, principal_of, require
from adapters.web.app import download_disposition
from bot.access.models import Principal, Role
from bot.case.detail import Detail
from bot.case.errors import CaseError
from bot.case.labels import CATEGORY_LABELS, MEASURE_LABELS, STATUS_LABELS
from bot.case.models import Case, Status, Urgency, can_transition
from bot.i18n import N_, translator
from bot.ids import record_id
from bot.measures import views as measure_views
from bot.measures.models import LADDER

READERS = (Role.COORDINATOR, Role.CONFIDANT, Role.MANAGER)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/console/zaken/{reference}", case_page)
    app.router.add_get("/console/zaken/{reference}/bijlagen/{file}", attachment)


def case_url(reference: str) -> str:
    return f"/console/zaken/{reference}"


def offered(case: Case, colleagues: int, handover: int) -> frozenset[str]:
    """The actions (``case_actions.ACTIONS``) the page offers now, given how many
    coordinators it could be restricted or handed over to; the core decides on each again."""
    found = {"notitie"}
    if not case.is_open:
        return frozenset(found | {"heropenen"})
    found |= {"status", "corrigeren", "sluiten", "maatregel", "maatregel-stap"}
    found.add("brief")  # a letter per measure (letter_actions.py), its own route
    found |= bans_view.ACTIONS
    found |= {"toestemming", "leidinggevende"}
    if case.handler_id is None:
        found.add("oppakken")
    if case.reporter is not None or case.receipt is not None:
        found |= {"vragen", "bericht"}
    if handover:
        found.add("overdragen")
    if case.for_confidant and case.reporter is not None:
        found.add("doorgeven")
    elif not case.for_confidant and colleagues:
        found.add("afschermen")
    if case.restricted:
        found.add("openstellen")
    return frozenset(found)


@require(*READERS)
async def case_page(request: web.Request) -> web.StreamResponse:
    principal = principal_of(request)
    assert principal is not None  # @require
    if await manager_pages.only_manager(request, principal):
        return await manager_pages.show(request, principal, request.match_info["reference"])
    return await show_case(request, principal, request.match_info["reference"])


async def show_case(
    request: web.Request,
    principal: Principal,
    reference: str,
    *,
    status: int = 200,
    failed: str | None = None,
    error: str | None = None,
    typed: dict[str, str] | None = None,
) -> web.Response:
    """The case page; after a refused action, ``failed`` names its form, ``error`` says
    why and ``typed`` holds what was filled in, to show again."""
    console = console_of(request)
    site = request.config_dict[SITE]
    try:
        file = await console.cases.read(principal, reference)
    except CaseError as refusal:
        return await refused(request, refusal)
    case = file.case
    t = translator(site.language_of(request))
    measures = await console.measures.of_case(principal, case.id)
    crisis = console.settings.crisis_contacts
    detail = Detail(True, console.settings.public_url)
    handles = await console.cases.may_handle(principal, case)
    colleagues = await coordinators(console.settings, site.links) if handles else []
    handover = [(c.key, c.name) for c in colleagues if c.key != case.handler_id]
    context: dict[str, Any] = {
        "case": case,
        "report_facts": case_view.report_facts(case, t),
        "clocks": case_view.clocks_of(file, t, site.clock()),
        "timeline": case_view.timeline(file, t, detail, crisis),
        "guidance": case_view.guidance(case, t, crisis),
        "attachments": file.attachments,
        "handles": handles,
        "colleagues": colleagues,
        "handover": handover,
        "offered": offered(case, len(colleagues), len(handover)) if handles else frozenset(),
        "restricted_to": [c for c in colleagues if c.key in case.restricted_to],
        "statuses": [
            (s.value, STATUS_LABELS[s])
            for s in Status
            if s is case.status or (s is not Status.CLOSED and can_transition(case.status, s))
        ],
        "measures": measure_views.shown(measures, t, console.guidance),
        "ladder": [(m.value, MEASURE_LABELS[m]) for m in LADDER],
        "status_measures": [(m.value, label) for m, label in MEASURE_LABELS.items()],
        "measure_labels": MEASURE_LABELS,
        "status_labels": STATUS_LABELS,
        "categories": [(c.value, label) for c, label in CATEGORY_LABELS.items()],
        "Urgency": Urgency,
        "Status": Status,
        "failed": failed,
        "error": error,
        "typed": typed or {},
        "letters": letter_forms(case, measures) if handles and console.letters else {},
        "letter_invited": set(),  # the manager section says which measures have a manager
    }
    context |= await bans_view.context_of(console, principal, file, t, site.clock())
    context["clocks"] = [*context["clocks"], *context.pop("reaction_clocks")]
    context |= await follow_up.context(console, principal, case, measures, handles, t)
    if handles:
        context.update(await manager_actions.section(console, request, principal, file, t))
    return await console_page(
        request,
        "console/case.html",
        status=status,
        title=N_("Case"),
        here=case_url(case.reference),
        **context,
    )


@require(*READERS)
async def attachment(request: web.Request) -> web.StreamResponse:
    """A case's file, always as a download of the type its bytes were checked to be."""
    principal = principal_of(request)
    assert principal is not None  # @require
    file_id = record_id(request.match_info["file"])
    if file_id is None:
        return await error_page(request, 404)
    try:
        stored = await console_of(request).cases.attachment(
            principal, request.match_info["reference"], file_id
        )
    except CaseError as refusal:
        return await refused(request, refusal)
    headers = {
        "Content-Disposition": download_disposition(stored.name),
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    return web.Response(body=stored.content, content_type=stored.kind.content_type, headers=headers)
