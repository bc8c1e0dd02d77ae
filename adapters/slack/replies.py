"""Carrying out what the core answered: open a form, publish Home, post, replace."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import render
from adapters.slack.errors import delivering
from adapters.slack.messenger import SlackMessenger
from bot.events import Address, MessageRef
from bot.ui import Form, Message

log = logging.getLogger(__name__)


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
