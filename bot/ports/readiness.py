"""What readiness and the metrics ask of the database and of each platform."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.observability.metrics import Snapshot


class Observed(Protocol):
    async def ping(self) -> None:
        """One real round trip to the database; raises when it does not answer."""
        ...

    async def snapshot(self, now: datetime) -> Snapshot:
        """Outbox backlog, cases per status and due timers, counted in one query."""
        ...


@runtime_checkable
class CredentialCheck(Protocol):
    """A messenger whose platform can say whether meldbot's credentials still work."""

    async def check_credentials(self) -> None:
        """Raises when the platform refuses meldbot or cannot be reached."""
        ...
