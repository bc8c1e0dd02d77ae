"""The fake Slack Web API in a process of its own, so that answering the apps' calls does
not take turns with the load generator. It notes when each ``chat.postMessage`` arrived
(``time.monotonic``: one clock for every process on the machine) and hands the list out
through a method of its own, ``bench.arrivals``.

    python -m benchmarks.slack_load.fake URL_FILE    # writes its base URL there, then serves
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import signal
import sys
import time
from pathlib import Path
from typing import Any

from tests.fakes.slack_api import FakeSlack

Arrival = tuple[str, float, str]  # channel, when, digest of what was posted


class TimedSlack(FakeSlack):
    def __post_init__(self) -> None:
        super().__post_init__()
        self.arrivals: list[Arrival] = []

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._chat_postMessage(params)
        posted = self.messages[-1]
        content = json.dumps([posted.text, posted.blocks, posted.thread_ts], sort_keys=True)
        digest = hashlib.sha256(content.encode()).hexdigest()[:16]
        self.arrivals.append((posted.channel, time.monotonic(), digest))
        return answer

    def _bench_arrivals(self, params: dict[str, Any]) -> dict[str, Any]:
        """The arrivals from number ``since`` on."""
        return {"arrivals": self.arrivals[int(params.get("since") or 0) :]}


async def serve(url_file: Path) -> None:
    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    async with TimedSlack() as fake:
        await asyncio.to_thread(url_file.write_text, fake.url)
        await stopped.wait()


if __name__ == "__main__":
    asyncio.run(serve(Path(sys.argv[1])))
