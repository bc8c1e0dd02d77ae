"""Inzage and erasure for admins: the person's key in, what meldbot holds (counts), the
export as a zip, and the erasure after a confirmation step.

Every step is a POST (with the session's CSRF token): a person's key never travels in an
address, so it never reaches an access log or the browser's history. ``PrivacyDesk``
checks the admin role again and audits each step.
"""

from __future__ import annotations

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.console.refusals import refused
from adapters.site import principal_of, require
from bot.access.models import Principal
from bot.access.models import Role as Right
from bot.case.errors import CaseError, InvalidQuery, NotAllowed
from bot.i18n import N_
from bot.privacy.files import as_zip
from bot.privacy.models import Person, Role
from bot.privacy.service import GUARDED, PrivacyDesk

PAGE = "/console/privacy"
DOWNLOAD = PAGE + "/inzage"
ERASE = PAGE + "/wissen"
CONFIRM_FIRST = N_("Tick the box to confirm. Nothing was erased.")
ROLES = (
    (Role.REPORTER, N_("Reporter")),
    (Role.COORDINATOR, N_("Coordinator")),
    (Role.MANAGER, N_("Manager")),
)

# What each count is, on the page.
COUNTED = {
    "cases": N_("Cases"),
    "messages": N_("Messages to and from them"),
    "withheld": N_("Internal steps of the coordinators (counted, not given)"),
    "states": N_("Chat settings and addresses"),
    "audit": N_("Audit log entries"),
    "consultations": N_("Consultations they answered"),
    "console": N_("Console identity, linked chat identities and sessions"),
    "invitations": N_("Invitations"),
}


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, start)
    app.router.add_post(PAGE, look)
    app.router.add_post(DOWNLOAD, download)
    app.router.add_post(ERASE, erase)


def _desk(request: web.Request) -> tuple[PrivacyDesk, Principal]:
    desk, principal = console_of(request).privacy, principal_of(request)
    assert desk is not None and principal is not None  # mounted with it; ``require``d
    return desk, principal


async def _person(request: web.Request) -> tuple[dict[str, str], Person]:
    """What the admin typed (to show it again) and the person, or ``InvalidQuery``."""
    form = await request.post()
    typed = {"role": str(form.get("rol", "")), "key": str(form.get("sleutel", ""))}
    if typed["role"] not in {r.value for r, _label in ROLES}:
        raise InvalidQuery(N_("Choose whose data this is: reporter, coordinator or manager."))
    return typed, Person.of(Role(typed["role"]), typed["key"])


@require(Right.ADMIN)
async def start(request: web.Request) -> web.StreamResponse:
    return await _page(request)


@require(Right.ADMIN)
async def look(request: web.Request) -> web.StreamResponse:
    desk, by = _desk(request)
    try:
        typed, person = await _person(request)
    except InvalidQuery as error:
        form = await request.post()
        typed = {"role": str(form.get("rol", "")), "key": str(form.get("sleutel", ""))}
        return await _page(request, error=error.reason, status=400, typed=typed)
    try:
        found = await desk.look(by, person)
        plan = await desk.erase(by, person, confirm=False)
    except CaseError as refusal:
        return await refused(request, refusal)
    return await _page(request, found=found, plan=plan, typed=typed)


@require(Right.ADMIN)
async def download(request: web.Request) -> web.StreamResponse:
    desk, by = _desk(request)
    try:
        typed, person = await _person(request)
        found = await desk.export(by, person)
    except NotAllowed as refusal:
        if refusal.reason != GUARDED:
            return await refused(request, refusal)
        return await _page(request, status=403, typed=typed, refusal=refusal)
    except CaseError as refusal:
        return await refused(request, refusal)
    today = desk.clock().date()
    name = f"meldbot-inzage-{today.isoformat()}.zip"
    return web.Response(
        body=as_zip(found, today, console_of(request).settings.organisation),
        headers={
            "Content-Type": "application/zip",
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@require(Right.ADMIN)
async def erase(request: web.Request) -> web.StreamResponse:
    desk, by = _desk(request)
    try:
        typed, person = await _person(request)
    except CaseError as refusal:
        return await refused(request, refusal)
    confirmed = (await request.post()).get("bevestigen") == "ja"
    try:
        done = await desk.erase(by, person, confirm=confirmed)
        found = None if confirmed else await desk.look(by, person)
    except CaseError as refusal:
        return await refused(request, refusal)
    if not confirmed:
        context = {"found": found, "plan": done, "confirm_error": CONFIRM_FIRST}
        return await _page(request, status=400, typed=typed, **context)
    return await _page(request, erased=done, typed=typed)


async def _page(
    request: web.Request,
    *,
    status: int = 200,
    typed: dict[str, str] | None = None,
    **context: object,
) -> web.Response:
    typed = typed or {"role": Role.REPORTER.value, "key": ""}
    for name in ("error", "found", "plan", "erased", "confirm_error", "refusal"):
        context.setdefault(name, None)
    return await console_page(
        request,
        "console/privacy.html",
        status=status,
        title=N_("Inzage and erasure"),
        roles_asked=ROLES,
        counted=COUNTED,
        role=typed["role"],
        key=typed["key"],
        **context,
    )
