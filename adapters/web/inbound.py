"""From what a person does in a pane to a neutral event, and the core's Response back.

Which persona may act where is checked here; whether they may *do* it (claim a case …)
is the core's decision, because a button press is input, never proof.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.web import forms
from adapters.web.chrome import Chrome
from adapters.web.forms import HOME, OpenForm, OpenForms
from adapters.web.personas import Pane, Persona, Personas
from adapters.web.store import COORDINATORS, OPEN_CHANNEL, Conversations, Entry
from bot.attachments.views import size_text
from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    Event,
    FormSubmitted,
    HomeOpened,
    IncomingFile,
    MembersJoined,
    MessageReceived,
    MessageRef,
)
from bot.observability.logs import log_failure
from bot.ports import Handler
from bot.text import MESSAGE_MAX, NARRATIVE_MAX, filename
from bot.ui import Actions, Button, Form, Message, Response, Text

log = logging.getLogger(__name__)

# The same limits the core applies: a story in the personal chat, a message in a channel.
TEXT_LIMITS: dict[Pane, int] = {
    "chat": NARRATIVE_MAX,
    "coordinators": MESSAGE_MAX,
    "team": MESSAGE_MAX,
}
Json = dict[str, Any]


class Refused(Exception):
    """A request the web chat will not pass on; ``message`` is shown to the person."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _has_button(message: Message | None, action_id: str, value: str) -> bool:
    if message is None:
        return False
    return any(
        isinstance(button, Button) and button.action_id == action_id and button.value == value
        for block in message.blocks
        if isinstance(block, Actions)
        for button in block.buttons
    )


class Dispatcher:
    def __init__(
        self,
        conversations: Conversations,
        personas: Personas,
        handler: Handler,
        chrome: Chrome,
    ) -> None:
        self._conversations = conversations
        self._personas = personas
        self._handler = handler
        self._chrome = chrome
        self._forms = OpenForms()

    # -- what a person can do ---------------------------------------------------------

    async def text(
        self,
        pane: Pane,
        persona_id: str,
        text: str,
        thread: str | None,
        channel: str | None = None,
        files: Sequence[IncomingFile] = (),
    ) -> Json:
        """What a person typed, with the files they added (in their own chat only)."""
        person = self._persona(pane, persona_id)
        limit = TEXT_LIMITS[pane]
        if len(text) > limit:
            raise Refused(400, self._chrome("error_text_too_long", length=len(text), limit=limit))
        if files and pane != "chat":
            raise Refused(400, self._chrome("error_files_here"))
        if not text.strip() and not files:
            raise Refused(400, self._chrome("error_text_empty"))
        address = self._text_address(pane, person, thread, channel or OPEN_CHANNEL)
        # Its place is taken now; it is shown once the core took it (when the core fails
        # the text stays in the browser's input), and kept unless the exchange is anonymous.
        mine = self._conversations.draft(
            address.conversation,
            self._own_message(text, files),
            thread=address.thread,
            author_kind="person",
            author_name=person.name,
        )
        received = MessageReceived(self._actor(person), address, text, tuple(files))
        response = await self._call(received)
        await self._conversations.add(mine, keep=not response.anonymous)
        return await self._apply(response, pane, person, address, origin=None)

    async def action(
        self, pane: Pane, persona_id: str, message_id: str | None, action_id: str, value: str
    ) -> Json:
        person = self._persona(pane, persona_id)
        if message_id is None:  # a home button, at the top of the chat pane
            if pane != "chat" or not _has_button(
                self._conversations.home(person.id), action_id, value
            ):
                raise Refused(409, self._chrome("error_stale"))
            address = self._dm(person)
            event = ActionInvoked(self._actor(person), address, action_id, value, None)
            return await self._apply(await self._call(event), pane, person, address, origin=HOME)
        entry = self._conversations.get(message_id)
        if (
            entry is None
            or not self._sees(pane, person, entry.conversation)
            or entry.visible_to not in (None, person.id)
            or not _has_button(entry.message, action_id, value)
        ):
            raise Refused(409, self._chrome("error_stale"))
        address = self._entry_address(entry)
        ref = MessageRef("web", entry.conversation, entry.id)
        event = ActionInvoked(self._actor(person), address, action_id, value, ref)
        return await self._apply(await self._call(event), pane, person, address, origin=entry.id)

    async def submit(self, token: str, answers: Mapping[str, object]) -> Json:
        opened = self._forms.take(token)
        if opened is None:
            raise Refused(410, self._chrome("error_form_gone"))
        person = self._persona(opened.pane, opened.persona)
        raw = {key: value if isinstance(value, str) else "" for key, value in answers.items()}
        values, errors = forms.check(opened.form, raw, self._chrome)
        if errors:
            self._forms.put_back(opened)
            return self._form_refused(opened, raw, errors)
        form = opened.form  # its token names this opened form: sent again, it is the same
        key = f"web:{opened.token}:{form.form_id}"
        event = FormSubmitted(self._actor(person), form.form_id, values, form.state, key)
        try:
            response = await self._call(event)
        except Refused:
            self._forms.put_back(opened)
            raise
        if response.errors:
            self._forms.put_back(opened)
            return self._form_refused(opened, raw, response.errors)
        result = await self._apply(response, opened.pane, person, self._dm(person), opened.origin)
        return {**result, "closeForm": True}

    async def home(self, persona_id: str) -> Json:
        person = self._persona("chat", persona_id)
        response = await self._call(HomeOpened(self._actor(person)))
        return await self._apply(response, "chat", person, self._dm(person), origin=HOME)

    async def join(self, persona_id: str, channel: str) -> Json:
        """Joins a team channel; a newcomer there is news for the core (onboarding)."""
        person = self._persona("team", persona_id)
        self._channel(channel)
        if not await self._conversations.join(channel, person.id):
            return {"ok": True, "joined": False}
        actor = self._actor(person)
        event = MembersJoined(actor, Address("web", channel), (actor,), team=channel)
        result = await self._apply(await self._call(event), "team", person, self._dm(person), None)
        return {**result, "joined": True}

    async def leave(self, persona_id: str, channel: str) -> Json:
        person = self._persona("team", persona_id)
        self._channel(channel)
        return {"ok": True, "left": await self._conversations.leave(channel, person.id)}

    # -- helpers ------------------------------------------------------------------------

    def _own_message(self, text: str, files: Sequence[IncomingFile]) -> Message:
        """The person's message as they sent it: the text, then a line per file."""
        lines = [
            self._chrome(
                "file_line",
                name=filename(f.name) or "?",
                size=size_text(f.size, self._chrome.language),
            )
            for f in files
        ]
        blocks = [Text.of(line) for line in ([text] if text.strip() else []) + lines]
        return Message(text if text.strip() else "\n".join(lines), tuple(blocks))

    async def _call(self, event: Event) -> Response:
        try:
            return await self._handler(event)
        except Exception:
            # No user text or name in the log line: only what kind of event failed.
            log_failure(log, "web chat: the core failed on a %s", type(event).__name__)
            raise Refused(500, self._chrome("error_handler")) from None

    async def _apply(
        self, response: Response, pane: Pane, person: Persona, address: Address, origin: str | None
    ) -> Json:
        conversations = self._conversations
        keep = not response.anonymous
        if response.anonymous and address.personal:
            await conversations.unkeep_written(address.conversation)
        if response.replace is not None and origin is not None:
            if origin == HOME:
                await conversations.set_home(person.id, response.replace)
            elif conversations.get(origin) is not None:
                await conversations.replace(origin, response.replace, keep=keep)
        for message in response.messages:
            await conversations.append(
                address.conversation, message, thread=address.thread, keep=keep
            )
        private_to = None if address.personal else person.id
        for message in response.private:
            await conversations.append(
                address.conversation,
                message,
                thread=address.thread,
                visible_to=private_to,
                keep=keep,
            )
        if response.home is not None:
            await conversations.set_home(person.id, response.home)
        result: Json = {"ok": True}
        if response.form is not None:
            result["form"] = self._open_form(response.form, pane, person, origin)
        return result

    def _open_form(self, form: Form, pane: Pane, person: Persona, origin: str | None) -> Json:
        opened = self._forms.open(form, pane, person.id, origin)
        return {
            "token": opened.token,
            "html": forms.html(opened, self._chrome, self._personas.name),
        }

    def _form_refused(
        self, opened: OpenForm, raw: Mapping[str, str], errors: Mapping[str, str]
    ) -> Json:
        html = forms.html(opened, self._chrome, self._personas.name, raw, errors)
        return {"ok": False, "form": {"token": opened.token, "html": html}}

    def _persona(self, pane: Pane, persona_id: str) -> Persona:
        person = self._personas.get(pane, persona_id)
        if person is None:
            raise Refused(400, self._chrome("error_persona"))
        return person

    @staticmethod
    def _actor(person: Persona) -> Actor:
        return Actor("web", person.id, person.name)

    @staticmethod
    def _dm(person: Persona) -> Address:
        return Address("web", f"dm:{person.id}", personal=True)

    def _channel(self, channel: str) -> None:
        if channel not in self._conversations.channels:
            raise Refused(404, self._chrome("error_channel"))

    def _sees(self, pane: Pane, person: Persona, conversation: str) -> bool:
        """Their own chat, the coordinator channel, or a team channel they are in."""
        if pane == "chat":
            return conversation == f"dm:{person.id}"
        if pane == "coordinators":
            return conversation == COORDINATORS
        return conversation in self._conversations.channels and self._conversations.is_member(
            conversation, person.id
        )

    def _text_address(
        self, pane: Pane, person: Persona, thread: str | None, channel: str
    ) -> Address:
        if pane == "chat":
            return self._dm(person)
        conversation = COORDINATORS if pane == "coordinators" else channel
        if pane == "team":
            self._channel(channel)
            if not self._conversations.is_member(channel, person.id):
                raise Refused(403, self._chrome("error_not_member"))
        if thread is None:
            return Address("web", conversation)
        root = self._conversations.get(thread)
        if root is None or root.conversation != conversation or root.thread is not None:
            raise Refused(409, self._chrome("error_stale"))
        return Address("web", conversation, thread=root.id)

    @staticmethod
    def _entry_address(entry: Entry) -> Address:
        if entry.conversation.startswith("dm:"):
            return Address("web", entry.conversation, personal=True)
        # A button in a channel acts inside that message's thread (the case's thread).
        return Address("web", entry.conversation, thread=entry.thread or entry.id)
