"""A signed-in person's own conversation with meldbot (``dm:<principal.key>``), in the web
chat's ``Conversations``: what meldbot told them, later feedback too.

Every write the page makes to the conversations is in this module, and only here; each is
committed to the database before it is shown (``Conversations`` writes through).
"""

from __future__ import annotations

from adapters.web.store import Conversations, Entry
from bot.text import filename
from bot.ui import Actions, Button, Message, Response, Text


def conversation_of(key: str) -> str:
    return f"dm:{key}"


class PersonalChat:
    def __init__(self, conversations: Conversations | None) -> None:
        self._conversations = conversations

    def entries(self, key: str) -> list[Entry]:
        """Their conversation, oldest first (replies under their root)."""
        if self._conversations is None:
            return []
        mine = conversation_of(key)
        return [e for e in self._conversations if e.conversation == mine and not e.placeholder]

    def entry_with(self, key: str, entry_id: str, action: str, value: str) -> Entry | None:
        """The entry of their own conversation that shows this very button, or None."""
        entry = self._conversations.get(entry_id) if self._conversations else None
        if entry is None or entry.conversation != conversation_of(key):
            return None
        shown = any(
            isinstance(b, Button) and b.action_id == action and b.value == value
            for block in entry.message.blocks
            if isinstance(block, Actions)
            for b in block.buttons
        )
        return entry if shown else None

    async def said(self, key: str, text: str, files: list[str]) -> None:
        """What the person wrote, as they sent it: the text, then a line per file."""
        if self._conversations is None:
            return
        lines = [text] if text.strip() else []
        lines += [f"📎 {filename(name) or '?'}" for name in files]
        message = Message("\n".join(lines), [Text.of(line) for line in lines])
        await self._conversations.append(conversation_of(key), message, author_kind="person")

    async def record(self, key: str, response: Response, origin: str | None) -> None:
        """What the core said in their chat: into their conversation, as the chat has it."""
        conversations = self._conversations
        if conversations is None:
            return
        mine, keep = conversation_of(key), not response.anonymous
        if response.replace is not None and origin and conversations.get(origin) is not None:
            await conversations.replace(origin, response.replace, keep=keep)
        for message in [*response.messages, *response.private]:
            await conversations.append(mine, message, keep=keep)
