"""A recording Messenger: the core's view of a platform, with nothing behind it."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from bot.events import Address, MessageRef, Platform
from bot.ports import DeliveryError
from bot.ui import Message


@dataclass
class Sent:
    address: Address
    message: Message
    ref: MessageRef


@dataclass
class FakeMessenger:
    platform: Platform = "web"
    coordinators: set[str] = field(default_factory=lambda: {"coord-1", "coord-2"})
    sent: list[Sent] = field(default_factory=list)
    updates: list[tuple[MessageRef, Message]] = field(default_factory=list)
    deleted: list[MessageRef] = field(default_factory=list)
    failures: list[DeliveryError] = field(default_factory=list)
    unreachable: set[str] = field(default_factory=set)
    kept: list[str] = field(default_factory=list)
    uploads: list[tuple[Address, str, bytes, str]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def _maybe_fail(self) -> None:
        if self.failures:
            raise self.failures.pop(0)

    async def send(self, address: Address, message: Message) -> MessageRef:
        self._maybe_fail()
        ref = MessageRef(self.platform, address.conversation, f"m{next(self._ids)}")
        self.sent.append(Sent(address, message, ref))
        return ref

    async def update(self, ref: MessageRef, message: Message) -> None:
        self._maybe_fail()
        self.updates.append((ref, message))

    async def delete(self, ref: MessageRef) -> None:
        self._maybe_fail()
        self.deleted.append(ref)

    async def personal_address(self, user_id: str) -> Address:
        if user_id in self.unreachable:
            raise DeliveryError("no conversation with this person", permanent=True)
        return Address(self.platform, f"dm:{user_id}", personal=True)

    async def reach(self, user_id: str) -> dict[str, Any]:
        if user_id in self.unreachable:
            raise DeliveryError("no conversation with this person", permanent=True)
        return {"user": user_id}

    async def address_of(self, reach: dict[str, Any]) -> Address:
        return await self.personal_address(str(reach["user"]))

    async def keep_address(self, user_id: str) -> None:
        self.kept.append(user_id)

    async def is_coordinator(self, user_id: str) -> bool:
        return user_id in self.coordinators

    def coordinator_channel(self) -> Address:
        return Address(self.platform, "coordinators")

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        self._maybe_fail()
        self.uploads.append((address, filename, content, alt_text))
        return MessageRef(self.platform, address.conversation, f"f{next(self._ids)}")

    def in_channel(self) -> list[Sent]:
        return [s for s in self.sent if s.address.conversation == "coordinators"]

    def roots(self) -> list[Sent]:
        return [s for s in self.in_channel() if s.address.thread is None]

    def thread(self, root: MessageRef) -> list[Sent]:
        return [s for s in self.in_channel() if s.address.thread == root.message_id]

    def dms(self, user_id: str) -> list[Sent]:
        return [s for s in self.sent if s.address.conversation == f"dm:{user_id}"]
