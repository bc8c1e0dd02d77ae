"""One Teams turn: an activity in, the core asked, its answer carried out.

Teams waits at most 15 s for an answer. A card action needs its card back in the
answer, so the core is asked at once (it is quick) but never waited on for more than
``INVOKE_BUDGET``; everything else the core says is sent after the HTTP answer.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from microsoft_agents.activity import Activity, InvokeResponse
from microsoft_agents.hosting.core import TurnContext

from adapters.teams import inbound, payloads, render
from adapters.teams.directory import Directory
from adapters.teams.files import TeamsFiles, listed
from adapters.teams.messenger import TeamsMessenger
from adapters.teams.newcomers import Newcomers
from adapters.teams.replies import Replies
from bot.events import Event, MembersJoined
from bot.i18n import N_, Translator
from bot.ports import Handler
from bot.recent import Recent
from bot.ui import Response

log = logging.getLogger(__name__)

CARD_ACTION = "adaptiveCard/action"
INVOKE_BUDGET = 8.0
CLOSED = N_("Closed")
CLOSED_NOTE = N_("This form is closed; nothing more was sent.")
STILL_BUSY = N_("One moment: this is taking longer than usual. You will get a message here.")
NOT_OURS = N_("This button no longer works. Type 'menu' to start again.")


class Turns:
    """Implements the Agents SDK's ``Agent`` protocol (``on_turn``)."""

    def __init__(
        self,
        handler: Handler,
        messenger: TeamsMessenger,
        directory: Directory,
        cards: Recent[dict[str, Any]],
        replies: Replies,
        t: Translator,
        bot_id: str,
        newcomers: Newcomers | None = None,
        files: TeamsFiles | None = None,
    ) -> None:
        self._handler = handler
        self._messenger = messenger
        self._directory = directory
        self._cards = cards
        self._replies = replies
        self._t = t
        self._bot_id = bot_id
        self._newcomers = newcomers
        self._files = files
        self.invoke_budget = INVOKE_BUDGET
        self._later: set[asyncio.Task[None]] = set()
        # The newest message's work per conversation: the next one waits for it, so what a
        # person sends is handled in the order they sent it (their draft, their answers).
        self._newest: dict[str, asyncio.Task[None]] = {}

    async def on_turn(self, context: TurnContext) -> None:
        activity = context.activity
        try:
            await self._directory.learn(activity)
        except Exception as error:
            # The type only: a database error's text can carry the ids it was storing.
            log.error("teams: conversation reference not kept (%s)", type(error).__name__)
        match activity.type:
            case "message":
                self._on_message(activity)
            case "invoke" if activity.name == CARD_ACTION:
                await self._on_card_action(context, activity)
            case "invoke":
                # An invoke always gets an answer: without one the SDK answers 501.
                await _answer(context, _message_body(self._t(NOT_OURS)))
            case "conversationUpdate":
                self._on_members(activity)
            case _:
                log.debug("teams: %s activity ignored", activity.type)

    def _on_message(self, activity: Activity) -> None:
        if activity.value is not None:  # a card's Action.Submit fallback
            action = payloads.parse(activity.value)
            event = inbound.card_event(activity, action) if action is not None else None
        elif self._files is not None and listed(activity) and inbound.address(activity).personal:
            work = self._with_files(self._files, activity)
            self._run_later("message with files", work, after=_conversation(activity))
            return
        else:
            event = inbound.typed(activity)
        if event is not None:
            work = self._handle_and_deliver(event, activity)
            self._run_later("message", work, after=_conversation(activity))

    async def _on_card_action(self, context: TurnContext, activity: Activity) -> None:
        value = activity.value if isinstance(activity.value, dict) else {}
        action_value = value.get("action")
        data = action_value.get("data") if isinstance(action_value, dict) else None
        action = payloads.parse(data)
        shown = activity.reply_to_id
        if action is None:
            await _answer(context, _message_body(self._t(NOT_OURS)))
            return
        if isinstance(action, payloads.FormCancelled):
            closed = self._cards.get(shown) or render.closed_form_card(
                self._t(CLOSED), self._t(CLOSED_NOTE)
            )
            await _answer(context, _card_body(closed))
            return
        event = inbound.card_event(activity, action)
        if event is None:
            await _answer(context, _message_body(self._t(NOT_OURS)))
            return
        asked = asyncio.ensure_future(self._ask(event))
        try:
            response = await asyncio.wait_for(asyncio.shield(asked), self.invoke_budget)
        except TimeoutError:
            # The core keeps going (a report may be being stored); its answer comes later.
            self._run_later("slow card action", self._deliver_when_done(asked, event, activity))
            await _answer(context, _message_body(self._t(STILL_BUSY)))
            return
        if response is None:
            await _answer(context, _message_body(self._t(NOT_OURS)))
            return
        card, toast = self._replies.invoke_answer(response, event, shown)
        await _answer(context, _card_body(card) if card is not None else _message_body(toast))
        self._run_later(
            "card action", self._replies.deliver(response, event, activity, answered=True)
        )

    def _on_members(self, activity: Activity) -> None:
        event = inbound.members_joined(activity, self._bot_id)
        if event is None:
            return
        if event.bot_added and event.team:
            self._run_later("team channels", self._record_channels(event.team))
        self._run_later("members", self._welcome(event, activity))

    async def _welcome(self, event: MembersJoined, activity: Activity) -> None:
        """Newcomers of an onboarding team need a personal chat before the core can greet them."""
        if self._newcomers is not None and self._newcomers.expected(event):
            await self._newcomers.open_chats(activity, event)
        await self._handle_and_deliver(event, activity)

    async def _record_channels(self, team_id: str) -> None:
        channels = await self._messenger.channels_of(team_id)
        await self._directory.record_channels(team_id, channels)
        log.info("teams: a team with %d channels recorded", len(channels))

    async def _with_files(self, files: TeamsFiles, activity: Activity) -> None:
        """After the HTTP answer: fetched files (or why not) go to the core with the text."""
        event = inbound.with_files(activity, await files.fetch(activity))
        await self._handle_and_deliver(event, activity)

    async def _handle_and_deliver(self, event: Event, activity: Activity) -> None:
        response = await self._ask(event)
        if response is not None:
            await self._replies.deliver(response, event, activity, answered=False)

    async def _deliver_when_done(
        self, asked: asyncio.Future[Response | None], event: Event, activity: Activity
    ) -> None:
        response = await asked
        if response is not None:
            await self._replies.deliver(response, event, activity, answered=False)

    async def _ask(self, event: Event) -> Response | None:
        try:
            return await self._handler(event)
        except Exception as error:
            log.error(
                "teams: %s failed in the core (%s)", type(event).__name__, type(error).__name__
            )
            return None

    def _run_later(self, what: str, work: Any, *, after: str | None = None) -> None:
        """``work`` after the HTTP answer; with ``after`` (a conversation), after the work
        of that conversation's earlier messages."""
        earlier = self._newest.get(after) if after else None

        async def guarded() -> None:
            if earlier is not None:
                await asyncio.wait([earlier])  # its failure is its own
            try:
                await work
            except Exception as error:
                log.error("teams: %s failed (%s)", what, type(error).__name__)

        task = asyncio.get_running_loop().create_task(guarded())
        self._later.add(task)
        task.add_done_callback(self._later.discard)
        if after:
            self._newest[after] = task
            task.add_done_callback(lambda done: self._forget(after, done))

    def _forget(self, conversation: str, done: asyncio.Task[None]) -> None:
        if self._newest.get(conversation) is done:
            del self._newest[conversation]

    async def settle(self) -> None:
        """Waits for the work begun after earlier answers (tests, and a clean stop)."""
        while self._later:
            await asyncio.gather(*list(self._later), return_exceptions=True)


def _conversation(activity: Activity) -> str:
    return str(activity.conversation.id) if activity.conversation else ""


async def _answer(context: TurnContext, body: dict[str, Any]) -> None:
    await context.send_activity(
        Activity(type="invokeResponse", value=InvokeResponse(status=200, body=body))
    )


def _card_body(card: dict[str, Any]) -> dict[str, Any]:
    return {"statusCode": 200, "type": render.CARD_CONTENT_TYPE, "value": card}


def _message_body(text: str) -> dict[str, Any]:
    return {"statusCode": 200, "type": "application/vnd.microsoft.activity.message", "value": text}
