"""Housekeeping: forget what is no longer needed, so nothing is kept longer than its purpose."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.background import BackgroundTask
from bot.ports import Storage

log = logging.getLogger(__name__)

# Slack retries within minutes; a day of delivery keys is ample to recognise a retry.
DELIVERY_MEMORY = timedelta(days=1)
INTERVAL_SECONDS = 3600.0


async def sweep(storage: Storage, now: datetime) -> tuple[int, int]:
    """Drop old delivery keys and expired dialog state; returns how many of each."""
    deliveries = await storage.forget_deliveries(now - DELIVERY_MEMORY)
    async with storage.transaction() as tx:
        states = await tx.dialogs.purge_expired(now)
    return deliveries, states


class Housekeeper(BackgroundTask):
    def __init__(self, storage: Storage, clock: Callable[[], datetime]) -> None:
        super().__init__("meldbot-housekeeping", self._run)
        self._storage = storage
        self._clock = clock

    async def _run(self) -> None:
        while True:
            try:
                deliveries, states = await sweep(self._storage, self._clock())
                log.info(
                    "housekeeping: forgot %s delivery keys, %s dialog states", deliveries, states
                )
            except Exception:
                log.exception("housekeeping failed; trying again later")
            await asyncio.sleep(INTERVAL_SECONDS)
