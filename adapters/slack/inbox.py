"""Slack events after their ack: in order per conversation, a bounded number at a time.

Slack wants every event acked within 3 s and retries (with the same ``event_id``) what was
not; under a burst (2,000 people added to a channel) the work behind the events must not
hold up the acks. So the ack comes first and the event waits here. Per conversation (a DM
channel, or the person for Home and joins) events are handled one after the other, in the
order they came; ``workers`` conversations at a time overall. Above ``capacity`` waiting
events a new one is refused, unacked, so that Slack delivers it again later: nothing is
lost and nothing is answered twice (a redelivery is recognised by its ``event_id``).

A stop handles every accepted event first. A crash loses the ones still waiting (a DM then
goes unanswered, and the person writes again); reports are no events: a form submission
is answered only once the core has it (``submissions``).
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.observability.logs import log_failure
from bot.ports import FirstDelivery
from bot.recent import Recent

log = logging.getLogger(__name__)

# Conversations handled at once. Their database calls meet in shared transactions
# (``storage.together``), so more at once costs fewer commits: 32 answered a burst about
# 1.5× faster than 8 did; 64 little more.
WORKERS = 32
CAPACITY = 20_000  # a whole burst of joins in a big channel, with room to spare
RECENT_IDS = 20_000

Body = dict[str, Any]
Work = Callable[[Body, str | None], Awaitable[None]]


@dataclass(slots=True)
class Counts:
    """What the inbox did, for logs and metrics (counts only, no identifiers)."""

    accepted: int = 0
    repeated: int = 0
    shed: int = 0
    handled: int = 0
    failed: int = 0


def conversation_of(body: Body) -> str:
    """Whose events stay in order: the DM channel, else the person, else the event itself."""
    event = body.get("event") or {}
    channel = event.get("channel") if event.get("type") == "message" else None
    user = event.get("user")
    if isinstance(user, dict):  # team_join carries the whole user
        user = user.get("id")
    return str(channel or user or body.get("event_id") or "")


class Inbox:
    def __init__(
        self,
        work: Work,
        first_delivery: FirstDelivery,
        *,
        workers: int = WORKERS,
        capacity: int = CAPACITY,
    ) -> None:
        self._work = work
        self._first_delivery = first_delivery
        self._workers = workers
        self._capacity = capacity
        # Each event keeps the context of the request that brought it (its request id).
        self._waiting: dict[str, deque[tuple[Body, str | None, contextvars.Context]]] = {}
        self._ready: asyncio.Queue[str] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self._pending = 0  # events accepted and not yet handled
        self._idle = asyncio.Event()
        self._idle.set()
        self._closed = False
        # Event ids seen lately: a redelivery is acked without a database round trip.
        self._recent: Recent[bool] = Recent(RECENT_IDS)
        self.counts = Counts()

    @property
    def pending(self) -> int:
        return self._pending

    def open(self) -> None:
        """Accepts events again after a ``stop``."""
        self._closed = False

    def accept(self, body: Body, bot_user_id: str | None) -> bool:
        """Queues one event; False when it must be refused (full, or shutting down)."""
        event_id = str(body.get("event_id") or "")
        if event_id and self._recent.get(event_id):
            self.counts.repeated += 1
            log.info("slack: repeated delivery ignored")
            return True
        if self._closed or self._pending >= self._capacity:
            self.counts.shed += 1
            log.warning("slack: event refused for a later redelivery (%d waiting)", self._pending)
            return False
        self._recent.remember(event_id, True)
        self._start()
        key = conversation_of(body)
        queue = self._waiting.get(key)
        if queue is None:
            queue = self._waiting[key] = deque()
            self._ready.put_nowait(key)
        queue.append((body, bot_user_id, contextvars.copy_context()))
        self._pending += 1
        self._idle.clear()
        self.counts.accepted += 1
        return True

    def _start(self) -> None:
        if not self._tasks:
            self._tasks = [asyncio.create_task(self._worker()) for _ in range(self._workers)]

    async def _worker(self) -> None:
        while True:
            key = await self._ready.get()
            queue = self._waiting[key]
            body, bot_user_id, context = queue.popleft()
            try:
                await asyncio.create_task(self._one(body, bot_user_id), context=context)
            finally:
                self._pending -= 1
                if queue:
                    self._ready.put_nowait(key)  # its next event, after other conversations'
                else:
                    del self._waiting[key]
                if not self._pending:
                    self._idle.set()

    async def _one(self, body: Body, bot_user_id: str | None) -> None:
        event_id = body.get("event_id")
        try:
            # The durable check: a redelivery after a restart, or to another instance.
            if event_id and not await self._first(str(event_id)):
                self.counts.repeated += 1
                log.info("slack: repeated delivery ignored")
                return
            await self._work(body, bot_user_id)
            self.counts.handled += 1
        except Exception:
            self.counts.failed += 1
            log_failure(log, "slack: event failed after its ack")

    async def _first(self, event_id: str) -> bool:
        """With the database down the event is handled all the same: the core then fails
        too, and the person hears to try again (an acked event is not delivered again)."""
        try:
            return await self._first_delivery(f"slack:{event_id}")
        except Exception:
            log_failure(log, "slack: delivery key not kept")
            return True

    async def settle(self) -> None:
        """Until every accepted event has been handled."""
        await self._idle.wait()

    async def stop(self) -> None:
        """Refuses new events (Slack delivers them again later), handles what was
        accepted, then ends the workers."""
        self._closed = True
        await self.settle()
        tasks, self._tasks = self._tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        log.info("slack: inbox drained (%s)", self.counts)
