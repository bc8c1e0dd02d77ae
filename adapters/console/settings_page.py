"""``/console/instellingen``: the configuration as meldbot runs with it, for administrators
(what is set, what is not; secrets only as "set"), and the report button to hand to the
intranet's editors."""

from __future__ import annotations

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.site import require
from bot.access.models import Role
from bot.i18n import N_, translator
from bot.report_button import report_button
from bot.settings_overview import overview


@require(Role.ADMIN)
async def settings(request: web.Request) -> web.StreamResponse:
    configured = console_of(request).settings
    page = configured.staff_page_url
    # The button speaks the organisation's language, whatever the administrator reads in.
    label = translator(configured.language)("Report aggression, violence or a signal")
    button = report_button(page, label) if page is not None else None
    return await console_page(
        request,
        "console/settings.html",
        title=N_("Settings"),
        rows=overview(configured),
        button=button,
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/console/instellingen", settings)
