"""What an invited manager sees in the console: the cases they were invited into, and on
a case only their measures, what the coordinator shared and the guidance — never the
story, the notes, the reporter or other measures. They answer "Hoe ging het?" here too,
and download the letter the meldpunt sent them ("Brief downloaden").

Every read goes through ``ManagerService`` (checked and audited there); a manager is
refused every coordinator action (``case_actions.act`` asks for the coordinator role).
"""

from __future__ import annotations

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.console.refusals import refused
from adapters.site import SITE, error_page, principal_of, require, see_other
from adapters.web.app import download_disposition
from bot.access.models import Principal, Role
from bot.case.errors import CaseError
from bot.case.labels import measure_label
from bot.i18n import N_, translator
from bot.letters.sending import letter_url
from bot.letters.service import DOCX
from bot.manager.models import Answer
from bot.manager.service import number
from bot.manager.views import ANSWER_LABELS
from bot.measures import views as measure_views
from bot.text import MESSAGE_MAX, TooLong, clean

LIST = "/console/uitgenodigd"


def add_routes(app: web.Application) -> None:
    app.router.add_get(LIST, invited_list)
    app.router.add_post(LIST + "/{invitation}/antwoord", answer)
    app.router.add_get(LIST + "/{invitation}/brief", letter)


async def only_manager(request: web.Request, principal: Principal) -> bool:
    """Someone who reads cases only as an invited manager (no coordinator, no confidant)."""
    roles = await request.config_dict[SITE].access.roles(principal)
    return Role.MANAGER in roles and not roles & {Role.COORDINATOR, Role.CONFIDANT}


@require(Role.MANAGER)
async def invited_list(request: web.Request) -> web.StreamResponse:
    principal = principal_of(request)
    assert principal is not None  # @require
    managers = console_of(request).managers
    if managers is None:
        return await error_page(request, 404)
    try:
        found = await managers.invited_to(principal)
    except CaseError as refusal:
        return await refused(request, refusal)
    t = translator(request.config_dict[SITE].language_of(request))
    rows = [
        (case.reference, measure_label(t, measure.kind), t.datetime(invitation.invited_at))
        for case, invitation, measure in found
    ]
    return await console_page(
        request, "console/manager_list.html", title=N_("Invited"), here=LIST, rows=rows
    )


async def show(
    request: web.Request,
    principal: Principal,
    reference: str,
    *,
    status: int = 200,
    error: str | None = None,
) -> web.Response:
    """The case page as an invited manager sees it."""
    console = console_of(request)
    if console.managers is None:
        return await error_page(request, 404)
    try:
        case, mine = await console.managers.invitation_page(principal, reference)
    except CaseError as refusal:
        return await refused(request, refusal)
    t = translator(request.config_dict[SITE].language_of(request))
    shown = measure_views.shown([measure for _i, measure in mine], t, console.guidance)
    by_measure = {invitation.measure_id: invitation for invitation, _m in mine}
    items = [(one, by_measure[one.measure.id]) for one in shown]
    sending = console.letter_sending
    ids = [invitation.id for invitation, _m in mine]
    with_letter = await sending.with_letter(principal, ids) if sending else set()
    return await console_page(
        request,
        "console/manager_case.html",
        status=status,
        title=N_("Invitation"),
        here=f"/console/zaken/{case.reference}",
        case=case,
        items=items,
        answers=[(a.value, t(label)) for a, label in ANSWER_LABELS.items()],
        answer_labels={a: t(label) for a, label in ANSWER_LABELS.items()},
        error=error,
        with_letter=with_letter,
        letter_url=letter_url,
    )


@require(Role.MANAGER)
async def answer(request: web.Request) -> web.StreamResponse:
    """ "Hoe ging het?" from the case page: the same check as the chat's buttons."""
    principal = principal_of(request)
    assert principal is not None  # @require
    managers = console_of(request).managers
    invitation_id = number(request.match_info["invitation"])
    if managers is None or invitation_id is None:
        return await error_page(request, 404)
    form = await request.post()
    t = translator(request.config_dict[SITE].language_of(request))
    reference = str(form.get("zaak", ""))
    try:
        chosen = Answer(str(form.get("antwoord", "")))
    except ValueError:
        chosen = None
    try:
        note = clean(str(form.get("notitie", "")), MESSAGE_MAX)
    except TooLong:
        note = None
        error = t("Please keep it under {limit} characters.", limit=str(MESSAGE_MAX))
        return await show(request, principal, reference, status=400, error=error)
    if chosen is None:
        error = t("Choose one of the options. Nothing was changed.")
        return await show(request, principal, reference, status=400, error=error)
    try:
        case = await managers.answer(principal, invitation_id, chosen, note or None)
    except CaseError as refusal:
        if type(refusal) is not CaseError:
            return await refused(request, refusal)
        error = t(refusal.reason, **refusal.values)
        return await show(request, principal, reference, status=400, error=error)
    return see_other(f"/console/zaken/{case.reference}?gedaan=hoe-ging-het")


@require(Role.MANAGER)
async def letter(request: web.Request) -> web.StreamResponse:
    """The letter the meldpunt sent for this invitation, as a download; only its manager."""
    principal = principal_of(request)
    assert principal is not None  # @require
    sending = console_of(request).letter_sending
    invitation_id = number(request.match_info["invitation"])
    if sending is None or invitation_id is None:
        return await error_page(request, 404)
    try:
        sent = await sending.for_manager(principal, invitation_id)
    except CaseError as refusal:
        return await refused(request, refusal)
    headers = {
        "Content-Disposition": download_disposition(sent.filename),
        "Cache-Control": "no-store",
    }
    return web.Response(body=sent.content, content_type=DOCX, headers=headers)
