"""Bolt listeners: Slack requests in, neutral events to the core, its answer carried out.

Log lines name event kinds and outcomes only, never a user id next to any text.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Collection
from dataclasses import replace
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound, render
from adapters.slack.errors import delivering
from adapters.slack.files import SlackFiles
from adapters.slack.inbox import Inbox
from adapters.slack.messenger import SlackMessenger
from adapters.slack.replies import Replies
from adapters.slack.submissions import FormSubmissions, FormWords, said
from bot.events import CommandInvoked, Event, MembersJoined, MessageRef
from bot.observability.logs import log_failure
from bot.ports import DeliveryError, FirstDelivery, Handler
from bot.recent import Recent
from bot.ui import Response

log = logging.getLogger(__name__)

OPENERS_KEPT = 1000
REPORT_COMMAND = "/meld"
REPORT_SHORTCUT = "meld_report"
ANY = re.compile(r".+")

Body = dict[str, Any]


class Listeners:
    def __init__(
        self,
        handler: Handler,
        first_delivery: FirstDelivery,
        messenger: SlackMessenger,
        replies: Replies,
        files: SlackFiles,
        words: FormWords,
        welcomed_in: Collection[str] = (),
    ) -> None:
        self.handler = handler
        self.files = files
        # Configured onboarding channels (and teams): joins elsewhere need no users.info.
        self.welcomed_in = frozenset(welcomed_in)
        self.messenger = messenger
        self.replies = replies
        self.words = words
        # Which message opened which modal, so a submission can replace that message.
        self.openers: Recent[MessageRef] = Recent(OPENERS_KEPT)
        self.inbox = Inbox(self.on_event, first_delivery)
        self.forms = FormSubmissions(handler, replies, self.openers, words)

    def register(self, app: AsyncApp) -> None:
        app.use(self.ack_events_first)
        app.command(REPORT_COMMAND)(self.on_command)
        app.shortcut(REPORT_SHORTCUT)(self.on_shortcut)
        app.block_action(ANY)(self.on_action)
        app.view_submission(ANY)(self.forms.on_view_submission)

    async def ack_events_first(
        self, body: Body, context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Events are acked at once and handled after, in the inbox; a full inbox answers
        503 without an ack, so Slack delivers the event again later."""
        if body.get("type") != "event_callback":
            await next_()
            return None
        if not self.wanted(body.get("event") or {}, context.bot_user_id):
            return BoltResponse(status=200, body="")  # nothing to do, nothing to keep
        if self.inbox.accept(body, context.bot_user_id):
            return BoltResponse(status=200, body="")
        return BoltResponse(status=503, body="busy, deliver again later")

    def wanted(self, event: Body, bot_user_id: str | None) -> bool:
        """Whether meldbot does anything with the event: the rest (a message in a channel,
        an edit, a join elsewhere) is acked without a queue or a database write."""
        kind = event.get("type")
        if kind == "message":
            return inbound.message_received(event) is not None
        if kind == "app_home_opened":
            return inbound.home_opened(event) is not None
        if kind == "team_join":
            return inbound.workspace_joined(event, bot_user_id) is not None
        if kind == "member_joined_channel":
            joined = inbound.channel_joined(event, bot_user_id)
            return joined is not None and self._welcomes(joined)
        return False

    def _welcomes(self, joined: MembersJoined) -> bool:
        return bool({joined.address.conversation, joined.team} & self.welcomed_in)

    async def on_event(self, body: Body, bot_user_id: str | None) -> None:
        """One event from the inbox, after its ack."""
        event = body.get("event") or {}
        kind = event.get("type")
        if kind == "message":
            await self.on_message(event)
        elif kind == "app_home_opened":
            await self.on_home_opened(event)
        elif kind == "team_join":
            await self.on_team_join(event, bot_user_id)
        elif kind == "member_joined_channel":
            await self.on_member_joined_channel(event, bot_user_id)

    async def on_message(self, event: Body) -> None:
        received = inbound.message_received(event)
        if received is None:
            return
        shared = inbound.shared_files(event)
        if shared:
            # After the ack, so a slow download keeps Slack waiting for nothing; what
            # could not be fetched still reaches the core, with its reason.
            received = replace(received, files=await self.files.fetch(shared))
        try:
            response = await self.handler(received)
        except Exception:
            log_failure(log, "slack: message failed in the core")
            # Nothing was kept: the person hears to send it again, not silence.
            retry = [said(self.words.try_again)]
            await self.replies.guard("message", self.replies.post(received.address, retry))
            return
        log.info("slack: message handled")
        await self.replies.carry_out(
            "message", response, received.address, user_id=received.actor.user_id
        )

    async def on_home_opened(self, event: Body) -> None:
        opened = inbound.home_opened(event)
        if opened is None:
            return
        response = await self._handle("home", opened)
        if response is not None:
            await self.replies.carry_out("home", response, None, user_id=opened.actor.user_id)

    async def on_team_join(self, event: Body, bot_user_id: str | None) -> None:
        joined = inbound.workspace_joined(event, bot_user_id)
        if joined is not None:
            await self._handle("team join", joined)  # a welcome goes through the outbox

    async def on_member_joined_channel(self, event: Body, bot_user_id: str | None) -> None:
        joined = inbound.channel_joined(event, bot_user_id)
        if joined is None or not self._welcomes(joined):
            return
        if await self._a_person(self.messenger.client, joined.members[0].user_id):
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
            await self.replies.guard(kind, self.replies.open_form(trigger_id, response.form))
        # Whatever else the core says goes to the person's DM, never to the
        # channel the command was typed in: reporting is confidential.
        await self.replies.carry_out(kind, response, None, user_id=invoked.actor.user_id)

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
                await self.replies.guard(
                    "action", self.replies.update_form(origin.view_id, response.form)
                )
            else:
                trigger_id = str(body.get("trigger_id") or "")
                opened = await self.replies.guard(
                    "action", self.replies.open_form(trigger_id, response.form)
                )
                if opened and origin.message is not None:
                    self.openers.remember(opened, origin.message)
        if response.replace is not None and origin.message is not None:
            await self.replies.guard(
                "action", self.replies.replace(origin.message, response.replace)
            )
        await self.replies.carry_out("action", response, address, user_id=user_id)

    async def _handle(self, kind: str, event: Event) -> Response | None:
        try:
            response = await self.handler(event)
        except Exception:
            log_failure(log, "slack: %s failed in the core", kind)
            return None
        log.info("slack: %s handled", kind)
        return response
