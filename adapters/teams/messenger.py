"""The core's ``Messenger`` port over the Bot Connector.

A message to the coordinator channel starts a new conversation there (the thread's root);
a message with a thread is a reply in ``<channel>;messageid=<root>``; a personal chat is
reached through the conversation reference kept when the person last wrote to meldbot.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
import time
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, cast

import aiohttp
from microsoft_agents.activity import Activity, Attachment
from microsoft_agents.hosting.core.connector import ConnectorClientBase
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from adapters.teams import render
from adapters.teams.connector import Connector
from adapters.teams.directory import Directory
from adapters.teams.inbound import THREAD_MARK, is_channel, split_thread
from bot.events import Address, MessageRef, Platform
from bot.ports import DeliveryError
from bot.recent import Recent
from bot.settings import ConfigError, Settings
from bot.ui import Message

log = logging.getLogger(__name__)

MEMBERS_TTL = 300.0
MEMBERS_PAGE = 500
INLINE_IMAGES = frozenset({"image/png", "image/jpeg", "image/gif"})
INLINE_IMAGE_BYTES = 1024 * 1024  # Teams' limit for an inline image


READY_SERVICE_URL = "https://smba.trafficmanager.net/teams/"  # any: the token is per app


class TeamsMessenger:
    platform: Platform = "teams"

    def __init__(
        self,
        connector: Connector,
        directory: Directory,
        settings: Settings,
        cards: Recent[dict[str, Any]],
        *,
        members_ttl: float = MEMBERS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._connector = connector
        self._directory = directory
        self._cards = cards
        self._channel = settings.teams_coordinator_channel
        self._coordinators = frozenset(settings.teams_coordinators)
        self._members_ttl = members_ttl
        self._clock = clock
        self._members: frozenset[str] | None = None
        self._members_until = 0.0

    async def check_credentials(self) -> None:
        """Readiness: the configured authority still gives meldbot a token (none is asked
        for when running anonymously, for local development)."""
        await self._connector.token(READY_SERVICE_URL)

    async def send(self, address: Address, message: Message) -> MessageRef:
        card = render.message_card(message)
        ref = await self.send_card(address, card, render.fallback_text(message))
        self._cards.remember(ref.message_id, card)
        return ref

    async def send_card(self, address: Address, card: dict[str, Any], summary: str) -> MessageRef:
        """Posts one card: a new thread in a channel, a reply in a thread, or a chat message."""
        return await self._post(address, _activity(card, summary))

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        """Posts an image inline: an attachment with the image's type and the bytes as a
        ``data:`` URI, which Teams shows in channels, group chats and personal chats alike
        without OneDrive, Graph permissions or a public URL. (An Adaptive Card ``Image``
        with a data URI would carry ``altText``, but a card must stay far smaller than a
        chart.) Teams keeps no alt text on an image attachment, so the description is the
        message's text, under the title: screen readers read it, and so can everyone."""
        kind = mimetypes.guess_type(filename)[0] or ""
        if kind not in INLINE_IMAGES:
            raise DeliveryError(f"teams shows no {kind or 'unknown'} files inline", permanent=True)
        if len(content) > INLINE_IMAGE_BYTES:
            raise DeliveryError("teams: the image is larger than 1 MB", permanent=True)
        uri = f"data:{kind};base64,{base64.b64encode(content).decode('ascii')}"
        activity = Activity(
            type="message",
            text=f"{title}\n\n{alt_text}",
            text_format="plain",  # our own words, but "<5" must not be read as markup
            summary=title,
            attachments=[Attachment(content_type=kind, content_url=uri, name=filename)],
        )
        ref = await self._post(address, activity)
        log.info("teams: image sent (%d bytes)", len(content))
        return ref

    async def _post(self, address: Address, activity: Activity) -> MessageRef:
        _check_platform(address.platform)
        service_url, tenant = await self._directory.place(address.conversation)
        if is_channel(address.conversation) and address.thread is None:
            ref = await self._start_thread(address.conversation, service_url, tenant, activity)
        else:
            conversation = address.conversation
            if address.thread is not None and is_channel(conversation):
                conversation = f"{split_thread(conversation)[0]}{THREAD_MARK}{address.thread}"

            async def send(client: ConnectorClientBase) -> str:
                response = await client.conversations.send_to_conversation(conversation, activity)
                return str(response.id or "")

            message_id = await self._connector.call(service_url, "send", send)
            ref = MessageRef("teams", conversation, message_id)
        log.info("teams: message sent")
        return ref

    async def update(self, ref: MessageRef, message: Message) -> None:
        _check_platform(ref.platform)
        card = render.message_card(message)
        conversation = _conversation_of(ref)
        service_url, _tenant = await self._directory.place(conversation)
        activity = _activity(card, render.fallback_text(message))
        activity.id = ref.message_id

        async def update(client: ConnectorClientBase) -> None:
            await client.conversations.update_activity(conversation, ref.message_id, activity)

        await self._connector.call(service_url, "update", update)
        self._cards.remember(ref.message_id, card)
        log.info("teams: message updated")

    async def delete(self, ref: MessageRef) -> None:
        """The connector's delete activity; an activity it no longer has (404) is deleted."""
        _check_platform(ref.platform)
        conversation = _conversation_of(ref)
        service_url, _tenant = await self._directory.place(conversation)

        async def delete(client: ConnectorClientBase) -> bool:
            try:
                await client.conversations.delete_activity(conversation, ref.message_id)
            except aiohttp.ClientResponseError as error:
                if error.status != HTTPStatus.NOT_FOUND:
                    raise
                return False
            return True

        deleted = await self._connector.call(service_url, "delete", delete)
        self._cards.forget(ref.message_id)
        log.info("teams: message %s", "deleted" if deleted else "already gone")

    async def personal_address(self, user_id: str) -> Address:
        conversation = await self._directory.personal_conversation(user_id)
        if conversation is None:
            # Teams allows no first message without a reference: say so, do not guess.
            raise DeliveryError("no Teams conversation reference for this person", permanent=True)
        return Address("teams", conversation, personal=True)

    async def reach(self, user_id: str) -> dict[str, Any]:
        reach = self._directory.reach(user_id)
        if reach is None:
            raise DeliveryError("no Teams conversation reference for this person", permanent=True)
        return reach

    async def address_of(self, reach: dict[str, Any]) -> Address:
        return Address("teams", self._directory.reached(reach), personal=True)

    async def keep_address(self, user_id: str) -> None:
        """Teams allows no first message without a reference: keep this person's in the book."""
        await self._directory.keep(user_id)

    async def is_coordinator(self, user_id: str) -> bool:
        """On the configured list, or (when the list is empty) on the channel's roster."""
        if self._coordinators:
            return user_id in self._coordinators
        return user_id in await self._roster()

    def coordinator_channel(self) -> Address:
        if not self._channel:
            raise ConfigError(
                "MELDBOT_TEAMS_COORDINATOR_CHANNEL is missing: meldbot needs the id of the "
                "channel where coordinators receive cases."
            )
        return Address("teams", self._channel)

    async def channels_of(self, team_id: str) -> list[dict[str, str]]:
        service_url, _tenant = await self._directory.place(team_id)

        async def fetch(client: ConnectorClientBase) -> list[dict[str, str]]:
            channels = await cast(TeamsConnectorClient, client).fetch_channel_list(team_id)
            return [{"id": str(c.id), "name": str(c.name or "")} for c in channels]

        return await self._connector.call(service_url, "channel list", fetch)

    async def _start_thread(
        self, channel: str, service_url: str, tenant: str | None, activity: Activity
    ) -> MessageRef:
        fields = {
            "isGroup": True,
            "channelData": {"channel": {"id": channel}, "tenant": {"id": tenant}},
            "activity": activity,
        }
        created = await self._connector.create_conversation(
            service_url, "new thread", fields, tenant
        )
        root = str(created.activity_id or split_thread(str(created.id))[1] or "")
        if not root:
            raise DeliveryError("teams new thread: no message id in the answer")
        return MessageRef("teams", channel, root)

    async def _roster(self) -> frozenset[str]:
        now = self._clock()
        if self._members is not None and now < self._members_until:
            return self._members
        channel = self.coordinator_channel().conversation
        service_url, _tenant = await self._directory.place(channel)

        async def fetch(client: ConnectorClientBase) -> frozenset[str]:
            members: set[str] = set()
            token: str | None = None
            while True:
                page = await client.conversations.get_conversation_paged_members(
                    channel, MEMBERS_PAGE, token
                )
                members.update(str(m.aad_object_id or m.id) for m in page.members or [])
                token = page.continuation_token
                if not token:
                    return frozenset(members)

        try:
            self._members = await self._connector.call(service_url, "roster", fetch)
        except DeliveryError:
            if self._members is None:
                raise
            log.warning("teams: coordinator roster unavailable; using the last one")
            return self._members
        self._members_until = now + self._members_ttl
        return self._members


def _conversation_of(ref: MessageRef) -> str:
    """A channel thread's root lives in ``<channel>;messageid=<root>``; others as sent."""
    conversation = ref.conversation
    if is_channel(conversation) and split_thread(conversation)[1] is None:
        conversation = f"{conversation}{THREAD_MARK}{ref.message_id}"
    return conversation


def _activity(card: dict[str, Any], summary: str) -> Activity:
    # The summary is what Teams shows in notifications and the activity feed.
    return Activity(type="message", summary=summary, attachments=[render.card_attachment(card)])


def _check_platform(platform: Platform) -> None:
    if platform != "teams":
        raise ValueError(f"the Teams messenger cannot deliver to {platform}")
