"""Reaching people: the platforms (``Messenger``), where they can be reached later, and
the state of a conversation between two messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.events import Address, Event, MessageRef, Platform
from bot.ui import Message, Response


class DeliveryError(Exception):
    """The platform did not take a message. ``retry_after`` in seconds when it said so."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Messenger(Protocol):
    """What the core asks of a messaging platform. Implemented by each adapter."""

    platform: Platform

    async def send(self, address: Address, message: Message) -> MessageRef: ...

    async def update(self, ref: MessageRef, message: Message) -> None: ...

    async def delete(self, ref: MessageRef) -> None:
        """Removes a message meldbot posted (a case past its retention). A message that
        is already gone counts as deleted; ``DeliveryError`` when the platform refuses,
        ``permanent`` when asking again cannot help (then ``update`` may still blank it)."""
        ...

    async def personal_address(self, user_id: str) -> Address: ...

    async def reach(self, user_id: str) -> dict[str, Any]:
        """What this platform needs to write to this person later, for the core to keep
        sealed with one consultation or report (and delete with it); ``DeliveryError`` if
        the person cannot be reached."""
        ...

    async def address_of(self, reach: dict[str, Any]) -> Address:
        """The personal chat that ``reach`` (from ``reach()``) leads to."""
        ...

    async def keep_address(self, user_id: str) -> None:
        """The core will write to this person later (feedback on a named report).

        Platforms that can always open a chat with anyone do nothing; Teams keeps the
        conversation reference it saw in this turn, which it otherwise holds in memory only.
        """
        ...

    async def is_coordinator(self, user_id: str) -> bool: ...

    def coordinator_channel(self) -> Address: ...

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        """Posts a file (a chart) to a channel or thread, with ``alt_text`` for screen readers."""
        ...


Handler = Callable[[Event], Awaitable[Response]]
"""The core's entry point for adapters: one neutral event in, what to do in its context out."""


FirstDelivery = Callable[[str], Awaitable[bool]]
"""True the first time a platform delivery key is seen (Slack retries carry the same event_id)."""


class AddressBook(Protocol):
    """Where a platform can reach people, channels and teams later, by the platform's key.

    Teams lets a bot message a person or channel only with a conversation reference
    taken from an earlier activity; the adapter keeps them here (sealed, day-stamped).
    """

    async def remember(self, platform: Platform, key: str, reference: dict[str, Any]) -> None: ...

    async def recall(self, platform: Platform, key: str) -> dict[str, Any] | None: ...


class DialogStates(Protocol):
    """Short-lived conversation state (a draft report, a pending question)."""

    async def get(self, key: str, now: datetime) -> dict[str, Any] | None: ...

    async def get_many(
        self, keys: Sequence[str], now: datetime
    ) -> dict[str, dict[str, Any] | None]: ...

    async def put(self, key: str, state: dict[str, Any], expires: datetime) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def purge_expired(self, now: datetime) -> int: ...
