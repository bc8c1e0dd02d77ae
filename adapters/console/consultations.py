"""The consultations: the open ones, one with all its entries, and answering or closing it.

A consultation is anonymous: the page names the colleague by pseudonym only, and quotes
every text as it was written. Answering and closing go through the same core service
(role check, audit, the outbox to the colleague and the channel) as the chat buttons.
"""

from __future__ import annotations

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.console.refusals import refused
from adapters.site import require, see_other, signed_in
from bot.access.models import Role
from bot.case.errors import CaseError
from bot.consultation.models import ConsultationStatus
from bot.i18n import N_
from bot.text import MESSAGE_MAX, TooLong, clean

PAGE = "/console/overleg"
ONE = PAGE + "/{consultation_id:[0-9]{1,9}}"  # an id the database can hold, or 404
MISSING = N_("Please type your answer.")
TOO_LONG = N_("Please keep it under {limit} characters.")


def add_routes(app: web.Application) -> None:
    app.router.add_get(PAGE, open_ones)
    app.router.add_get(ONE, consultation)
    app.router.add_post(ONE + "/antwoord", answer)
    app.router.add_post(ONE + "/sluiten", close)


def _id(request: web.Request) -> int:
    return int(request.match_info["consultation_id"])


@require(Role.COORDINATOR)
async def open_ones(request: web.Request) -> web.StreamResponse:
    try:
        found = await console_of(request).consultations.open_ones(signed_in(request))
    except CaseError as error:
        return await refused(request, error)
    return await console_page(
        request, "console/consultations.html", title=N_("Open consultations"), found=found
    )


@require(Role.COORDINATOR)
async def consultation(request: web.Request) -> web.StreamResponse:
    return await _show(request)


async def _show(
    request: web.Request,
    *,
    error: str | None = None,
    values: dict[str, str] | None = None,
    typed: str = "",
) -> web.StreamResponse:
    """The page; with ``error`` (a message id) a 400 with the answer form as it was sent."""
    try:
        read = await console_of(request).consultations.read(signed_in(request), _id(request))
    except CaseError as refusal:
        return await refused(request, refusal)
    return await console_page(
        request,
        "console/consultation.html",
        status=400 if error else 200,
        title=N_("Consultation"),
        here=f"{PAGE}/{read.consultation.id}",
        consultation=read.consultation,
        entries=read.entries,
        is_open=read.consultation.status is ConsultationStatus.OPEN,
        error=error,
        error_values=values or {},
        typed=typed,
    )


@require(Role.COORDINATOR)
async def answer(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    raw = form.get("text")
    typed = raw if isinstance(raw, str) else ""
    try:
        text = clean(typed, MESSAGE_MAX)
    except TooLong:
        return await _again(request, TOO_LONG, typed, limit=str(MESSAGE_MAX))
    if not text:
        return await _again(request, MISSING, typed)
    try:
        await console_of(request).consultations.answer(signed_in(request), _id(request), text)
    except CaseError as refusal:
        return await refused(request, refusal)
    return see_other(f"{PAGE}/{_id(request)}?gedaan=beantwoord")


@require(Role.COORDINATOR)
async def close(request: web.Request) -> web.StreamResponse:
    try:
        await console_of(request).consultations.close(signed_in(request), _id(request))
    except CaseError as refusal:
        return await refused(request, refusal)
    return see_other(f"{PAGE}/{_id(request)}?gedaan=gesloten")


async def _again(
    request: web.Request, reason: str, typed: str, **values: str
) -> web.StreamResponse:
    return await _show(request, error=reason, values=values, typed=typed)
