"""Live push to open browsers with Server-Sent Events.

Why SSE and not a WebSocket: the page only needs server → browser updates; everything
the browser does goes through ordinary POSTs, which keep one place for the Origin and
body-size checks and give each action a plain status code and error message. SSE runs
over a normal aiohttp ``StreamResponse``, and ``EventSource`` reconnects by itself (on
reconnect the stream starts with a full snapshot, so nothing is missed).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass

QUEUE_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Push:
    event: str
    data: object

    def encode(self) -> bytes:
        body = json.dumps(self.data, ensure_ascii=False, separators=(",", ":"))
        return f"event: {self.event}\ndata: {body}\n\n".encode()


CLOSE = Push("close", None)


class Hub:
    """Fans each change out to every open stream; a stream that lags is dropped."""

    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[Push]] = set()

    def subscribe(self) -> asyncio.Queue[Push]:
        queue: asyncio.Queue[Push] = asyncio.Queue(QUEUE_LIMIT)
        self._queues.add(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[Push]) -> None:
        self._queues.discard(queue)

    def publish(self, push: Push) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(push)
            except asyncio.QueueFull:
                # The browser will reconnect and start again from a snapshot.
                self._queues.discard(queue)
                queue.get_nowait()
                queue.put_nowait(CLOSE)

    def close(self) -> None:
        for queue in list(self._queues):
            try:
                queue.put_nowait(CLOSE)
            except asyncio.QueueFull:
                queue.get_nowait()
                queue.put_nowait(CLOSE)
        self._queues.clear()

    @property
    def listeners(self) -> int:
        return len(self._queues)
