"""Retention's storage: closed cases to look at, warnings, extensions, the purge."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.retention.models import Destroyed, RetentionState


class RetentionRepository(Protocol):
    async def candidates(self, changed_before: datetime) -> list[int]:
        """Closed cases, not purged, last changed before ``changed_before``; by id."""
        ...

    async def is_purged(self, case_id: int) -> bool: ...

    async def state(self, case_id: int) -> RetentionState: ...

    async def warned(self, case_id: int, due_at: datetime) -> None: ...

    async def extend(self, case_id: int, reason: str, by: str, now: datetime) -> None: ...

    async def purge(self, case_id: int, now: datetime) -> None:
        """The case becomes its tombstone, in the caller's transaction."""
        ...

    async def record_destroyed(self, entry: Destroyed) -> None: ...

    async def destroyed_between(self, start: datetime, end: datetime) -> list[Destroyed]: ...

    async def forget_audit(self, before: datetime) -> int:
        """Deletes audit entries older than ``before``: the log's own retention."""
        ...
