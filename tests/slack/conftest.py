"""Fixtures for the Slack adapter: the fake Web API, settings, a stub core, signed requests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.slack import SlackAdapter
from bot.settings import Settings
from tests.fakes.slack_api import FakeSlack
from tests.slack.support import (
    COORDINATOR_CHANNEL,
    SeenKeys,
    SlackSender,
    StubCore,
    make_settings,
)

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")
MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """slack_sdk follows HTTP(S)_PROXY and ignores NO_PROXY: keep it on the local fake."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
async def fake_slack() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(members={COORDINATOR_CHANNEL: ["UCOORD1", "UCOORD2", "UBOT"]}) as fake:
        yield fake


@pytest.fixture
def settings(fake_slack: FakeSlack) -> Settings:
    return make_settings(fake_slack)


@pytest.fixture
def core() -> StubCore:
    return StubCore()


@pytest.fixture
def seen() -> SeenKeys:
    return SeenKeys()


@pytest.fixture
def adapter(settings: Settings, core: StubCore, seen: SeenKeys) -> SlackAdapter:
    return SlackAdapter(settings, core, seen)


@pytest.fixture
async def slack(adapter: SlackAdapter, aiohttp_client: MakeClient) -> SlackSender:
    app = web.Application()
    adapter.mount(app)
    return SlackSender(await aiohttp_client(app))
