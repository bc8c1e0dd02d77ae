"""Named asyncio tasks that run until they are stopped (outbox, scheduler, housekeeping)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine
from typing import Any

from bot.observability.logs import log_failure

log = logging.getLogger(__name__)


class BackgroundTask:
    def __init__(self, name: str, work: Callable[[], Coroutine[Any, Any, None]]) -> None:
        self._name = name
        self._work = work
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._task = asyncio.create_task(self._work(), name=self._name)

    @property
    def stopping(self) -> bool:
        """Set by ``stop``: a loop that checks it between steps ends without being cut off."""
        return self._stopping

    async def stop(self, grace: float = 0.0) -> None:
        """Cancels the task, after ``grace`` seconds for a loop that checks ``stopping``."""
        self._stopping = True
        if self._task:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), grace)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


class Loop(BackgroundTask, ABC):
    """Works in steps; each step says how long to rest, and ``wake`` cuts the rest short.

    ``stop`` lets a step under way finish (for ``grace`` seconds): cut off halfway, a
    claimed message or timer would wait for its lease to run out.
    """

    def __init__(self, name: str, retry_pause: float, grace: float = 5.0) -> None:
        super().__init__(name, self._loop)
        self._retry_pause = retry_pause
        self._grace = grace
        self._wake = asyncio.Event()

    @abstractmethod
    async def step(self) -> float:
        """One round of work; returns the seconds to rest before the next."""

    def wake(self) -> None:
        self._wake.set()

    async def stop(self, grace: float | None = None) -> None:
        self.wake()
        await super().stop(self._grace if grace is None else grace)

    async def _loop(self) -> None:
        while not self.stopping:
            try:
                pause = await self.step()
            except Exception:
                log_failure(log, "%s failed; trying again shortly", self._name)
                pause = self._retry_pause
            if self.stopping:
                break
            if pause > 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), pause)
            self._wake.clear()
