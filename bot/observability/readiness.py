"""/readyz: can meldbot do its work now? The database answers, and each configured
platform still accepts meldbot's credentials.

The database is asked on every request (a round trip is cheap, and readiness must come
back as soon as it does); a platform's answer is kept for a while, so that a scraper
polling /readyz cannot make meldbot hammer Slack or the Teams token authority.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]
"""Returns when the part is ready; raises (anything) when it is not."""

DATABASE_TIMEOUT = 2.0
PLATFORM_TIMEOUT = 5.0
PLATFORM_TTL = 30.0  # seconds a platform's answer is kept, ready or not


@dataclass(slots=True)
class _Kept:
    ready: bool
    until: float


class Readiness:
    def __init__(
        self,
        database: Check,
        platforms: Mapping[str, Check],
        *,
        ttl: float = PLATFORM_TTL,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._database = database
        self._platforms = platforms
        self._ttl = ttl
        self._monotonic = monotonic
        self._kept: dict[str, _Kept] = {}
        self._locks = {name: asyncio.Lock() for name in platforms}

    async def report(self) -> tuple[bool, dict[str, str]]:
        """Whether meldbot is ready, and each check by name: ``ok`` or ``failing``."""
        names = ["database", *sorted(self._platforms)]
        results = await asyncio.gather(
            _run("database", self._database, DATABASE_TIMEOUT),
            *(self._platform(name) for name in names[1:]),
        )
        said = zip(names, results, strict=True)
        checks = {name: "ok" if ready else "failing" for name, ready in said}
        return all(results), checks

    async def _platform(self, name: str) -> bool:
        async with self._locks[name]:  # one call at a time; the others wait for its answer
            kept = self._kept.get(name)
            if kept is not None and self._monotonic() < kept.until:
                return kept.ready
            ready = await _run(name, self._platforms[name], PLATFORM_TIMEOUT)
            self._kept[name] = _Kept(ready, self._monotonic() + self._ttl)
            return ready


async def _run(name: str, check: Check, seconds: float) -> bool:
    try:
        async with asyncio.timeout(seconds):
            await check()
    except Exception as error:  # any failure means: not ready
        # The kind of error only: a platform's message could echo a token or an id.
        log.warning("readiness: %s is failing (%s)", name, type(error).__name__)
        return False
    return True
