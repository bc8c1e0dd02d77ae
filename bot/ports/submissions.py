"""The ledger of form submissions already processed, and what each one produced."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.submission.models import Produced, Submitted


class SubmissionLedger(Protocol):
    async def claim(self, key: str, kind: Produced, now: datetime) -> Submitted | None:
        """Holds ``key`` for this transaction: None the first time. A key another
        transaction holds is waited for; once that one committed, what it produced is
        returned (and this transaction must store nothing)."""
        ...

    async def produced(self, key: str, target: int) -> None:
        """What the claimed submission made or changed: the case or consultation."""
        ...

    async def find(self, key: str) -> Submitted | None: ...

    async def forget(self, before: datetime, anonymous_before: datetime) -> int:
        """Forgets submissions older than ``before`` (of anonymous ones: ``anonymous_before``)."""
        ...
