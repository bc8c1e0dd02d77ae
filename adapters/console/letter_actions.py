"""``POST /console/zaken/<reference>/brieven/<measure>``: a letter for a measure, drafted
from what the coordinator filled in and answered as a .docx download — or, with the
"Naar de leidinggevende sturen" button (``verzenden``), sent to the invited manager
(``bot.letters.sending``) and answered with a 303 back to the case.

Its own route, not one of ``case_actions.ACTIONS``: a success is the file itself, not a
303 back. The checks are the same (CSRF by the kit, the role and the audit entry in the
core); a refusal the person can fix is the case page again, 400, with what they typed.
"""

from __future__ import annotations

from datetime import time

from aiohttp import web

from adapters.console.case_actions import CHOOSE, Acted
from adapters.console.case_page import case_url, show_case
from adapters.console.pages import console_of
from adapters.console.refusals import refused
from adapters.site import SITE, principal_of, require, see_other
from adapters.web.app import download_disposition
from bot.access.models import Role
from bot.case.errors import CaseError
from bot.i18n import translator
from bot.ids import record_id
from bot.letters.values import Filled

FAILED = "brief"  # the form a refusal brings back (``failed`` on the case page)


def add_routes(app: web.Application) -> None:
    app.router.add_post("/console/zaken/{reference}/brieven/{measure}", draft)


def _time(acted: Acted, name: str) -> time | None:
    value = acted.form.get(name, "")
    if not isinstance(value, str):
        raise CaseError(CHOOSE)
    if not value.strip():
        return None
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        raise CaseError(
            "Write the time as hours:minutes, for example 14:30. Nothing was made."
        ) from None


def _filled(acted: Acted) -> Filled:
    return Filled(
        excerpt=acted.text("voorval", required=False) or "",
        incident_on=acted.day("datum_voorval"),
        talk_on=acted.day("gesprek_datum"),
        talk_at=_time(acted, "gesprek_tijd"),
        talk_place=acted.text("gesprek_plaats", required=False) or "",
    )


@require(Role.COORDINATOR, Role.CONFIDANT)
async def draft(request: web.Request) -> web.StreamResponse:
    principal = principal_of(request)
    assert principal is not None  # @require
    console = console_of(request)
    if console.letters is None:
        raise web.HTTPNotFound
    measure_id = record_id(request.match_info["measure"])
    if measure_id is None:
        raise web.HTTPNotFound
    form = await request.post()
    try:
        case = await console.cases.locate(principal, request.match_info["reference"])
    except CaseError as refusal:
        return await refused(request, refusal)
    sending = form.get("verzenden") == "1"
    try:
        filled = _filled(Acted(request, console, principal, case, form))
        if sending:
            if console.letter_sending is None:
                raise web.HTTPNotFound
            key = str(form.get("verzoek", ""))
            sent = await console.letter_sending.send(principal, case.id, measure_id, filled, key)
            notice = "brief-verstuurd" if sent else "brief-al-verstuurd"
            return see_other(f"{case_url(case.reference)}?gedaan={notice}")
        letter = await console.letters.draft(principal, case.id, measure_id, filled)
    except CaseError as refusal:
        if type(refusal) is not CaseError:  # NotAllowed, CaseNotFound
            return await refused(request, refusal)
        t = translator(request.config_dict[SITE].language_of(request))
        typed = {name: value for name, value in form.items() if isinstance(value, str)}
        typed["maatregel_id"] = str(measure_id)
        error = t(refusal.reason, **refusal.values)
        return await show_case(
            request, principal, case.reference, status=400, failed=FAILED, error=error, typed=typed
        )
    headers = {
        "Content-Disposition": download_disposition(letter.filename),
        "Cache-Control": "no-store",
    }
    return web.Response(body=letter.content, content_type=letter.content_type, headers=headers)
