"""``/console/instellingen``: the configuration as meldbot runs with it, for administrators
(what is set, what is not; secrets only as "set")."""

from __future__ import annotations

from aiohttp import web

from adapters.console.pages import console_of, console_page
from adapters.site import require
from bot.access.models import Role
from bot.i18n import N_
from bot.settings_overview import overview


@require(Role.ADMIN)
async def settings(request: web.Request) -> web.StreamResponse:
    rows = overview(console_of(request).settings)
    return await console_page(request, "console/settings.html", title=N_("Settings"), rows=rows)


def add_routes(app: web.Application) -> None:
    app.router.add_get("/console/instellingen", settings)
