"""Sending the DMs as Slack does: open loop (on a fixed schedule, whatever the answers) or
closed loop (a burst with a limit on requests in flight). Like Slack, a delivery not
acked within 3 s is sent once more, marked as a retry, while the first request is still
awaited for its ack time."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import aiohttp

from benchmarks.slack_load.events import Delivery

REQUEST_SECONDS = 30.0  # a request still unanswered by then counts as not acked
SLACK_RETRIES_AFTER = 3.0


@dataclass(frozen=True)
class Sent:
    """One DM: when it was due (open loop) or sent (closed loop), when the app answered
    the first delivery and with which HTTP status (None: no answer); the status of the
    retry, if Slack would have sent one."""

    channel: str
    due: float
    answered: float
    status: int | None
    retry_status: int | None = None
    retried: bool = False

    @property
    def acked(self) -> bool:
        return self.status == 200 or self.retry_status == 200


def session() -> aiohttp.ClientSession:
    # Slack opens as many connections as it needs; a limit here would queue in the sender.
    connector = aiohttp.TCPConnector(limit=4000)
    return aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_SECONDS)
    )


async def _post(
    http: aiohttp.ClientSession, url: str, body: bytes, headers: dict[str, str]
) -> tuple[int | None, float]:
    status: int | None = None
    try:
        async with http.post(url, data=body, headers=headers) as answer:
            await answer.read()
            status = answer.status
    except (aiohttp.ClientError, TimeoutError):
        pass
    return status, time.monotonic()


async def _deliver(
    http: aiohttp.ClientSession, url: str, dm: Delivery, due: float, retries: bool
) -> Sent:
    first = asyncio.create_task(_post(http, url, dm.body, dm.headers))
    done, _ = await asyncio.wait({first}, timeout=SLACK_RETRIES_AFTER)
    if not retries or (done and first.result()[0] == 200):
        status, answered = await first
        return Sent(dm.channel, due, answered, status)
    retry_status, _ = await _post(http, url, dm.body, dm.retry_headers)
    status, answered = await first
    return Sent(dm.channel, due, answered, status, retry_status, retried=True)


async def open_loop(
    http: aiohttp.ClientSession, url: str, dms: list[Delivery], rate: float, retries: bool
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
        sending.append(asyncio.create_task(_deliver(http, url, dm, due, retries)))
    return list(await asyncio.gather(*sending))


async def closed_loop(
    http: aiohttp.ClientSession, url: str, dms: list[Delivery], in_flight: int, retries: bool
) -> list[Sent]:
    """All DMs at once, at most ``in_flight`` unanswered at a time."""
    slots = asyncio.Semaphore(in_flight)

    async def one(dm: Delivery) -> Sent:
        async with slots:
            return await _deliver(http, url, dm, time.monotonic(), retries)

    return list(await asyncio.gather(*(one(dm) for dm in dms)))
