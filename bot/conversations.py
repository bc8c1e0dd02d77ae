"""Conversation state per person: a draft report, a pending question, a language."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.events import Platform
from bot.ports import Storage

DRAFT_TTL = timedelta(hours=24)
ANSWER_TTL = timedelta(days=14)
LANGUAGE = "language"
LANGUAGE_TTL = timedelta(days=365)


@dataclass(slots=True)
class _ReadAhead:
    """One person's states as read at the start of an event, kept up to date by what the
    event itself writes. ``live`` ends with the event: work it started and left running
    (a form past its deadline) reads the database again."""

    states: dict[str, dict[str, Any] | None]
    live: bool = True

    def holds(self, key: str) -> bool:
        return self.live and key in self.states


_READ_AHEAD: ContextVar[_ReadAhead | None] = ContextVar("conversation_read_ahead", default=None)


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

    @asynccontextmanager
    async def read_ahead(self, actor: Someone, kinds: Sequence[str]) -> AsyncIterator[None]:
        """Within the block, ``actor``'s states of these ``kinds`` come from one read at its
        start instead of a transaction each: a message reads its language, a pending
        question and a draft. Only this person's own states, which only their own events
        (handled in order) change through here."""
        keys = [self.key(kind, actor) for kind in kinds]
        ahead = _ReadAhead(await self.storage.dialog_states(keys, self.clock()))
        token = _READ_AHEAD.set(ahead)
        try:
            yield
        finally:
            ahead.live = False
            _READ_AHEAD.reset(token)

    def settled(self, kind: str, actor: Someone) -> None:
        """The state was deleted in another transaction (an answer closes its question)."""
        self._note(self.key(kind, actor), None)

    def _note(self, key: str, state: dict[str, Any] | None) -> None:
        ahead = _READ_AHEAD.get()
        if ahead is not None and ahead.holds(key):
            ahead.states[key] = copy.deepcopy(state)

    async def get(self, kind: str, actor: Someone) -> dict[str, Any] | None:
        key = self.key(kind, actor)
        ahead = _READ_AHEAD.get()
        if ahead is not None and ahead.holds(key):
            # A copy: a caller that changes what it got must not change what was read.
            return copy.deepcopy(ahead.states[key])
        return (await self.storage.dialog_states([key], self.clock()))[key]

    async def put(self, kind: str, actor: Someone, state: dict[str, Any], ttl: timedelta) -> None:
        """Kept until the whole hour after ``ttl``: an exact expiry would tell the moment
        it was written, to be lined up with an anonymous consultation written just after."""
        key = self.key(kind, actor)
        await self.storage.keep_dialog_state(key, state, _whole_hour(self.clock() + ttl))
        self._note(key, state)

    async def delete(self, kind: str, actor: Someone) -> None:
        # Durable: a draft that came back after a power cut could be sent a second time.
        async with self.storage.transaction() as tx:
            await tx.dialogs.delete(self.key(kind, actor))
        self._note(self.key(kind, actor), None)

    async def choose_language(self, actor: Someone, language: str) -> None:
        """Kept by platform id (it is a person's own setting) but only to the day: an exact
        time could be lined up with an anonymous consultation written just after."""
        today = self.clock().replace(hour=0, minute=0, second=0, microsecond=0)
        async with self.storage.transaction() as tx:
            await tx.dialogs.put(
                self.key(LANGUAGE, actor), {"language": language}, today + LANGUAGE_TTL
            )
        self._note(self.key(LANGUAGE, actor), {"language": language})

    async def language(self, actor: Someone, default: str) -> str:
        state = await self.get(LANGUAGE, actor)
        return str(state["language"]) if state else default
