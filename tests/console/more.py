"""What the consultation, audit and figures page tests share: the real application with
the web chat's platform faked at its edge, signed in as a demo persona, and forms posted
as a browser posts them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient, TestServer
from playwright.async_api import Page

from bot.app import RUNTIME, Runtime, create_app
from bot.audit.models import AuditEntry
from bot.consultation.models import NoticeContact
from bot.events import Platform
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import FORM_TOKEN, Served, free_port
from tests.web.conftest import chromium_tab as web_tab

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


# -- in headless Chromium -------------------------------------------------------------------

NAMES = {"fatima": "Fatima", "analist": "Analist", "beheerder": "Beheerder"}
MakeServer = Callable[..., Awaitable[TestServer]]


@dataclass
class Browsed:
    url: str
    runtime: Runtime
    clock: Clock
    platform: FakeMessenger


async def serve(aiohttp_server: MakeServer, tmp_path: Path) -> Browsed:
    """meldbot on a port of this machine (SQLite), for the browser."""
    port = free_port()
    clock = Clock()
    url = f"http://127.0.0.1:{port}"
    database = f"sqlite+aiosqlite:///{tmp_path / f'meldbot-{port}.db'}"
    configured = make_settings(
        database, tmp_path, public_url=url, web_coordinators=["fatima", "coordinator"]
    )
    app = await create_app(configured, clock=clock)
    platform = FakeMessenger()
    app[RUNTIME].messengers["web"] = platform
    await aiohttp_server(app, port=port)
    return Browsed(url, app[RUNTIME], clock, platform)


@asynccontextmanager
async def chromium_tab(tmp_path: Path) -> AsyncIterator[Page]:
    """A tab of headless Chromium (tests/web's), in which no CSP violation may happen either."""
    async with web_tab(tmp_path) as tab:
        yield tab
        assert await tab.evaluate("window.__csp") == []


async def sign_in(tab: Page, served: Browsed, persona: str, path: str) -> None:
    """Opens ``path``, signs in on the demo page it sends to, and is back on ``path``."""
    await tab.goto(served.url + path)
    await tab.get_by_role("button", name=f"Inloggen als {NAMES[persona]}").click()
    await tab.wait_for_url(served.url + path)


async def in_english(tab: Page) -> None:
    await tab.get_by_role("link", name="English").click()
    await tab.wait_for_load_state()
