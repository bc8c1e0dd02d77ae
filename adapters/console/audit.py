"""The audit log for admins: the log of one case, and a period's log as a CSV file.

Both read through ``AuditTrail``, which checks the admin role and writes the reading
itself to the log. Neither ever shows a narrative: entries carry only short facts.
"""

from __future__ import annotations

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.console.periods import BAD_DATE, csv_file, last_month, typed_period
from adapters.console.refusals import refused
from adapters.site import require, signed_in
from bot.access.models import Role
from bot.audit.models import AuditEntry
from bot.audit.service import BAD_PERIOD, to_csv
from bot.case.errors import CaseError, InvalidQuery
from bot.i18n import N_
from bot.schedule.calendar import AMSTERDAM, days_between

PAGE = "/console/audit"
EXPORT = PAGE + "/export"
REFERENCE_MAX = 30
BAD_REFERENCE = N_("A reference has at most {limit} characters, such as M-2026-0042.")
# What each action in the log means; an action not named here shows as its code.
ACTIONS: dict[str, str] = {
    "open": N_("Opened the case page"),
    "read": N_("Read the case for a form"),
    "download": N_("Downloaded a file"),
    "search": N_("Searched the cases"),
    "list": N_("Saw the case in a list"),
    "claim": N_("Claimed the case"),
    "ask": N_("Asked the reporter a question"),
    "message": N_("Sent the reporter a message"),
    "note": N_("Wrote an internal note"),
    "status": N_("Changed the status"),
    "correct": N_("Changed the category or urgency"),
    "close": N_("Closed the case"),
    "reopen": N_("Reopened the case"),
    "hand_over": N_("Handed the case over"),
    "handover": N_("Passed the case on to the meldpunt"),
    "restrict": N_("Restricted the case"),
    "lift_restriction": N_("Lifted the restriction"),
    "audit.read": N_("Read the audit log of the case"),
    "audit.export": N_("Exported the audit log"),
    "registry.export": N_("Exported the cases for a registry"),
    "measure.propose": N_("Proposed a measure to the reporter"),
    "proposal.answer": N_("The reporter answered a proposed measure"),
    "aangifte.guidance": N_("Sent the reporter the aangifte guidance"),
    "aangifte.record": N_("Recorded the aangifte"),
    "aangifte.read": N_("Read the aangifte record"),
    "external_report": N_("Recorded an external report"),
}


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, audit)
    app.router.add_get(EXPORT, export)


@require(Role.ADMIN)
async def audit(request: web.Request) -> web.StreamResponse:
    reference = request.query.get("zaak", "").strip()
    if len(reference) > REFERENCE_MAX:
        return await _page(request, reference=reference, error=BAD_REFERENCE)
    if not reference:
        return await _page(request)
    try:
        entries = await console_of(request).audit.of_case(signed_in(request), reference)
    except CaseError as refusal:
        return await refused(request, refusal)
    return await _page(request, reference=reference, entries=entries)


@require(Role.ADMIN)
async def export(request: web.Request) -> web.StreamResponse:
    typed, first, last = typed_period(request)
    if first is None or last is None:
        return await _page(request, period=typed, period_error=BAD_DATE)
    start, end = days_between(first, last)
    try:
        rows = await console_of(request).audit.export(signed_in(request), start, end)
    except InvalidQuery:
        return await _page(request, period=typed, period_error=BAD_PERIOD)
    except CaseError as refusal:
        return await refused(request, refusal)
    name = f"meldbot-audit-{first.isoformat()}-{last.isoformat()}.csv"
    return csv_file(to_csv(rows), name)


async def _page(
    request: web.Request,
    *,
    reference: str = "",
    entries: list[AuditEntry] | None = None,
    error: str | None = None,
    period: dict[str, str] | None = None,
    period_error: str | None = None,
) -> web.Response:
    today = console_of(request).audit.clock().astimezone(AMSTERDAM).date()
    return await console_page(
        request,
        "console/audit.html",
        status=400 if error or period_error else 200,
        title=N_("Audit log"),
        reference=reference,
        entries=entries,
        error=error,
        period=period or last_month(today),
        period_error=period_error,
        example=today.isoformat(),
        limit=str(REFERENCE_MAX),
        actions=ACTIONS,
    )
