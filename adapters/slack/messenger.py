"""The core's ``Messenger`` port over Slack's Web API."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.errors import api_error_code, delivering
from adapters.slack.escape import shorten
from bot.events import Address, MessageRef, Platform
from bot.ports import DeliveryError
from bot.settings import ConfigError, Settings
from bot.ui import Message

log = logging.getLogger(__name__)

MEMBERS_TTL = 300.0
MEMBERS_PAGE = 200
ALT_TEXT = 1000  # Slack keeps at most this much of a file's alt text
# What Slack answers a delete of a message or file that is no longer there.
GONE = frozenset({"message_not_found", "file_not_found", "file_deleted"})


class SlackMessenger:
    """Sends and updates messages, finds a person's DM, and knows who coordinates."""

    platform: Platform = "slack"

    def __init__(
        self,
        client: AsyncWebClient,
        settings: Settings,
        *,
        shortened_note: str,
        members_ttl: float = MEMBERS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.shortened_note = shortened_note
        self._channel = settings.slack_coordinator_channel
        self._coordinators = frozenset(settings.slack_coordinators)
        self._members_ttl = members_ttl
        self._clock = clock
        self._members: frozenset[str] | None = None
        self._members_until = 0.0
        self._dms: dict[str, str] = {}

    async def check_credentials(self) -> None:
        """Readiness: Slack still accepts meldbot's token (auth.test)."""
        await self.client.auth_test()

    async def send(self, address: Address, message: Message) -> MessageRef:
        _check_platform(address.platform)
        blocks = render.message_blocks(message, self.shortened_note)
        async with delivering():
            response = await self.client.chat_postMessage(
                channel=address.conversation,
                thread_ts=address.thread,
                reply_broadcast=bool(address.thread and message.broadcast) or None,
                text=render.fallback_text(message),
                blocks=blocks or None,
                unfurl_links=False,
                unfurl_media=False,
            )
        log.info("slack: message sent (%d blocks)", len(blocks))
        return MessageRef("slack", str(response["channel"]), str(response["ts"]))

    async def send_private(self, address: Address, user_id: str, message: Message) -> None:
        """Only ``user_id`` sees it: in a channel an ephemeral message, else a DM message."""
        _check_platform(address.platform)
        if address.personal:
            await self.send(address, message)
            return
        blocks = render.message_blocks(message, self.shortened_note)
        async with delivering():
            await self.client.chat_postEphemeral(
                channel=address.conversation,
                user=user_id,
                thread_ts=address.thread,
                text=render.fallback_text(message),
                blocks=blocks or None,
            )
        log.info("slack: private message sent (%d blocks)", len(blocks))

    async def update(self, ref: MessageRef, message: Message) -> None:
        _check_platform(ref.platform)
        blocks = render.message_blocks(message, self.shortened_note)
        async with delivering():
            await self.client.chat_update(
                channel=ref.conversation,
                ts=ref.message_id,
                text=render.fallback_text(message),
                blocks=blocks,  # an empty list clears the old blocks
            )
        log.info("slack: message updated (%d blocks)", len(blocks))

    async def delete(self, ref: MessageRef) -> None:
        """chat.delete; a shared file (its reference carries the file's id, see ``upload``)
        goes with files.delete, which takes its message along. Already gone is deleted."""
        _check_platform(ref.platform)
        try:
            async with delivering():
                if is_file_id(ref.message_id):
                    await self.client.files_delete(file=ref.message_id)
                else:
                    await self.client.chat_delete(channel=ref.conversation, ts=ref.message_id)
        except DeliveryError as error:
            cause = error.__cause__
            if not (isinstance(cause, SlackApiError) and api_error_code(cause) in GONE):
                raise
            log.info("slack: message already gone")
            return
        log.info("slack: message deleted")

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        """files.getUploadURLExternal, the bytes to the URL it gives, then
        files.completeUploadExternal shares the file in the channel (or thread).

        Slack shares the file in a message of its own, but the answer names no message
        timestamp (the share happens after it), so the reference carries the file's id.
        """
        _check_platform(address.platform)
        async with delivering():
            response = await self.client.files_upload_v2(
                channel=address.conversation,
                thread_ts=address.thread,
                content=content,
                filename=filename,
                title=title,
                alt_txt=shorten(alt_text, ALT_TEXT),
            )
        file = response.get("file") or {}
        log.info("slack: file uploaded (%d bytes)", len(content))
        return MessageRef("slack", address.conversation, str(file.get("id") or ""))

    async def personal_address(self, user_id: str) -> Address:
        channel = self._dms.get(user_id)
        if channel is None:
            async with delivering():
                response = await self.client.conversations_open(users=user_id)
            channel = str(response["channel"]["id"])
            self._dms[user_id] = channel
        return Address("slack", channel, personal=True)

    async def reach(self, user_id: str) -> dict[str, Any]:
        return {"user": user_id}

    async def address_of(self, reach: dict[str, Any]) -> Address:
        return await self.personal_address(str(reach["user"]))

    async def keep_address(self, user_id: str) -> None:
        """Nothing to keep: conversations.open reaches anyone in the workspace."""

    async def is_coordinator(self, user_id: str) -> bool:
        """On the configured list, or (when the list is empty) in the coordinator channel."""
        if self._coordinators:
            return user_id in self._coordinators
        return user_id in await self._channel_members()

    def coordinator_channel(self) -> Address:
        if not self._channel:
            raise ConfigError(
                "MELDBOT_SLACK_COORDINATOR_CHANNEL is missing: meldbot needs the id of the "
                "private channel where coordinators receive cases."
            )
        return Address("slack", self._channel)

    async def _channel_members(self) -> frozenset[str]:
        now = self._clock()
        if self._members is not None and now < self._members_until:
            return self._members
        channel = self.coordinator_channel().conversation
        try:
            members = await self._fetch_members(channel)
        except DeliveryError:
            if self._members is None:
                raise
            # A stale list is better than refusing every coordinator during an outage.
            log.warning("slack: coordinator channel members unavailable; using the last list")
            return self._members
        self._members = members
        self._members_until = now + self._members_ttl
        return members

    async def _fetch_members(self, channel: str) -> frozenset[str]:
        members: set[str] = set()
        cursor: str | None = None
        async with delivering():
            while True:
                response = await self.client.conversations_members(
                    channel=channel, cursor=cursor, limit=MEMBERS_PAGE
                )
                members.update(str(member) for member in response.get("members") or [])
                metadata = response.get("response_metadata") or {}
                cursor = metadata.get("next_cursor") or None
                if not cursor:
                    return frozenset(members)


def is_file_id(message_id: str) -> bool:
    """A message's ``ts`` is digits and a dot; a file's id is ``F`` and letters or digits."""
    return message_id.startswith("F")


def _check_platform(platform: Platform) -> None:
    if platform != "slack":
        raise ValueError(f"the Slack messenger cannot deliver to {platform}")
