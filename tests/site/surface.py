"""A small page on the kit, as the console will build its own: a list of notes and a
form, for coordinators only."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from adapters.site import SITE, render, require, see_other
from bot.access.models import Role

TEMPLATES = Path(__file__).parent / "templates"


class NotesPage:
    def __init__(self) -> None:
        self.notes: list[str] = []

    def add_to(self, app: web.Application) -> None:
        app[SITE].pages.add_templates(TEMPLATES)
        app.router.add_get("/console/proef", self.page)
        app.router.add_post("/console/proef/notitie", self.save)

    @require(Role.COORDINATOR)
    async def page(self, request: web.Request) -> web.StreamResponse:
        return await render(request, "proef.html", title="Linked accounts", notes=self.notes)

    @require(Role.COORDINATOR)
    async def save(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        self.notes.append(str(form["note"]))
        return see_other("/console/proef")
