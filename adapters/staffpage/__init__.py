"""The staff page at ``/melden``: report or consult from the intranet, named after signing
in or truly anonymous, through the same dialogs as the chat.

``/melden``             the start: choose a route, and what meldbot can and cannot hide
``/melden/melding``     the named report (the embeddable button links here)
``/melden/anoniem``     the anonymous report
``/melden/overleggen``  the anonymous consultation
``/melden/code``        status, answer and adding information with a receipt code

Server-rendered, every step a plain form (no script), in the site kit's templates.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from aiohttp import web

from adapters.site import SITE, error_page, render
from adapters.staffpage.anonymous import WRONG_HOST, AnonymousPages, AnonymousPosts
from adapters.staffpage.guard import Guard
from adapters.staffpage.named import PATH as NAMED
from adapters.staffpage.named import NamedPage
from adapters.staffpage.personal import PersonalChat
from adapters.staffpage.steps import Steps
from adapters.staffpage.tokens import Tokens, page_key
from adapters.staffpage.writing import Writing
from adapters.web.store import Conversations
from bot.attachments.policy import Limits
from bot.i18n import N_
from bot.ports import Handler

PREFIX = "/melden"
TEMPLATES = Path(__file__).resolve().parent / "templates"

__all__ = ["PREFIX", "StaffPage", "page_key"]


class StaffPage:
    """``mount(app)`` after the site is mounted: the page's routes, templates and checks."""

    def __init__(
        self,
        handler: Handler,
        key: bytes,
        public_url: str,
        conversations: Conversations | None,
        limits: Limits,
        clock: Callable[[], datetime],
    ) -> None:
        self.guard = Guard(public_url, clock)
        self.tokens = Tokens(key, clock)
        steps = Steps(handler, self.tokens)
        self.posts = AnonymousPosts(self.tokens, self.guard)
        self._anonymous = AnonymousPages(steps, self.guard)
        chat = PersonalChat(conversations)
        self._named = NamedPage(steps, self.guard, chat, Writing(steps, chat, limits))
        # Files come with a message: room for each at its limit, and the text.
        self._upload_limit = limits.max_files * limits.max_bytes + 256 * 1024

    def mount(self, app: web.Application) -> None:
        site = app[SITE]
        site.serve_under(PREFIX, anonymous=self.posts, uploads={NAMED: self._upload_limit})
        site.pages.add_templates(TEMPLATES)
        app.router.add_get(PREFIX, self.start)
        self._anonymous.add_to(app)
        self._named.add_to(app)

    async def start(self, request: web.Request) -> web.StreamResponse:
        if not self.guard.right_host(request):
            return await error_page(request, 400, WRONG_HOST)
        return await render(
            request, "staffpage/start.html", title=N_("Report or ask"), principal=None, csrf=""
        )
