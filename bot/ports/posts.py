"""Where meldbot's messages about a case are, so that retention can take them down."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from bot.events import MessageRef


class PostRepository(Protocol):
    async def record(self, case_id: int, refs: Sequence[MessageRef], day: date) -> int:
        """Keeps where these messages about the case are (sealed, with the day only);
        one already recorded, or the case's alert, is not kept twice. Returns how many
        were new; none when the case is gone."""
        ...

    async def of_case(self, case_id: int) -> list[MessageRef]:
        """The case's recorded messages, first posted first (not its alert)."""
        ...

    async def retract_case(self, case_id: int) -> int:
        """Queues one outbox row per message the case left on a platform (its alert and
        every recorded post), not tied to the case, so that they outlive its purge; then
        forgets the records and the alert's place. Returns how many were queued."""
        ...
