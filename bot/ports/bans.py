"""What happened to bans after they were advised: extended, ending, ended, police told."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.measures.bans import BanRecord


class BanRepository(Protocol):
    async def add(self, measure_id: int, record: BanRecord) -> None:
        """Keeps ``record`` in the ban's history."""
        ...

    async def of_measures(self, measure_ids: list[int]) -> dict[int, list[BanRecord]]:
        """Each ban's records, oldest first (a ban without any is absent)."""
        ...

    async def set_end(self, measure_id: int, ends_on: date, now: datetime) -> None:
        """The measure's new end date (an extension; the old one stays in its records)."""
        ...
