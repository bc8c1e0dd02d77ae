"""The staff page under test: the real application (create_app) on a real database, served
on its own port so that ``public_url`` (and so the Host and Origin the page accepts) is
this very server, with the web chat's coordinators watching."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from adapters.web.store import COORDINATORS, Conversations
from bot.app import RUNTIME, WEB_CONVERSATIONS, Runtime, create_app
from bot.events import ActionInvoked, Actor, Address, FormSubmitted, MessageRef
from bot.observability.access import AccessLog
from bot.ui import Actions, Button
from tests.core.conftest import Clock, make_settings
from tests.site.conftest import free_port, mock_provider  # noqa: F401 (sign-in tests)
from tests.web.conftest import chromium, page  # noqa: F401 (Chromium for the browser tests)

TOKEN = re.compile(r'name="_anon" value="([^"]*)"')
STEP = re.compile(r'name="_step" value="([^"]*)"')
CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
REFERENCE = re.compile(r"M-\d{4}-\d{4}")
COORDINATOR = "fatima"


@dataclass
class Page:
    """One answer of the page: its status, headers and HTML."""

    status: int
    headers: Any
    html: str

    def token(self, index: int = -1) -> str:
        """The anonymous token of a form on the page (the last: the form's own)."""
        found = TOKEN.findall(self.html)
        assert found, self.html
        return unescape(found[index])

    def text(self) -> str:
        return unescape(re.sub(r"<[^>]+>", " ", self.html))


@dataclass
class Staff:
    url: str
    runtime: Runtime
    clock: Clock
    session: aiohttp.ClientSession
    conversations: Conversations

    def coordinators_see(self) -> str:
        """Everything meldbot posted in the coordinators' conversation, as plain text."""
        posted = [e.message for e in self.conversations if e.conversation == COORDINATORS]
        return "\n".join(repr(message) for message in posted)

    async def answer_consultation(self, answer: str) -> None:
        """A coordinator presses Answer on the newest consultation and sends ``answer``."""
        entry, button = next(
            (entry, button)
            for entry in reversed(list(self.conversations))
            if entry.conversation == COORDINATORS
            for block in entry.message.blocks
            if isinstance(block, Actions)
            for button in block.buttons
            if isinstance(button, Button) and button.action_id == "consult.answer"
        )
        coordinator = Actor("web", COORDINATOR, "Fatima")
        where = Address("web", COORDINATORS, thread=entry.thread or entry.id)
        ref = MessageRef("web", COORDINATORS, entry.id)
        handle = self.runtime.dialogs.handle
        pressed = ActionInvoked(coordinator, where, "consult.answer", button.value, ref)
        opened = await handle(pressed)
        assert opened.form is not None
        done = await handle(
            FormSubmitted(coordinator, opened.form.form_id, {"answer": answer}, opened.form.state)
        )
        assert not done.errors
        await self.runtime.outbox.settle()

    async def get(self, path: str, **headers: str) -> Page:
        async with self.session.get(self.url + path, headers=headers) as response:
            return Page(response.status, response.headers, await response.text())

    async def post(self, path: str, data: Any, **headers: str) -> Page:
        async with self.session.post(
            self.url + path, data=data, headers=headers, allow_redirects=False
        ) as response:
            return Page(response.status, response.headers, await response.text())


MakeStaff = Callable[..., Awaitable[Staff]]


@pytest.fixture
async def make_staff(database_url: str, tmp_path: Path) -> AsyncIterator[MakeStaff]:
    servers: list[TestServer] = []
    sessions: list[aiohttp.ClientSession] = []

    async def make(**settings: object) -> Staff:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        settings.setdefault("web_coordinators", [COORDINATOR, "coordinator"])
        settings.setdefault("language", "nl")
        clock = Clock()
        # The web chat's messenger carries the coordinators' conversation (the demo on).
        config = make_settings(database_url, tmp_path, public_url=url, **settings)
        config = config.model_copy(update={"web_chat": "on"})
        app: web.Application = await create_app(config, clock=clock)
        # The access log as ``meldbot serve`` writes it (no client address, no browser).
        server = TestServer(app, host="127.0.0.1", port=port)
        await server.start_server(access_log_class=AccessLog)
        servers.append(server)
        # No cookie jar that could hide a Set-Cookie: every answer is looked at as it came.
        session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
        sessions.append(session)
        return Staff(url, app[RUNTIME], clock, session, app[WEB_CONVERSATIONS])

    yield make
    for session in sessions:
        await session.close()
    for server in servers:
        await server.close()


@pytest.fixture
async def staff(make_staff: MakeStaff) -> Staff:
    return await make_staff()


def hardened(answer: Page) -> None:
    """What every answer of an anonymous page carries, and what it never does."""
    assert "Set-Cookie" not in answer.headers
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    # No third-party assets: every src and href stays on this site.
    for place in re.findall(r'(?:src|href|action)="([^"]*)"', answer.html):
        assert place.startswith(("/", "#")), place
    assert "<script" not in answer.html
