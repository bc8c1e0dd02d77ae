"""What the consultation, audit and figures page tests share: the real application with
the web chat's platform faked at its edge, signed in as a demo persona, and forms posted
as a browser posts them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from bot.audit.models import AuditEntry
from bot.consultation.models import NoticeContact
from bot.events import Platform
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import FORM_TOKEN, Served

COORDINATOR = "fatima"
NOT_COORDINATORS = ("sanne", "analist", "beheerder")  # staff, analyst, admin


@dataclass
class Console:
    site: Served
    platform: FakeMessenger

    async def sign_in(self, persona: str) -> None:
        await self.site.sign_in_locally(persona)

    async def token(self, path: str = "/koppelen") -> str:
        _status, html = await self.site.page(path)
        found = FORM_TOKEN.search(html)
        return found.group(1) if found else ""

    async def post(self, path: str, data: dict[str, str], token: str | None) -> ClientResponse:
        form = data | {"_return": path.rsplit("/", 1)[0]} | ({"_csrf": token} if token else {})
        return await self.site.client.post(path, data=form, allow_redirects=False)

    async def consultation(self, question: str, *, notify: bool = True) -> int:
        """A colleague's anonymous question from the faked chat, delivered to the channel."""
        chat = self.platform.platform
        contact = NoticeContact(chat, {"user": "sanne"}) if notify else None
        consultation, _issued = await self.site.runtime.consultations.start(
            question, platform=chat, language="nl", contact=contact
        )
        await self.settle()
        return consultation.id

    async def settle(self) -> None:
        await self.site.runtime.outbox.settle()

    async def audit(self) -> list[AuditEntry]:
        """Every entry of the audit log, as stored."""
        now = self.site.clock()
        async with self.site.runtime.database.transaction() as tx:
            return await tx.audit.between(now - timedelta(days=400), now + timedelta(days=1))


MakeClient = Callable[[web.Application], Awaitable[TestClient[web.Request, web.Application]]]


@dataclass
class Opener:
    """What a test module's fixture hands out (it passes in pytest's own fixtures):
    ``await open_console(persona, chat=..., **settings)``."""

    aiohttp_client: MakeClient
    database_url: str
    tmp_path: Path

    async def __call__(
        self, persona: str = COORDINATOR, chat: Platform = "web", **settings: object
    ) -> Console:
        """meldbot signed in as ``persona``; the chat (the web chat, or "slack" to see
        minimal channel content) faked at its edge."""
        clock = Clock()
        settings.setdefault("web_coordinators", ["fatima", "coordinator"])
        app = await create_app(
            make_settings(self.database_url, self.tmp_path, **settings), clock=clock
        )
        platform = FakeMessenger(platform=chat)
        app[RUNTIME].messengers[chat] = platform
        site = Served(await self.aiohttp_client(app), app[RUNTIME], clock)
        await site.sign_in_locally(persona)
        return Console(site, platform)
