"""Fixtures for the Teams adapter: the fake Bot Connector, signing keys, a stub core; and
the real meldbot behind it (``make_bot``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.teams.adapter import TeamsAdapter
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsBot, TeamsPayloads
from tests.slack.support import StubCore
from tests.teams.anonymity_support import TeamsMeldbot
from tests.teams.intake_support import open_meldbot
from tests.teams.support import OUTBOUND_TOKEN, StaticTokens, TeamsSender, make_settings

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
MakeBot = Callable[..., Awaitable[TeamsMeldbot]]


class MemoryBook:
    """An in-memory ``AddressBook`` that also counts its writes (each one re-stamps a day)."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str], dict[str, Any]] = {}
        self.writes: list[str] = []

    async def remember(self, platform: str, key: str, reference: dict[str, Any]) -> None:
        self.entries[(platform, key)] = reference
        self.writes.append(key)

    async def recall(self, platform: str, key: str) -> dict[str, Any] | None:
        return self.entries.get((platform, key))


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(require_token=OUTBOUND_TOKEN, bot=TeamsBot()) as connector:
        yield connector


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as openid:
        yield openid


@pytest.fixture
def core() -> StubCore:
    return StubCore()


@pytest.fixture
def book() -> MemoryBook:
    return MemoryBook()


@pytest.fixture
def adapter(
    fake: FakeBotConnector, issuer: OpenIdIssuer, core: StubCore, book: MemoryBook
) -> TeamsAdapter:
    """Authentication on: the app id is set and keys come from the local OpenID issuer."""
    settings = make_settings(
        fake, teams_client_id=BOT_APP_ID, teams_openid_metadata=issuer.metadata_url
    )
    return TeamsAdapter(settings, core, book, connections=StaticTokens())


@pytest.fixture
async def teams(adapter: TeamsAdapter, aiohttp_client: MakeClient) -> AsyncIterator[TeamsSender]:
    app = web.Application()
    adapter.mount(app)
    yield TeamsSender(await aiohttp_client(app))
    await adapter.stop()


@pytest.fixture
def payloads(fake: FakeBotConnector) -> TeamsPayloads:
    return TeamsPayloads(fake.url)


@pytest.fixture
def make_bot(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> MakeBot:
    """The real meldbot, signed both ways, in Dutch: ``await make_bot(oncall=…)``."""

    async def make(**settings: Any) -> TeamsMeldbot:
        place = (tmp_path, fake, issuer, aiohttp_client, database_url, monkeypatch)
        return await open_meldbot(*place, **settings)

    return make
