"""What the browser receives: conversations as JSON with server-rendered, escaped HTML."""

from __future__ import annotations

from typing import Any

from adapters.web import render
from adapters.web.chrome import Chrome
from adapters.web.hub import Push
from adapters.web.personas import Personas
from adapters.web.store import Change, Changed, Conversations, Entry, Removed
from bot.ui import Message

Json = dict[str, Any]


class Presenter:
    def __init__(self, chrome: Chrome, personas: Personas) -> None:
        self._chrome = chrome
        self._personas = personas

    def entry(self, item: Entry) -> Json:
        return {
            "id": item.id,
            "seq": item.seq,
            "conversation": item.conversation,
            "thread": item.thread,
            "author": item.author_kind,
            "visibleTo": item.visible_to,
            "summary": item.message.summary,  # inserted with textContent only
            "html": render.entry(item, self._chrome, self._personas.name),
        }

    def home(self, persona: str, message: Message) -> Json:
        return {"persona": persona, "html": render.home(message, self._personas.name)}

    def snapshot(self, conversations: Conversations) -> Push:
        return Push(
            "snapshot",
            {
                "messages": [self.entry(item) for item in conversations],
                "homes": [self.home(p, m) for p, m in conversations.homes().items()],
            },
        )

    def change(self, change: Change) -> Push:
        if isinstance(change, Changed):
            return Push("message", self.entry(change.entry))
        if isinstance(change, Removed):
            return Push("remove", {"id": change.entry_id})
        return Push("home", self.home(change.persona, change.message))
