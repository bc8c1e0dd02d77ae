"""Fixtures for the Slack adapter: the fake Web API, settings, a stub core, signed requests."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse, web

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `pytest` run as a script does not put the repo on sys.path
    sys.path.insert(0, str(ROOT))

from adapters.slack import SlackAdapter  # noqa: E402
from bot.events import Event  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.ui import Response  # noqa: E402
from tests.fakes.slack_api import FakeSlack, sign  # noqa: E402

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
COORDINATOR_CHANNEL = "C0COORD"
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk follows HTTP(S)_PROXY and ignores NO_PROXY: keep it on the local fake."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(members={COORDINATOR_CHANNEL: ["UCOORD1", "UCOORD2", "UBOT"]}) as fake:
        yield fake


def make_settings(fake: FakeSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": fake.token,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.url,
        "slack_coordinator_channel": COORDINATOR_CHANNEL,
        "slack_coordinators": [],
        "language": "en",
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def settings(fake_slack: FakeSlack) -> Settings:
    return make_settings(fake_slack)


class StubCore:
    """The core's handler, recording events and answering what the test says."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.answer: Callable[[Event], Response] = lambda event: Response()

    async def __call__(self, event: Event) -> Response:
        self.events.append(event)
        return self.answer(event)

    async def wait(self, count: int = 1, seconds: float = 5.0) -> list[Event]:
        deadline = time.monotonic() + seconds
        while len(self.events) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} events expected, got {self.events}")
            await asyncio.sleep(0.01)
        return self.events


class SeenKeys:
    """An in-memory ``FirstDelivery``."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def __call__(self, key: str) -> bool:
        first = key not in self.keys
        self.keys.append(key)
        return first


@pytest.fixture
def core() -> StubCore:
    return StubCore()


@pytest.fixture
def seen() -> SeenKeys:
    return SeenKeys()


@pytest.fixture
def adapter(settings: Settings, core: StubCore, seen: SeenKeys) -> SlackAdapter:
    return SlackAdapter(settings, core, seen)


class SlackSender:
    """Posts to ``/slack/events`` the way Slack does: signed, JSON or form-encoded."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def post(
        self,
        body: str,
        *,
        form: bool = False,
        secret: str = SECRET,
        timestamp: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ClientResponse:
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        all_headers = {"Content-Type": content_type, **sign(secret, body, timestamp)}
        all_headers.update(headers or {})
        response: ClientResponse = await self.client.post(
            "/slack/events", data=body.encode(), headers=all_headers
        )
        return response


@pytest.fixture
async def slack(adapter: SlackAdapter, aiohttp_client: Any) -> SlackSender:
    app = web.Application()
    adapter.mount(app)
    return SlackSender(await aiohttp_client(app))
