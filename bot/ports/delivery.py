"""What is still to be sent (the outbox) and to be done later (timers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.schedule.models import Timer


@dataclass(frozen=True, slots=True)
class Notification:
    """A message the outbox must deliver: what, about which case or consultation."""

    id: int
    kind: str
    case_id: int | None
    event_id: int | None
    attempts: int
    consultation_id: int | None = None
    entry_id: int | None = None
    timer_id: int | None = None
    # An earlier try began but never ended (its instance died halfway): the platform may
    # already have the message.
    in_doubt: bool = False
    payload: dict[str, Any] | None = None
    attachment_id: int | None = None


class Outbox(Protocol):
    async def enqueue(
        self,
        kind: str,
        *,
        case_id: int | None = None,
        event_id: int | None = None,
        consultation_id: int | None = None,
        entry_id: int | None = None,
        timer_id: int | None = None,
        payload: dict[str, Any] | None = None,
        attachment_id: int | None = None,
    ) -> None:
        """``payload`` is sealed, and wiped once the message is delivered or given up."""
        ...

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Notification]:
        """Take due notifications, oldest first and one at a time per case, until
        ``lease_until``; an instance that dies leaves them due again after the lease."""
        ...

    async def delivered(self, notification_id: int, now: datetime) -> None: ...

    async def failed(self, notification_id: int, error: str, retry_at: datetime | None) -> None: ...


class TimerRepository(Protocol):
    async def set(
        self,
        kind: str,
        key: str,
        due_at: datetime,
        *,
        job: str | None = None,
        case_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Timer | None:
        """A new timer, or None when one with this key exists (done or not): once only."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        """Due timers, locked until the transaction ends; other instances skip them."""
        ...

    async def done(self, timer_id: int, now: datetime, outcome: str) -> None:
        """Marks the timer done with what became of it (``sent``, ``skipped: …``)."""
        ...

    async def get(self, timer_id: int) -> Timer | None: ...

    async def clear_payload(self, timer_id: int) -> None: ...

    async def cancel(self, key_prefix: str, now: datetime) -> int:
        """Ends the pending timers whose key starts with ``key_prefix`` (a case closed)."""
        ...

    async def latest(self, job: str) -> Timer | None:
        """The most recent occurrence of a recurring job, done or pending."""
        ...

    async def latest_of(self, jobs: list[str]) -> dict[str, Timer]:
        """``latest`` for many jobs in one query (the scheduler plans them all each tick)."""
        ...

    async def count(self, job: str, outcome: str, *, due_until: datetime | None = None) -> int:
        """How many occurrences of ``job`` ended with ``outcome``; with ``due_until``, only
        those due at or before that moment (the n-th one, whatever fired after it)."""
        ...

    async def next_due(self) -> datetime | None:
        """When the earliest pending timer is due: the scheduler sleeps until then."""
        ...
