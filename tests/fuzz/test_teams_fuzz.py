"""/api/messages against broken activities, with and without a valid token: a 4xx or an
answer, never a 5xx, a traceback or a line with what someone wrote."""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsBot, TeamsPayloads
from tests.fuzz.conftest import LogWatch, quiet
from tests.fuzz.hostile import broken_bodies, dumps
from tests.fuzz.teams_cases import activity
from tests.teams.support import CHRIS, OUTBOUND_TOKEN, StaticTokens, make_settings

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
BATCH = 25


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(require_token=OUTBOUND_TOKEN, bot=TeamsBot()) as connector:
        yield connector


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as openid:
        yield openid


async def _send(
    client: TestClient[Any, Any], requests: list[tuple[bytes, dict[str, str]]]
) -> list[int]:
    statuses: list[int] = []
    for start in range(0, len(requests), BATCH):
        answers: list[ClientResponse] = await asyncio.gather(
            *(
                client.post("/api/messages", data=body, headers=headers)
                for body, headers in requests[start : start + BATCH]
            )
        )
        for answer in answers:
            await answer.read()
            statuses.append(answer.status)
    return statuses


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_broken_activities_are_never_a_server_error(
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    database_url: str,
    tmp_path: Path,
    log_watch: LogWatch,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The outbound token from a fixed provider: there is no Entra ID to ask here.
    monkeypatch.setattr("adapters.teams.adapter.sdk_connections", lambda *_: StaticTokens())
    settings = make_settings(
        fake,
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        language="nl",
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        teams_coordinators=[CHRIS.aad_object_id, "aad-UFUZZ-0"],
    )
    app = await create_app(settings)
    client = await aiohttp_client(app)
    teams = TeamsPayloads(fake.url)
    rng = random.Random(1604)
    signed = issuer.authorization(BOT_APP_ID, service_url=fake.url)
    requests = []
    for n in range(1300):
        headers = {"Content-Type": "application/json", **(signed if n % 10 else {})}
        if n % 7 == 0:
            body = rng.choice(broken_bodies(rng, dumps(activity(rng, teams))))
        else:
            body = dumps(activity(rng, teams)).encode("utf-8", "surrogatepass")
        requests.append((body, headers))

    statuses = await _send(client, requests)
    await quiet()
    await app[RUNTIME].outbox.settle()

    problems = log_watch.problems()
    server_errors = sorted(s for s in statuses if s >= 500)
    assert not server_errors and not problems, "\n".join([str(server_errors), *problems])
    assert {200, 202} & set(statuses) and {400, 401} <= set(statuses)
