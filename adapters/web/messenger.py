"""The web chat's ``Messenger``: what the core sends lands in the in-memory conversations."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from adapters.web.store import Conversations, is_conversation
from bot.events import Address, MessageRef, Platform
from bot.ports import DeliveryError
from bot.ui import Message, Text

COORDINATORS = "coordinators"


class WebMessenger:
    """Implements ``bot.ports.Messenger`` for the local web chat."""

    platform: Platform = "web"

    def __init__(
        self, conversations: Conversations, coordinators: Collection[str], earlier_message: str
    ) -> None:
        self._conversations = conversations
        self._coordinators = frozenset(coordinators)
        self._earlier_message = earlier_message

    async def send(self, address: Address, message: Message) -> MessageRef:
        if address.platform != "web" or not is_conversation(address.conversation):
            raise _unknown(address.conversation)
        thread = address.thread
        if thread is not None:
            root = self._conversations.get(thread)
            if root is None:
                # The root is gone (meldbot restarted; conversations live in memory):
                # keep the reply visible under a stand-in rather than losing it.
                root = self._conversations.append(
                    address.conversation,
                    Message(self._earlier_message, (Text.of(self._earlier_message),)),
                    placeholder=True,
                    entry_id=thread,
                )
            elif root.conversation != address.conversation:
                raise _unknown(f"{address.conversation} thread")
            thread = root.thread or root.id  # a reply to a reply stays in the same thread
        entry = self._conversations.append(address.conversation, message, thread=thread)
        return MessageRef("web", entry.conversation, entry.id)

    async def update(self, ref: MessageRef, message: Message) -> None:
        entry = self._conversations.get(ref.message_id)
        if ref.platform != "web" or entry is None or entry.conversation != ref.conversation:
            raise _unknown("message")
        self._conversations.replace(entry.id, message)

    async def personal_address(self, user_id: str) -> Address:
        if not user_id:
            raise _unknown("person")
        return Address("web", f"dm:{user_id}", personal=True)

    async def reach(self, user_id: str) -> dict[str, Any]:
        return {"persona": user_id}

    async def address_of(self, reach: dict[str, Any]) -> Address:
        return await self.personal_address(str(reach["persona"]))

    async def keep_address(self, user_id: str) -> None:
        """Nothing to keep: the web chat reaches anyone by their persona."""

    async def is_coordinator(self, user_id: str) -> bool:
        return user_id in self._coordinators

    def coordinator_channel(self) -> Address:
        return Address("web", COORDINATORS)


def _unknown(what: str) -> DeliveryError:
    return DeliveryError(f"unknown web {what}", permanent=True)
