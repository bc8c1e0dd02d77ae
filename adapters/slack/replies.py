"""Carrying out what the core answered: open a form, publish Home, post, replace.

Log lines name event kinds and outcomes only, never a user id next to any text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.errors import delivering
from adapters.slack.messenger import SlackMessenger
from bot.events import Address, MessageRef
from bot.observability.logs import log_failure
from bot.ports import DeliveryError
from bot.ui import Form, Message, Response

log = logging.getLogger(__name__)
T = TypeVar("T")


class Replies:
    def __init__(self, client: AsyncWebClient, messenger: SlackMessenger) -> None:
        self.client = client
        self.messenger = messenger

    @property
    def note(self) -> str:
        return self.messenger.shortened_note

    async def open_form(self, trigger_id: str, form: Form) -> str:
        """``views.open``; the trigger is only valid for 3 s, so this goes first.

        Returns the new view's id.
        """
        view = render.modal_view(form, self.note)
        async with delivering():
            response = await self.client.views_open(trigger_id=trigger_id, view=view)
        log.info("slack: form opened (%s)", form.form_id)
        return str(response["view"]["id"])

    async def update_form(self, view_id: str, form: Form) -> None:
        view = render.modal_view(form, self.note)
        async with delivering():
            await self.client.views_update(view_id=view_id, view=view)
        log.info("slack: form updated (%s)", form.form_id)

    async def show_result(self, view_id: str, message: Message) -> None:
        """A modal that is still open shows the answer that came after its ack."""
        view = render.result_view(message, self.note)
        async with delivering():
            await self.client.views_update(view_id=view_id, view=view)
        log.info("slack: form answered in place after its ack")

    async def publish_home(self, user_id: str, message: Message) -> None:
        view = render.home_view(message, self.note)
        async with delivering():
            await self.client.views_publish(user_id=user_id, view=view)
        log.info("slack: home published")

    async def post(self, address: Address, messages: Iterable[Message]) -> None:
        for message in messages:
            await self.messenger.send(address, message)

    async def post_private(
        self, address: Address, user_id: str, messages: Iterable[Message]
    ) -> None:
        for message in messages:
            await self.messenger.send_private(address, user_id, message)

    async def replace(self, ref: MessageRef, message: Message) -> None:
        await self.messenger.update(ref, message)

    async def carry_out(
        self, kind: str, response: Response, address: Address | None, *, user_id: str
    ) -> None:
        """Messages to ``address`` (or, without one, the person's DM); then Home.

        ``private`` messages are seen only by the person: ephemeral in a channel (in the
        thread, if any), ordinary messages in their DM.
        """
        if (response.messages or response.private) and address is None:
            try:
                address = await self.messenger.personal_address(user_id)
            except DeliveryError as error:
                log.error("slack: %s reply failed (%s)", kind, error)
        if address is not None:
            if response.messages:
                await self.guard(kind, self.post(address, response.messages))
            if response.private:
                await self.guard(kind, self.post_private(address, user_id, response.private))
        if response.home is not None:
            await self.guard(kind, self.publish_home(user_id, response.home))

    async def guard(self, kind: str, step: Awaitable[T]) -> T | None:
        """A reply that failed is logged, and does not stop the ones after it."""
        try:
            return await step
        except DeliveryError as error:
            log.error("slack: %s reply failed (%s)", kind, error)
        except Exception:
            log_failure(log, "slack: %s reply failed", kind)
        return None
