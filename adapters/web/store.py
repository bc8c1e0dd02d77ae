"""The web chat's conversations, kept in memory (adapters never touch the database).

Conversations are ``dm:<user_id>`` (a personal chat with the bot), ``coordinators``
and the team channels: ``team``, which everyone is in, and the channels the configuration
names for the web chat (onboarding, reminders …), which a persona joins and leaves. A
message is a root or a reply in a root's thread; a private message is shown only to one
persona; an uploaded image is kept with its message. Every change is told to the
listeners (the live push).
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Literal

from bot.ui import Message

AuthorKind = Literal["bot", "person"]
COORDINATORS = "coordinators"
OPEN_CHANNEL = "team"  # the team channel everyone is in
MAX_ROOTS_PER_CONVERSATION = 500


def is_personal(name: str) -> bool:
    return name.startswith("dm:") and len(name) > 3


def team_channels(names: Iterable[str]) -> tuple[str, ...]:
    """``team`` first, then each configured name once (never the coordinators or a DM)."""
    wanted = [OPEN_CHANNEL, *(name.strip() for name in names)]
    return tuple(
        dict.fromkeys(n for n in wanted if n and n != COORDINATORS and not n.startswith("dm:"))
    )


@dataclass(frozen=True, slots=True)
class Attachment:
    """An uploaded file (a chart, a case's photo or PDF), served at ``/web/files/<key>``."""

    key: str
    content: bytes
    content_type: str
    alt_text: str
    name: str = ""

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


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
    file: Attachment | None = None


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


@dataclass(frozen=True, slots=True)
class MembersChanged:
    channel: str
    members: tuple[str, ...]


Change = Changed | Removed | HomeChanged | MembersChanged
Listener = Callable[[Change], None]


class Conversations:
    """All messages of the web chat. Not thread-safe; used from the event loop only."""

    def __init__(self, channels: Iterable[str] = ()) -> None:
        # A fresh prefix per process: references stored by the core before a restart
        # never collide with new messages, so updating them fails cleanly.
        self._prefix = secrets.token_hex(3)
        self._counter = itertools.count(1)
        self._entries: dict[str, Entry] = {}
        self._files: dict[str, str] = {}  # attachment key -> entry id
        self._homes: dict[str, Message] = {}
        self._listeners: list[Listener] = []
        self.channels = team_channels(channels)
        self._members: dict[str, set[str]] = {name: set() for name in self.channels}

    def knows(self, name: str) -> bool:
        return name == COORDINATORS or name in self.channels or is_personal(name)

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
        file: Attachment | None = None,
    ) -> Entry:
        if not self.knows(conversation):
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
            file=file,
        )
        self._entries[entry.id] = entry
        if file is not None:
            self._files[file.key] = entry.id
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
            gone = self._entries.pop(doomed_id, None)
            if gone is not None:
                if gone.file is not None:
                    self._files.pop(gone.file.key, None)
                self._tell(Removed(doomed_id))

    def file(self, key: str) -> Attachment | None:
        entry = self._entries.get(self._files.get(key, ""))
        return entry.file if entry is not None else None

    # -- team channels ------------------------------------------------------------------

    def is_member(self, channel: str, persona: str) -> bool:
        return channel == OPEN_CHANNEL or persona in self._members.get(channel, ())

    def members(self, channel: str) -> tuple[str, ...]:
        return tuple(sorted(self._members.get(channel, ())))

    def join(self, channel: str, persona: str) -> bool:
        """True when ``persona`` was not in ``channel`` before (a newcomer)."""
        if self.is_member(channel, persona) or channel not in self._members:
            return False
        self._members[channel].add(persona)
        self._tell(MembersChanged(channel, self.members(channel)))
        return True

    def leave(self, channel: str, persona: str) -> bool:
        if persona not in self._members.get(channel, ()):
            return False
        self._members[channel].discard(persona)
        self._tell(MembersChanged(channel, self.members(channel)))
        return True

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
