"""Bewaren en vernietigen: the closed cases coming due (coordinators and admins; a
restricted case only for who may read it), the once-only extension with a reason, and
the destruction list as CSV (admins). Every check and audit entry is in the core
(``bot.retention.service``); the page shows and forwards.
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web
from babel.dates import format_date

from adapters.console.pages import console_of, console_page
from adapters.console.periods import BAD_DATE, csv_file, last_month, typed_period
from adapters.console.refusals import refused, status_of
from adapters.site import SITE, require, see_other, signed_in
from bot.access.models import Role
from bot.case.errors import CaseError
from bot.case.labels import CATEGORY_LABELS
from bot.i18n import N_, translator
from bot.retention.listing import destroyed_csv
from bot.retention.service import Retention
from bot.schedule.calendar import AMSTERDAM, days_between

PAGE = "/console/bewaren"
EXTEND = PAGE + "/{reference:M-[0-9]{4}-[0-9]{1,9}}/verlengen"
DESTROYED = PAGE + "/vernietigd"
BAD_PERIOD = N_("Fill in a last day on or after the first day.")
OUTCOMES = {
    "with_measures": N_("Closed with measures"),
    "without_measures": N_("Closed without measures"),
    "anonymous": N_("Anonymous, no measures"),
}


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, due)
    app.router.add_post(EXTEND, extend)
    app.router.add_get(DESTROYED, destroyed)


def _retention(request: web.Request) -> Retention:
    retention = console_of(request).retention
    if retention is None:
        raise web.HTTPNotFound()
    return retention


@require(Role.COORDINATOR, Role.ADMIN)
async def due(request: web.Request) -> web.StreamResponse:
    return await _page(request)


@require(Role.COORDINATOR, Role.ADMIN)
async def extend(request: web.Request) -> web.StreamResponse:
    reference = request.match_info["reference"]
    form = await request.post()
    raw = form.get("reason")
    typed = raw if isinstance(raw, str) else ""
    try:
        await _retention(request).extend(signed_in(request), reference, typed)
    except CaseError as refusal:
        if status_of(refusal) != 400:
            return await refused(request, refusal)
        return await _page(request, failed=(reference, refusal, typed))
    return see_other(f"{PAGE}?gedaan=bewaren-verlengd")


@require(Role.ADMIN)
async def destroyed(request: web.Request) -> web.StreamResponse:
    typed, first, last = typed_period(request)
    if first is None or last is None:
        return await _page(request, period=typed, period_error=BAD_DATE)
    if last < first:
        return await _page(request, period=typed, period_error=BAD_PERIOD)
    start, end = days_between(first, last)
    try:
        entries = await _retention(request).destroyed(signed_in(request), start, end)
    except CaseError as refusal:
        return await refused(request, refusal)
    name = f"meldbot-vernietigd-{first.isoformat()}-{last.isoformat()}.csv"
    return csv_file(destroyed_csv(entries), name)


def _day_text(moment: datetime, language: str) -> str:
    return format_date(moment.astimezone(AMSTERDAM).date(), "d MMMM y", locale=language)


async def _page(
    request: web.Request,
    *,
    failed: tuple[str, CaseError, str] | None = None,
    period: dict[str, str] | None = None,
    period_error: str | None = None,
) -> web.StreamResponse:
    retention = _retention(request)
    principal = signed_in(request)
    try:
        cases = await retention.upcoming(principal)
    except CaseError as refusal:
        return await refused(request, refusal)
    today = retention.clock().astimezone(AMSTERDAM).date()
    t = translator(request.config_dict[SITE].language_of(request))
    policy = console_of(request).settings.retention
    years = {
        name: t.plural("{count} year", "{count} years", getattr(policy, f"{name}_years"))
        for name in ("with_measures", "without_measures", "anonymous", "audit", "extension")
    }
    return await console_page(
        request,
        "console/retention.html",
        status=400 if failed or period_error else 200,
        title=N_("Keeping and deleting"),
        cases=cases,
        policy=policy,
        years=years,
        failed=failed,
        period=period or last_month(today),
        period_error=period_error,
        example=today.isoformat(),
        category_labels=CATEGORY_LABELS,
        outcomes=OUTCOMES,
        day=_day_text,
    )
