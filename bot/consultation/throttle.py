"""Guessing receipt codes is throttled twice.

Per receipt, in the database, so every instance sees it: after a few wrong codes the
receipt is locked for a while, doubling each time. Per person, in process memory only
(it is keyed by platform id, which must never be stored near a receipt): someone who
tries many codes, for whatever receipt, is held off for an hour.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta

from bot.recent import Recent

FAILURES_BEFORE_LOCK = 5
FIRST_LOCK = timedelta(minutes=15)
LONGEST_LOCK = timedelta(hours=24)
PERSON_LIMIT = 10
PERSON_WINDOW = timedelta(hours=1)
PEOPLE_KEPT = 5000


def locked_until(failures: int, now: datetime) -> datetime | None:
    """When a receipt with this many failed attempts opens again (None: it is not locked)."""
    if failures < FAILURES_BEFORE_LOCK:
        return None
    lock: timedelta = min(FIRST_LOCK * 2 ** (failures - FAILURES_BEFORE_LOCK), LONGEST_LOCK)
    return now + lock


class Guesses:
    """Wrong codes per person within the last hour, in memory."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self._clock = clock
        self._failures: Recent[deque[datetime]] = Recent(PEOPLE_KEPT)

    def _recent(self, who: str) -> deque[datetime]:
        failures = self._failures.get(who) or deque()
        horizon = self._clock() - PERSON_WINDOW
        while failures and failures[0] <= horizon:
            failures.popleft()
        return failures

    def blocked_until(self, who: str) -> datetime | None:
        failures = self._recent(who)
        return failures[0] + PERSON_WINDOW if len(failures) >= PERSON_LIMIT else None

    def failed(self, who: str) -> int:
        failures = self._recent(who)
        failures.append(self._clock())
        self._failures.remember(who, failures)
        return len(failures)

    def succeeded(self, who: str) -> None:
        self._failures.forget(who)
