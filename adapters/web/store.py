"""The web chat's conversations, kept in memory (adapters never touch the database).

Conversations are ``dm:<user_id>`` (a personal chat with the bot), ``coordinators``
and ``team``. A message is a root or a reply in a root's thread; a private message is
shown only to one persona. Every change is told to the listeners (the live push).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from bot.ui import Message

AuthorKind = Literal["bot", "person"]
SHARED = frozenset({"coordinators", "team"})
MAX_ROOTS_PER_CONVERSATION = 500


def is_conversation(name: str) -> bool:
    return name in SHARED or (name.startswith("dm:") and len(name) > 3)


@dataclass(frozen=True, slots=True)
class Entry:
    id: str
    seq: int
    conversation: str
    thread: str | None
    author_kind: AuthorKind
    author_name: str
    message: Message
    created: datetime
    visible_to: str | None = None
    edited: bool = False
    placeholder: bool = False


@dataclass(frozen=True, slots=True)
class Changed:
    entry: Entry


@dataclass(frozen=True, slots=True)
class Removed:
    entry_id: str


@dataclass(frozen=True, slots=True)
class HomeChanged:
    persona: str
    message: Message


Change = Changed | Removed | HomeChanged
Listener = Callable[[Change], None]


class Conversations:
    """All messages of the web chat. Not thread-safe; used from the event loop only."""

    def __init__(self) -> None:
        # A fresh prefix per process: references stored by the core before a restart
        # never collide with new messages, so updating them fails cleanly.
        self._prefix = secrets.token_hex(3)
        self._counter = itertools.count(1)
        self._entries: dict[str, Entry] = {}
        self._homes: dict[str, Message] = {}
        self._listeners: list[Listener] = []

    def listen(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _tell(self, change: Change) -> None:
        for listener in self._listeners:
            listener(change)

    def get(self, entry_id: str) -> Entry | None:
        return self._entries.get(entry_id)

    def __iter__(self) -> Iterator[Entry]:
        # Insertion order is creation order (``seq``); replacing keeps a message's place.
        return iter(list(self._entries.values()))

    def replies(self, root_id: str) -> list[Entry]:
        return [entry for entry in self if entry.thread == root_id]

    def append(
        self,
        conversation: str,
        message: Message,
        *,
        thread: str | None = None,
        author_kind: AuthorKind = "bot",
        author_name: str = "",
        visible_to: str | None = None,
        placeholder: bool = False,
        entry_id: str | None = None,
    ) -> Entry:
        if not is_conversation(conversation):
            raise KeyError(conversation)
        seq = next(self._counter)
        entry = Entry(
            id=entry_id or f"{self._prefix}-{seq}",
            seq=seq,
            conversation=conversation,
            thread=thread,
            author_kind=author_kind,
            author_name=author_name,
            message=message,
            created=datetime.now(UTC),
            visible_to=visible_to,
            placeholder=placeholder,
        )
        self._entries[entry.id] = entry
        self._tell(Changed(entry))
        if thread is None:
            self._trim(conversation)
        return entry

    def replace(self, entry_id: str, message: Message) -> Entry:
        entry = replace(self._entries[entry_id], message=message, edited=True)
        self._entries[entry_id] = entry
        self._tell(Changed(entry))
        return entry

    def remove(self, entry_id: str) -> None:
        doomed = [entry_id, *(reply.id for reply in self.replies(entry_id))]
        for doomed_id in doomed:
            if self._entries.pop(doomed_id, None) is not None:
                self._tell(Removed(doomed_id))

    def home(self, persona: str) -> Message | None:
        return self._homes.get(persona)

    def homes(self) -> dict[str, Message]:
        return dict(self._homes)

    def set_home(self, persona: str, message: Message) -> None:
        self._homes[persona] = message
        self._tell(HomeChanged(persona, message))

    def _trim(self, conversation: str) -> None:
        roots = [e for e in self if e.conversation == conversation and e.thread is None]
        for old in roots[: max(0, len(roots) - MAX_ROOTS_PER_CONVERSATION)]:
            self.remove(old.id)
