"""The registry export's query (bot/registry)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.registry.models import RegistryFacts


class RegistryQueries(Protocol):
    async def facts_between(self, start: datetime, end: datetime) -> list[RegistryFacts]:
        """Every case reported in [start, end), tombstones too, oldest first."""
        ...
