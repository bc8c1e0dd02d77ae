"""Conversation state per person: a draft report, a pending question, a language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.events import Platform
from bot.ports import Storage

DRAFT_TTL = timedelta(hours=24)
ANSWER_TTL = timedelta(days=14)
LANGUAGE_TTL = timedelta(days=365)


class Someone(Protocol):
    """An actor or a case's reporter: anyone with a platform user id."""

    @property
    def platform(self) -> Platform: ...

    @property
    def user_id(self) -> str: ...


def _whole_hour(moment: datetime) -> datetime:
    """``moment`` rounded up to the hour."""
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + timedelta(hours=1)


@dataclass(slots=True)
class ConversationStates:
    storage: Storage
    clock: Callable[[], datetime]

    @staticmethod
    def key(kind: str, actor: Someone) -> str:
        return f"{kind}:{actor.platform}:{actor.user_id}"

    # Conversation state is not durable (see ``Storage.transaction``): a draft lost in a
    # power cut is asked for again; a report made from it is committed durably.

    async def get(self, kind: str, actor: Someone) -> dict[str, Any] | None:
        async with self.storage.transaction(read_only=True) as tx:
            return await tx.dialogs.get(self.key(kind, actor), self.clock())

    async def put(self, kind: str, actor: Someone, state: dict[str, Any], ttl: timedelta) -> None:
        """Kept until the whole hour after ``ttl``: an exact expiry would tell the moment
        it was written, to be lined up with an anonymous consultation written just after."""
        async with self.storage.transaction(durable=False) as tx:
            await tx.dialogs.put(self.key(kind, actor), state, _whole_hour(self.clock() + ttl))

    async def delete(self, kind: str, actor: Someone) -> None:
        # Durable: a draft that came back after a power cut could be sent a second time.
        async with self.storage.transaction() as tx:
            await tx.dialogs.delete(self.key(kind, actor))

    async def choose_language(self, actor: Someone, language: str) -> None:
        """Kept by platform id (it is a person's own setting) but only to the day: an exact
        time could be lined up with an anonymous consultation written just after."""
        today = self.clock().replace(hour=0, minute=0, second=0, microsecond=0)
        async with self.storage.transaction() as tx:
            await tx.dialogs.put(
                self.key("language", actor), {"language": language}, today + LANGUAGE_TTL
            )

    async def language(self, actor: Someone, default: str) -> str:
        state = await self.get("language", actor)
        return str(state["language"]) if state else default
