"""``/koppelen``: a signed-in person sees their linked chat identities, makes a one-time
code to link their Slack (or other chat) account, and can undo a link."""

from __future__ import annotations

from aiohttp import web

from adapters.site.requests import principal_of, see_other
from adapters.site.site import Site, require
from bot.access.links import LINK_CODE_TTL, actor_of
from bot.access.models import Principal
from bot.i18n import N_

PLATFORM_NAMES = {"slack": "Slack", "teams": "Microsoft Teams", "web": N_("web chat")}


class LinkRoutes:
    def __init__(self, site: Site) -> None:
        self._site = site

    def add_to(self, app: web.Application) -> None:
        app.router.add_get("/koppelen", self.page)
        app.router.add_post("/koppelen/code", self.code)
        app.router.add_post("/koppelen/ontkoppelen", self.unlink)

    @require()
    async def page(self, request: web.Request) -> web.StreamResponse:
        return await self._show(request, code=None)

    @require()
    async def code(self, request: web.Request) -> web.StreamResponse:
        principal = principal_of(request)
        assert principal is not None
        code = await self._site.links.new_code(principal)
        return await self._show(request, code=f"{code[:3]} {code[3:]}")

    @require()
    async def unlink(self, request: web.Request) -> web.StreamResponse:
        principal = principal_of(request)
        assert principal is not None
        form = await request.post()
        actor = actor_of(str(form.get("chat", "")))
        if actor is None or not await self._site.links.unlink(principal, actor):
            raise web.HTTPBadRequest
        return see_other("/koppelen")

    async def _show(self, request: web.Request, code: str | None) -> web.StreamResponse:
        principal: Principal | None = principal_of(request)
        assert principal is not None
        chats = await self._site.links.chats(principal)
        return await self._site.render(
            request,
            "site/koppelen.html",
            title=N_("Link your chat accounts"),
            chats=[(actor.key, PLATFORM_NAMES[actor.platform], actor.user_id) for actor in chats],
            code=code,
            minutes=int(LINK_CODE_TTL.total_seconds() // 60),
            here="/koppelen",
        )
