"""Modal submissions (reports): answered within Slack's 3 s, never confirmed before the commit.

The core commits a report before it answers. Usually that takes milliseconds and the
answer closes or replaces the modal as before. When it takes longer (a burst of reports,
a busy database) the modal is acked at ``DEADLINE`` with a view saying the report is being
saved, and the core's answer follows when it comes: in the modal while it is open, and the
confirmation (a receipt, a code) in the person's DM, through the outbox as always.
"""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from adapters.slack import inbound, render
from adapters.slack.replies import Replies
from bot.events import FormSubmitted, MessageRef
from bot.ports import DeliveryError, Handler
from bot.recent import Recent
from bot.ui import Message, Response, Text

log = logging.getLogger(__name__)
# meldbot's own form ids ("report", "case.close"); anything else a request claims is not
# repeated in the log, where it could carry text.
FORM_NAME = re.compile(r"[a-z_.]{1,40}")

DEADLINE = 2.0  # seconds: well under Slack's 3 s, with room for the way back
Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class FormWords:
    """What the modal and the DM say when saving is slow or fails (translated)."""

    saving: str
    try_again: str
    not_saved: str


def said(words: str) -> Message:
    return Message(words, [Text.of(words)])


class FormSubmissions:
    def __init__(
        self,
        handler: Handler,
        replies: Replies,
        openers: Recent[MessageRef],
        words: FormWords,
        deadline: float = DEADLINE,
    ) -> None:
        self.handler = handler
        self.replies = replies
        self.openers = openers
        self.words = words
        self.deadline = deadline
        self._late: set[asyncio.Task[None]] = set()

    async def on_view_submission(self, ack: AsyncAck, body: Body) -> None:
        submitted = inbound.form_submitted(body)
        view_id = inbound.view_id(body)
        work = asyncio.ensure_future(self.handler(submitted))
        done, _ = await asyncio.wait({work}, timeout=self.deadline)
        if not done:
            saving = render.result_view(said(self.words.saving), self.replies.note)
            await ack(response_action="update", view=saving)
            log.info("slack: form still being saved after its ack (%s)", _named(submitted.form_id))
            late = asyncio.create_task(self._finish_late(work, submitted, view_id))
            self._late.add(late)
            late.add_done_callback(self._late.discard)
            return
        try:
            response = work.result()
        except Exception:
            log.error("slack: form submission failed in the core (%s)", _named(submitted.form_id))
            await self._refuse(ack, submitted)
            return
        await self._answer(ack, response, submitted, view_id)
        await self._carry_out(response, submitted, view_id)

    async def _refuse(self, ack: AsyncAck, submitted: FormSubmitted) -> None:
        """Nothing was stored: the modal stays open with what was typed, and says so."""
        if submitted.values:
            first = next(iter(submitted.values))
            await ack(response_action="errors", errors={first: self.words.try_again})
        else:
            view = render.result_view(said(self.words.try_again), self.replies.note)
            await ack(response_action="update", view=view)

    async def _answer(
        self, ack: AsyncAck, response: Response, submitted: FormSubmitted, view_id: str | None
    ) -> None:
        if response.errors:
            await ack(response_action="errors", errors=dict(response.errors))
            log.info("slack: form returned with errors (%s)", _named(submitted.form_id))
        elif response.form is not None:
            view = render.modal_view(response.form, self.replies.note)
            await ack(response_action="update", view=view)
            log.info("slack: form replaced (%s)", _named(submitted.form_id))
        elif response.result is not None:
            # The answer to this very request: it reaches the person even while Slack's
            # Web API is failing (the chat copy follows through the outbox).
            view = render.result_view(response.result, self.replies.note)
            await ack(response_action="update", view=view)
            log.info("slack: form answered in place (%s)", _named(submitted.form_id))
        else:
            await ack()
            log.info("slack: form submitted (%s)", _named(submitted.form_id))

    async def _finish_late(
        self, work: asyncio.Future[Response], submitted: FormSubmitted, view_id: str | None
    ) -> None:
        try:
            response = await work
        except Exception:
            log.error("slack: form submission failed in the core (%s)", _named(submitted.form_id))
            await self._tell(submitted, self.words.not_saved)
            return
        if response.errors:
            # The modal already closed its fields: the person hears it in the DM.
            await self._tell(
                submitted, "\n".join([self.words.not_saved, *response.errors.values()])
            )
            return
        if view_id is not None and response.form is not None:
            await self.replies.guard("form", self.replies.update_form(view_id, response.form))
        elif view_id is not None and response.result is not None:
            await self.replies.guard("form", self.replies.show_result(view_id, response.result))
        log.info("slack: form answered after its ack (%s)", _named(submitted.form_id))
        await self._carry_out(response, submitted, view_id)

    async def _carry_out(
        self, response: Response, submitted: FormSubmitted, view_id: str | None
    ) -> None:
        if response.errors:
            return
        opener = self.openers.get(view_id)
        if response.form is None:
            self.openers.forget(view_id)
        if response.replace is not None and opener is not None:
            # The message whose button opened this form, as for a button press.
            await self.replies.guard("form", self.replies.replace(opener, response.replace))
        await self.replies.carry_out("form", response, None, user_id=submitted.actor.user_id)

    async def _tell(self, submitted: FormSubmitted, words: str) -> None:
        user_id = submitted.actor.user_id
        try:
            address = await self.replies.messenger.personal_address(user_id)
        except DeliveryError as error:
            log.error("slack: form reply failed (%s)", error)
            return
        await self.replies.guard("form", self.replies.post(address, [said(words)]))

    async def settle(self) -> None:
        """Until every answer that came after its ack has been carried out."""
        while self._late:
            await asyncio.gather(*self._late, return_exceptions=True)


def _named(form_id: str) -> str:
    return form_id if FORM_NAME.fullmatch(form_id) else "other"
