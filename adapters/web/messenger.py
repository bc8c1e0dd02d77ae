"""The web chat's ``Messenger``: what the core sends lands in the conversations (kept in
the database before it is shown). An anonymous visitor (``anon-``) is never sent to.

A message to a team channel (anything but the coordinator channel or a personal chat,
as long as the configuration names it) shows in the team pane; an uploaded file is kept
with its message and served by the page: images a browser shows (PNG, JPEG, GIF, WebP)
inline, PDFs as a download, by what their bytes are; anything else (HEIC, SVG …) never.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from typing import Any

from adapters.web.store import COORDINATORS, Attachment, Conversations, ephemeral
from bot.attachments.models import FileKind
from bot.attachments.policy import MIB, sniff
from bot.events import Address, MessageRef, Platform
from bot.ports import DeliveryError
from bot.ui import Message, Text

SHOWN = frozenset({FileKind.PNG, FileKind.JPEG, FileKind.GIF, FileKind.WEBP, FileKind.PDF})
MAX_UPLOAD_BYTES = 25 * MIB  # the largest attachment meldbot can be set to take


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
        return await self._post(address, message, None)

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        """A file with its title as the message: an image with ``alt_text`` on it, a PDF
        as a link to download it."""
        kind = sniff(content)
        if kind not in SHOWN:
            raise DeliveryError(
                f"the web chat does not show {kind or 'this'} files", permanent=True
            )
        if len(content) > MAX_UPLOAD_BYTES:
            raise DeliveryError("the file is too large for the web chat", permanent=True)
        key = secrets.token_urlsafe(12)
        file = Attachment(key, content, kind.content_type, alt_text, filename)
        return await self._post(address, Message(title, (Text.of(title),)), file)

    async def _post(
        self, address: Address, message: Message, file: Attachment | None
    ) -> MessageRef:
        if address.conversation.startswith("dm:") and ephemeral(address.conversation[3:]):
            # Nothing about an anonymous visitor is kept, so there is nowhere to send it.
            raise DeliveryError("an anonymous visitor has no chat to send to", permanent=True)
        if address.platform != "web" or not self._conversations.knows(address.conversation):
            raise _unknown(address.conversation)
        thread = address.thread
        if thread is not None:
            root = self._conversations.get(thread)
            if root is None:
                # The root is gone (trimmed, or from before the history was kept):
                # keep the reply visible under a stand-in rather than losing it.
                root = await self._conversations.append(
                    address.conversation,
                    Message(self._earlier_message, (Text.of(self._earlier_message),)),
                    placeholder=True,
                    entry_id=thread,
                )
            elif root.conversation != address.conversation:
                raise _unknown(f"{address.conversation} thread")
            thread = root.thread or root.id  # a reply to a reply stays in the same thread
        entry = await self._conversations.append(
            address.conversation, message, thread=thread, file=file
        )
        return MessageRef("web", entry.conversation, entry.id)

    async def update(self, ref: MessageRef, message: Message) -> None:
        entry = self._conversations.get(ref.message_id)
        if ref.platform != "web" or entry is None or entry.conversation != ref.conversation:
            raise _unknown("message")
        await self._conversations.replace(entry.id, message)

    async def delete(self, ref: MessageRef) -> None:
        """Takes the message (and a thread root's replies) off every open page and out of
        the database; one no longer held (it was trimmed) is gone already."""
        entry = self._conversations.get(ref.message_id)
        if entry is None:
            return
        if ref.platform != "web" or entry.conversation != ref.conversation:
            raise _unknown("message")
        await self._conversations.remove(entry.id)

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
