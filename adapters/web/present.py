"""What the browser receives: conversations as JSON with server-rendered, escaped HTML."""

from __future__ import annotations

from typing import Any

from adapters.web import render
from adapters.web.chrome import Chrome
from adapters.web.hub import Push
from adapters.web.personas import Personas
from adapters.web.render import e
from adapters.web.store import (
    Attachment,
    Change,
    Changed,
    Conversations,
    Entry,
    HomeChanged,
    Removed,
)
from bot.attachments.views import size_text
from bot.ui import Message

FILES_PATH = "/web/files/"


def figure(file: Attachment, language: str = "nl") -> str:
    """An uploaded image under its message (its alt text is what a screen reader says),
    or, for a PDF, a link that downloads it."""
    if not file.is_image:
        size = size_text(len(file.content), language)
        return (
            f'<p class="msg__file"><a href="{e(FILES_PATH + file.key)}" download>'
            f"{e(file.name or file.key)}</a> (PDF, {e(size)})</p>"
        )
    return (
        f'<figure class="msg__file"><img src="{e(FILES_PATH + file.key)}" '
        f'alt="{e(file.alt_text)}" loading="lazy"></figure>'
    )


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
            "html": render.entry(item, self._chrome, self._personas.name)
            + (figure(item.file, self._chrome.language) if item.file is not None else ""),
        }

    def home(self, persona: str, message: Message) -> Json:
        return {"persona": persona, "html": render.home(message, self._personas.name)}

    @staticmethod
    def members(channel: str, members: tuple[str, ...]) -> Json:
        return {"channel": channel, "members": list(members)}

    def snapshot(self, conversations: Conversations) -> Push:
        return Push(
            "snapshot",
            {
                "messages": [self.entry(item) for item in conversations],
                "homes": [self.home(p, m) for p, m in conversations.homes().items()],
                "channels": [
                    self.members(channel, conversations.members(channel))
                    for channel in conversations.channels
                ],
            },
        )

    def change(self, change: Change) -> Push:
        if isinstance(change, Changed):
            return Push("message", self.entry(change.entry))
        if isinstance(change, Removed):
            return Push("remove", {"id": change.entry_id})
        if isinstance(change, HomeChanged):
            return Push("home", self.home(change.persona, change.message))
        return Push("members", self.members(change.channel, change.members))
