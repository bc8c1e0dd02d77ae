"""The Slack load benchmark sends as Slack does, against a real aiohttp server: every DM
of the open loop on its own schedule, and a DM not acked in time once more, marked as a
retry, while the first delivery is still awaited for its ack."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from itertools import pairwise

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from benchmarks.slack_load import load
from benchmarks.slack_load.events import dms
from tests.slack.support import SECRET

MakeServer = Callable[[web.Application], Awaitable[TestServer]]


class SlowApp:
    """Acks at once; with ``hold``, the first delivery of an event only after its retry."""

    def __init__(self, hold: bool) -> None:
        self.hold = hold
        self.received: list[tuple[str, str | None]] = []  # (event id, retry number)
        self.retried = asyncio.Event()

    async def events(self, request: web.Request) -> web.Response:
        body = await request.json()
        retry = request.headers.get("X-Slack-Retry-Num")
        self.received.append((body["event_id"], retry))
        if retry is None and self.hold:
            await self.retried.wait()
        else:
            self.retried.set()
        return web.Response(text="")


async def _url(aiohttp_server: MakeServer, app: SlowApp) -> str:
    served = web.Application()
    served.router.add_post("/slack/events", app.events)
    server = await aiohttp_server(served)
    return str(server.make_url("/slack/events"))


async def test_a_dm_not_acked_in_time_is_sent_again_as_a_retry(
    aiohttp_server: MakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(load, "SLACK_RETRIES_AFTER", 0.2)
    app = SlowApp(hold=True)
    url = await _url(aiohttp_server, app)
    async with load.session() as http:
        [sent] = await load.closed_loop(http, url, dms("T", 1, SECRET), 1, retries=True)
    assert app.received == [("EvT000000", None), ("EvT000000", "1")]
    assert (sent.retried, sent.status, sent.retry_status, sent.acked) == (True, 200, 200, True)


async def test_without_retries_each_dm_is_sent_once_on_its_own_schedule(
    aiohttp_server: MakeServer,
) -> None:
    app = SlowApp(hold=False)
    url = await _url(aiohttp_server, app)
    async with load.session() as http:
        sent = await load.open_loop(http, url, dms("S", 5, SECRET), 50.0, retries=False)
    assert sorted(event for event, _ in app.received) == [f"EvS00000{n}" for n in range(5)]
    assert all(retry is None for _, retry in app.received)
    assert [dm.channel for dm in sent] == [f"DUS00000{n}" for n in range(5)]
    gaps = [later.due - earlier.due for earlier, later in pairwise(sent)]
    assert gaps == pytest.approx([1 / 50.0] * 4)
    assert not any(dm.retried for dm in sent)
