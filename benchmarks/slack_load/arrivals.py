"""The replies, as the fake Slack received them, fetched while they come."""

from __future__ import annotations

import asyncio
import time
from collections import defaultdict
from collections.abc import Collection

import aiohttp

from benchmarks.slack_load.processes import TOKEN

POLL_SECONDS = 0.5

Replies = dict[str, list[tuple[float, str]]]  # channel: (when, digest) per message


class Arrivals:
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
