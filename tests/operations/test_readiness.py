"""/readyz: not ready while the database is down, ready again as soon as it is back; a
platform's credentials are checked, but not on every scrape."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import _require
from tests.fakes.slack_api import FakeSlack
from tests.operations.support import MakeClient, served
from tests.postgres import Server, stoppable_server
from tests.slack.support import COORDINATOR_CHANNEL, SECRET


@pytest.fixture
def server() -> Iterator[Server]:
    with stoppable_server() as running:
        if running is None:
            _require("PostgreSQL (Debian package postgresql)")
        assert running is not None
        yield running


@pytest.mark.postgres
async def test_readyz_fails_while_the_database_is_down_and_recovers(
    server: Server, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    _bot, client = await served(f"{server.url}/postgres", tmp_path, aiohttp_client)
    ready = await client.get("/readyz")
    assert ready.status == 200
    assert await ready.json() == {"status": "ready", "checks": {"database": "ok"}}

    server.stop()
    down = await client.get("/readyz")
    assert down.status == 503
    assert await down.json() == {"status": "not ready", "checks": {"database": "failing"}}
    assert (await client.get("/healthz")).status == 200, "alive, though not ready"
    assert (await client.get("/metrics")).status == 200, "the counters are still there"

    server.start()
    back = await client.get("/readyz")
    assert back.status == 200 and (await back.json())["checks"] == {"database": "ok"}


async def test_readyz_asks_slack_once_for_many_scrapes(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    async with FakeSlack(members={COORDINATOR_CHANNEL: ["UCOORD1", "UBOT"]}) as slack:
        _bot, client = await served(
            database_url,
            tmp_path,
            aiohttp_client,
            slack_bot_token=slack.token,
            slack_signing_secret=SECRET,
            slack_api_url=slack.url,
            slack_coordinator_channel=COORDINATOR_CHANNEL,
        )
        before = len(slack.calls_to("auth.test", ok_only=False))
        slack.fail("auth.test", "invalid_auth")
        refused = await client.get("/readyz")
        assert refused.status == 503
        assert (await refused.json())["checks"] == {"database": "ok", "slack": "failing"}
        for _ in range(5):  # a scraper polling: the answer is kept a while, right or wrong
            again = await client.get("/readyz")
            assert again.status == 503
        assert len(slack.calls_to("auth.test", ok_only=False)) == before + 1
