"""Which messages a delivery posted: the outbox records them with the case they are about.

The dispatcher opens ``recording()`` around each delivery; every messenger it hands out
(to its own senders and to the features') is ``watched``, so whatever is sent, updated or
uploaded lands in that delivery's list, without each sender having to remember it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from bot.case.handling import RECEIPT_NOTICE
from bot.consultation.service import CODE
from bot.events import Address, MessageRef, Platform
from bot.ports import Messenger, Notification, Transaction
from bot.ui import Message

# "There is news" and a receipt code, to an anonymous person: keeping where they went
# would tie the case to that person's chat.
UNRECORDED = frozenset({RECEIPT_NOTICE, CODE})

_posted: ContextVar[list[MessageRef] | None] = ContextVar("meldbot_posted", default=None)


@contextmanager
def recording() -> Iterator[list[MessageRef]]:
    """The messages posted in this block (in this task), in the order posted."""
    posted: list[MessageRef] = []
    token = _posted.set(posted)
    try:
        yield posted
    finally:
        _posted.reset(token)


def _note(ref: MessageRef) -> None:
    posted = _posted.get()
    if posted is not None and ref.message_id and ref not in posted:
        posted.append(ref)


async def remember(
    tx: Transaction, notification: Notification, posted: list[MessageRef], now: datetime
) -> int:
    """Records ``posted`` with the case the notification is about; returns how many new."""
    if not posted or notification.kind in UNRECORDED:
        return 0
    case_id = notification.case_id or _int((notification.payload or {}).get("case"))
    if case_id is None and notification.event_id is not None:
        event = await tx.cases.event(notification.event_id)
        case_id = event.case_id if event else None
    if case_id is None:
        return 0  # a consultation, a channel post: about no case
    return await tx.posts.record(case_id, posted, now.date())


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and value > 0 else None


class Watched:
    """A messenger whose posts are noted in the current delivery's list."""

    def __init__(self, inner: Messenger) -> None:
        self.inner = inner
        self.platform: Platform = inner.platform

    async def send(self, address: Address, message: Message) -> MessageRef:
        ref = await self.inner.send(address, message)
        _note(ref)
        return ref

    async def update(self, ref: MessageRef, message: Message) -> None:
        await self.inner.update(ref, message)
        _note(ref)

    async def delete(self, ref: MessageRef) -> None:
        await self.inner.delete(ref)

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        ref = await self.inner.upload(address, filename, content, title=title, alt_text=alt_text)
        _note(ref)
        return ref

    async def personal_address(self, user_id: str) -> Address:
        return await self.inner.personal_address(user_id)

    async def reach(self, user_id: str) -> dict[str, Any]:
        return await self.inner.reach(user_id)

    async def address_of(self, reach: dict[str, Any]) -> Address:
        return await self.inner.address_of(reach)

    async def keep_address(self, user_id: str) -> None:
        await self.inner.keep_address(user_id)

    async def is_coordinator(self, user_id: str) -> bool:
        return await self.inner.is_coordinator(user_id)

    def coordinator_channel(self) -> Address:
        return self.inner.coordinator_channel()
