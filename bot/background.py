"""One named asyncio task that runs until it is stopped (outbox, housekeeping)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Coroutine
from typing import Any


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
