"""The site under test: the real application (create_app) with its database, a clock, and
real OpenID providers — the PyPI ``oidc-provider-mock`` as its own process, and
``tests.fakes.oidc_provider`` for the tokens a real one never sends."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, Runtime, create_app
from tests.core.conftest import Clock, make_settings
from tests.web.conftest import chromium, page  # noqa: F401 (Chromium for test_browser)

FORM_TOKEN = re.compile(r'name="_csrf" value="([^"]*)"')
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="session")
def mock_provider() -> Iterator[str]:
    """``oidc-provider-mock`` (PyPI) in a process of its own; its URL is its issuer."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--port", str(port), "--require-nonce"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _answers(url + "/.well-known/openid-configuration"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("oidc-provider-mock did not start")
            time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def mock_user(provider: str, subject: str, claims: dict[str, Any]) -> None:
    """The claims the mock puts in the id_token of ``subject``."""
    request = urllib.request.Request(
        f"{provider}/users/{subject}",
        data=json.dumps(claims).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with _DIRECT.open(request, timeout=5) as response:
        assert response.status == 204


def signin_config(issuer: str, **extra: object) -> dict[str, object]:
    return {
        "issuer": issuer,
        "client_id": "meldbot",
        "client_secret": "geheim-van-meldbot",
        "roles": {
            "coordinator": ["meldbot.coordinator"],
            "analyst": ["meldbot.analist"],
            "admin": ["meldbot.beheer"],
        },
        **extra,
    }


@dataclass
class Served:
    client: TestClient[web.Request, web.Application]
    runtime: Runtime
    clock: Clock

    async def page(self, path: str) -> tuple[int, str]:
        response = await self.client.get(path, allow_redirects=False)
        return response.status, await response.text()

    async def token(self, path: str, form: str = "") -> str:
        """The form token on the page at ``path`` (of the first form after ``form``)."""
        status, html = await self.page(path)
        found = FORM_TOKEN.search(html, html.find(form) if form else 0)
        assert status == 200 and found, html
        return found.group(1)

    async def sign_in_locally(self, persona: str, back: str = "/koppelen") -> None:
        token = await self.token("/signin", 'action="/signin/local"')
        response = await self.client.post(
            "/signin/local",
            data={"_csrf": token, "persona": persona, "next": back},
            allow_redirects=False,
        )
        assert response.status == 303 and response.headers["Location"] == back

    async def sign_in_at(self, provider: Callable[[str], Awaitable[str]], back: str) -> Any:
        """Through the real redirects: meldbot → provider (``provider`` takes the
        authorization URL and returns where it sends the browser) → the callback."""
        start = await self.client.get(f"/signin/start?next={back}", allow_redirects=False)
        assert start.status == 302, await start.text()
        callback = urlsplit(await provider(start.headers["Location"]))
        return await self.client.get(f"{callback.path}?{callback.query}", allow_redirects=False)


async def authorize_at_mock(url: str, subject: str) -> str:
    """The mock's authorization form, filled in as a person would: their subject."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data={"sub": subject}, allow_redirects=False) as answer,
    ):
        assert answer.status == 302, await answer.text()
        return answer.headers["Location"]


async def authorize_at(url: str) -> str:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, allow_redirects=False) as answer,
    ):
        assert answer.status == 302, await answer.text()
        return answer.headers["Location"]


MakeSite = Callable[..., Awaitable[Served]]


@pytest.fixture
async def make_site(
    aiohttp_client: Callable[..., Awaitable[TestClient[web.Request, web.Application]]],
    database_url: str,
    tmp_path: Path,
) -> AsyncIterator[MakeSite]:
    """``await make_site(signin=..., **settings)``: meldbot's application, served locally."""
    runtimes: list[Runtime] = []

    async def make(
        *,
        before: list[Any] | None = None,
        routes: Callable[[web.Application], None] | None = None,
        **settings: object,
    ) -> Served:
        clock = Clock()
        settings.setdefault("web_coordinators", ["fatima", "coordinator"])
        app = await create_app(make_settings(database_url, tmp_path, **settings), clock=clock)
        for middleware in reversed(before or []):
            app.middlewares.insert(0, middleware)
        if routes is not None:
            routes(app)
        runtimes.append(app[RUNTIME])
        return Served(await aiohttp_client(app), app[RUNTIME], clock)

    yield make
