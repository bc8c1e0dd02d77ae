"""The registry export for analysts and admins: a period's cases as a CSV file for a
GIR/ARO-style registry, one row per case, no text and no names (bot/registry).

The page says first how many cases the file holds and how many restricted ones are left
out; the download is a GET, as the audit log's is: reading, audited in the core.
"""

from __future__ import annotations

from datetime import date, timedelta

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.console.periods import BAD_DATE, csv_file, typed_period
from adapters.console.refusals import refused
from adapters.site import require, signed_in
from bot.access.models import Role
from bot.case.errors import CaseError, InvalidQuery
from bot.i18n import N_
from bot.registry.service import Registry, RegistryExport
from bot.registry.sheet import to_csv
from bot.schedule.calendar import AMSTERDAM
from bot.trends.counts import shown

PAGE = "/console/registratie"
EXPORT = PAGE + "/export"


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, registry_page)
    app.router.add_get(EXPORT, export)


def _registry(request: web.Request) -> Registry:
    registry = console_of(request).registry
    if registry is None:
        raise web.HTTPNotFound()
    return registry


@require(Role.ANALYST, Role.ADMIN)
async def registry_page(request: web.Request) -> web.StreamResponse:
    typed, first, last = typed_period(request)
    if not request.query:
        return await _page(request)
    if first is None or last is None:
        return await _page(request, period=typed, error=BAD_DATE)
    try:
        found = await _registry(request).count(signed_in(request), first, last)
    except InvalidQuery as refusal:
        return await _page(request, period=typed, error=refusal.reason)
    except CaseError as refusal:
        return await refused(request, refusal)
    return await _page(request, period=typed, found=found)


@require(Role.ANALYST, Role.ADMIN)
async def export(request: web.Request) -> web.StreamResponse:
    typed, first, last = typed_period(request)
    if first is None or last is None:
        return await _page(request, period=typed, error=BAD_DATE)
    try:
        found = await _registry(request).export(signed_in(request), first, last)
    except InvalidQuery as refusal:
        return await _page(request, period=typed, error=refusal.reason)
    except CaseError as refusal:
        return await refused(request, refusal)
    name = f"meldbot-registratie-{first.isoformat()}-{last.isoformat()}.csv"
    return csv_file(to_csv(found.rows), name)


async def _page(
    request: web.Request,
    *,
    period: dict[str, str] | None = None,
    error: str | None = None,
    found: RegistryExport | None = None,
) -> web.Response:
    today = _registry(request).clock().astimezone(AMSTERDAM).date()
    first_of_year = date(today.year, 1, 1)
    return await console_page(
        request,
        "console/registry.html",
        status=400 if error else 200,
        title=N_("Registry export"),
        period=period or {"van": first_of_year.isoformat(), "tot": today.isoformat()},
        error=error,
        found=found,
        left_out=shown(found.left_out) if found else "0",
        example=(today - timedelta(days=1)).isoformat(),
        export=EXPORT,
    )
