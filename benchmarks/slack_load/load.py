"""Sending the DMs: open loop (on a fixed schedule, whatever the answers) and closed loop
(a burst with a limit on requests in flight); and collecting the replies from the fake."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

import aiohttp

from benchmarks.slack_load.events import Delivery
from benchmarks.slack_load.processes import TOKEN

REQUEST_SECONDS = 30.0  # a request still unanswered by then counts as failed
POLL_SECONDS = 0.5


@dataclass(frozen=True)
class Sent:
    """One DM: when it was due (open loop) or sent (closed loop), when the app answered
    and with which HTTP status (None: no answer)."""

    channel: str
    due: float
    answered: float
    status: int | None

    @property
    def acked(self) -> bool:
        return self.status == 200


def session() -> aiohttp.ClientSession:
    # Slack opens as many connections as it needs; a limit here would queue in the sender.
    connector = aiohttp.TCPConnector(limit=2000)
    return aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_SECONDS)
    )


async def _post(http: aiohttp.ClientSession, url: str, dm: Delivery, due: float) -> Sent:
    status: int | None = None
    try:
        async with http.post(url, data=dm.body, headers=dm.headers) as answer:
            await answer.read()
            status = answer.status
    except (aiohttp.ClientError, TimeoutError):
        pass
    return Sent(dm.channel, due, time.monotonic(), status)


async def open_loop(
    http: aiohttp.ClientSession, url: str, dms: list[Delivery], rate: float
) -> list[Sent]:
    """Each DM at its moment (start + n / rate): latency counts from that moment, so a
    server that stalls cannot hide the queue it causes (coordinated omission)."""
    start = time.monotonic() + 0.05
    sending = []
    for number, dm in enumerate(dms):
        due = start + number / rate
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        sending.append(asyncio.create_task(_post(http, url, dm, due)))
    return list(await asyncio.gather(*sending))


async def closed_loop(
    http: aiohttp.ClientSession, url: str, dms: list[Delivery], in_flight: int
) -> list[Sent]:
    """All DMs at once, at most ``in_flight`` unanswered at a time."""
    slots = asyncio.Semaphore(in_flight)

    async def one(dm: Delivery) -> Sent:
        async with slots:
            return await _post(http, url, dm, time.monotonic())

    return list(await asyncio.gather(*(one(dm) for dm in dms)))


Replies = dict[str, list[tuple[float, str]]]  # channel: (when, digest) per message


class Arrivals:
    """What the fake Slack received, fetched as it comes."""

    def __init__(self, http: aiohttp.ClientSession, api_url: str) -> None:
        self.http = http
        self.url = f"{api_url}bench.arrivals"
        self.replies: Replies = defaultdict(list)
        self._seen = 0

    async def fetch(self) -> None:
        params = {"since": str(self._seen)}
        headers = {"Authorization": f"Bearer {TOKEN}"}
        async with self.http.post(self.url, data=params, headers=headers) as answer:
            body = await answer.json()
        for channel, when, digest in body["arrivals"]:
            self.replies[channel].append((float(when), str(digest)))
        self._seen += len(body["arrivals"])

    async def wait(self, channels: Collection[str], grace: float, settle: float) -> None:
        """Until every channel has a reply, or ``grace`` seconds passed; then ``settle``
        seconds more, for replies that come twice."""
        deadline = time.monotonic() + grace
        while True:
            await self.fetch()
            waiting = any(not self.replies.get(channel) for channel in channels)
            if not waiting or time.monotonic() > deadline:
                break
            await asyncio.sleep(POLL_SECONDS)
        await asyncio.sleep(settle)
        await self.fetch()
