"""Bolt listeners: Slack requests in, neutral events to the core, its answer carried out.

Log lines name event kinds and outcomes only, never a user id next to any text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from typing import Any, TypeVar

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.errors import delivering
from adapters.slack.files import SlackFiles
from adapters.slack.messenger import SlackMessenger
from adapters.slack.replies import Replies
from bot.events import Address, CommandInvoked, Event, MessageRef
from bot.ports import DeliveryError, FirstDelivery, Handler
from bot.recent import Recent
from bot.ui import Response

log = logging.getLogger(__name__)

OPENERS_KEPT = 1000
REPORT_COMMAND = "/meld"
REPORT_SHORTCUT = "meld_report"
ANY = re.compile(r".+")

Body = dict[str, Any]
T = TypeVar("T")


class Listeners:
    def __init__(
        self,
        handler: Handler,
        first_delivery: FirstDelivery,
        messenger: SlackMessenger,
        replies: Replies,
        files: SlackFiles,
        welcomed_in: Collection[str] = (),
    ) -> None:
        self.handler = handler
        self.files = files
        # Configured onboarding channels (and teams): joins elsewhere need no users.info.
        self.welcomed_in = frozenset(welcomed_in)
        self.first_delivery = first_delivery
        self.messenger = messenger
        self.replies = replies
        # Which message opened which modal, so a submission can replace that message.
        self.openers: Recent[MessageRef] = Recent(OPENERS_KEPT)

    def register(self, app: AsyncApp) -> None:
        app.use(self.dedupe)
        app.event("message")(self.on_message)
        app.event("app_home_opened")(self.on_home_opened)
        app.event("team_join")(self.on_team_join)
        app.event("member_joined_channel")(self.on_member_joined_channel)
        app.command(REPORT_COMMAND)(self.on_command)
        app.shortcut(REPORT_SHORTCUT)(self.on_shortcut)
        app.block_action(ANY)(self.on_action)
        app.view_submission(ANY)(self.on_view_submission)

    async def dedupe(self, body: Body, next_: Callable[[], Awaitable[None]]) -> BoltResponse | None:
        """Slack redelivers un-acked events with the same ``event_id``: handle each once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not await self.first_delivery(f"slack:{event_id}"):
            log.info("slack: repeated delivery ignored")
            return BoltResponse(status=200, body="")
        await next_()
        return None

    async def on_message(self, event: Body) -> None:
        received = inbound.message_received(event)
        if received is None:
            return
        shared = inbound.shared_files(event)
        if shared:
            # After the ack (bolt acks events first), so a slow download keeps Slack waiting
            # for nothing; what could not be fetched still reaches the core, with its reason.
            received = replace(received, files=await self.files.fetch(shared))
        response = await self._handle("message", received)
        if response is not None:
            await self._carry_out(
                "message", response, received.address, user_id=received.actor.user_id
            )

    async def on_home_opened(self, event: Body) -> None:
        opened = inbound.home_opened(event)
        if opened is None:
            return
        response = await self._handle("home", opened)
        if response is not None:
            await self._carry_out("home", response, None, user_id=opened.actor.user_id)

    async def on_team_join(self, event: Body, context: AsyncBoltContext) -> None:
        joined = inbound.workspace_joined(event, context.bot_user_id)
        if joined is not None:
            await self._handle("team join", joined)  # a welcome goes through the outbox

    async def on_member_joined_channel(
        self, event: Body, context: AsyncBoltContext, client: AsyncWebClient
    ) -> None:
        joined = inbound.channel_joined(event, context.bot_user_id)
        if joined is None or not {joined.address.conversation, joined.team} & self.welcomed_in:
            return
        if await self._a_person(client, joined.members[0].user_id):
            await self._handle("channel join", joined)

    async def _a_person(self, client: AsyncWebClient, user_id: str) -> bool:
        """Not a bot or app (``member_joined_channel`` does not say); unknown counts as not."""
        try:
            async with delivering():
                answer = await client.users_info(user=user_id)
        except DeliveryError as error:
            log.warning("slack: who joined is unknown (%s)", error)
            return False
        user = answer.get("user") or {}
        return not (user.get("is_bot") or user.get("deleted"))

    async def on_command(self, ack: AsyncAck, command: Body) -> None:
        await ack()
        invoked = inbound.command_invoked(command)
        await self._report(invoked, str(command.get("trigger_id") or ""), "command")

    async def on_shortcut(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        actor = inbound.interactive_actor(body)
        try:
            address = await self.messenger.personal_address(actor.user_id)
        except DeliveryError as error:
            log.error("slack: shortcut failed (%s)", error)
            return
        invoked = CommandInvoked(actor, address, "report")
        await self._report(invoked, str(body.get("trigger_id") or ""), "shortcut")

    async def _report(self, invoked: CommandInvoked, trigger_id: str, kind: str) -> None:
        response = await self._handle(kind, invoked)
        if response is None:
            return
        if response.form is not None:
            await self._guard(kind, self.replies.open_form(trigger_id, response.form))
        # Whatever else the core says goes to the person's DM, never to the
        # channel the command was typed in: reporting is confidential.
        await self._carry_out(kind, response, None, user_id=invoked.actor.user_id)

    async def on_action(self, ack: AsyncAck, body: Body) -> None:
        await ack()
        if inbound.pressed_action_id(body) == render.LINK_ACTION:
            return  # the browser opened the page; the core has nothing to do
        origin = inbound.action_origin(body)
        user_id = inbound.interactive_actor(body).user_id
        address = origin.address
        if address is None:
            try:
                address = await self.messenger.personal_address(user_id)
            except DeliveryError as error:
                log.error("slack: action failed (%s)", error)
                return
        invoked = inbound.action_invoked(body, address, origin)
        response = await self._handle("action", invoked)
        if response is None:
            return
        if response.form is not None:
            if origin.in_modal and origin.view_id:
                await self._guard("action", self.replies.update_form(origin.view_id, response.form))
            else:
                trigger_id = str(body.get("trigger_id") or "")
                opened = await self._guard(
                    "action", self.replies.open_form(trigger_id, response.form)
                )
                if opened and origin.message is not None:
                    self.openers.remember(opened, origin.message)
        if response.replace is not None and origin.message is not None:
            await self._guard("action", self.replies.replace(origin.message, response.replace))
        await self._carry_out("action", response, address, user_id=user_id)

    async def on_view_submission(self, ack: AsyncAck, body: Body) -> None:
        """The core commits before it answers, so the ack (closing the modal) comes last."""
        submitted = inbound.form_submitted(body)
        try:
            response = await self.handler(submitted)
        except Exception:
            log.error("slack: form submission failed in the core (%s)", submitted.form_id)
            raise  # bolt answers 500: Slack keeps the modal open with an error
        if response.errors:
            await ack(response_action="errors", errors=dict(response.errors))
            log.info("slack: form returned with errors (%s)", submitted.form_id)
            return
        view_id = inbound.view_id(body)
        opener = self.openers.get(view_id)
        if response.form is not None:
            view = render.modal_view(response.form, self.replies.note)
            await ack(response_action="update", view=view)
            log.info("slack: form replaced (%s)", submitted.form_id)
        elif response.result is not None:
            # The answer to this very request: it reaches the person even while Slack's
            # Web API is failing (the chat copy follows through the outbox).
            await ack(
                response_action="update",
                view=render.result_view(response.result, self.replies.note),
            )
            self.openers.forget(view_id)
            log.info("slack: form answered in place (%s)", submitted.form_id)
        else:
            await ack()
            self.openers.forget(view_id)
            log.info("slack: form submitted (%s)", submitted.form_id)
        if response.replace is not None and opener is not None:
            # The message whose button opened this form, as for a button press.
            await self._guard("form", self.replies.replace(opener, response.replace))
        await self._carry_out("form", response, None, user_id=submitted.actor.user_id)

    async def _handle(self, kind: str, event: Event) -> Response | None:
        try:
            response = await self.handler(event)
        except Exception:
            log.exception("slack: %s failed in the core", kind)
            return None
        log.info("slack: %s handled", kind)
        return response

    async def _carry_out(
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
                await self._guard(kind, self.replies.post(address, response.messages))
            if response.private:
                private = self.replies.post_private(address, user_id, response.private)
                await self._guard(kind, private)
        if response.home is not None:
            await self._guard(kind, self.replies.publish_home(user_id, response.home))

    async def _guard(self, kind: str, step: Awaitable[T]) -> T | None:
        try:
            return await step
        except DeliveryError as error:
            log.error("slack: %s reply failed (%s)", kind, error)
        except Exception:
            log.exception("slack: %s reply failed", kind)
        return None
