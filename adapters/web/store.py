"""The web chat's conversations: served from memory, kept in the database.

Conversations are ``dm:<user_id>`` (a personal chat with the bot), ``coordinators``
and the team channels: ``team``, which everyone is in, and the channels the configuration
names for the web chat (onboarding, reminders …), which a persona joins and leaves. A
message is a root or a reply in a root's thread; a private message is shown only to one
persona; an uploaded image is kept with its message.

Every change is written to the ``WebHistory`` port first and only then told to the
listeners (the live push), so a page never shows what a restart would lose; ``load``
brings it all back at start. Not kept: the home views (made again whenever a page opens
them), anything of an anonymous exchange (shown while meldbot runs, then gone), and
anything about an ``anon-`` person, which is not even held in memory.
"""

from __future__ import annotations

import itertools
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from bot.events import EPHEMERAL_PREFIX
from bot.ports import WebHistory
from bot.ports.web_history import Attachment, AuthorKind, Entry
from bot.ui import Message, Quote

__all__ = ["Attachment", "AuthorKind", "Conversations", "Entry"]

COORDINATORS = "coordinators"
OPEN_CHANNEL = "team"  # the team channel everyone is in
MAX_ROOTS_PER_CONVERSATION = 500


def ephemeral(user_id: str | None) -> bool:
    """An anonymous visitor: nothing about them is kept, in memory or anywhere."""
    return user_id is not None and user_id.startswith(EPHEMERAL_PREFIX)


def is_personal(name: str) -> bool:
    return name.startswith("dm:") and len(name) > 3 and not ephemeral(name[3:])


def team_channels(names: Iterable[str]) -> tuple[str, ...]:
    """``team`` first, then each configured name once (never the coordinators or a DM)."""
    wanted = [OPEN_CHANNEL, *(name.strip() for name in names)]
    return tuple(
        dict.fromkeys(n for n in wanted if n and n != COORDINATORS and not n.startswith("dm:"))
    )


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
    """All messages of the web chat. Not thread-safe; used from the event loop only.

    Reads come from memory; the writes are ``async``: they are committed (``history``)
    before anyone is told. Without a history nothing outlives the process (tests)."""

    def __init__(self, channels: Iterable[str] = (), history: WebHistory | None = None) -> None:
        self._history = history
        # A prefix per process: ids stay unique across restarts and instances.
        self._prefix = secrets.token_hex(6)
        self._counter = itertools.count(1)
        self._entries: dict[str, Entry] = {}
        self._kept: set[str] = set()  # ids of the entries the history holds
        self._files: dict[str, str] = {}  # attachment key -> entry id
        self._homes: dict[str, Message] = {}
        self._listeners: list[Listener] = []
        self.channels = team_channels(channels)
        self._members: dict[str, set[str]] = {name: set() for name in self.channels}

    async def load(self) -> None:
        """What the history kept, in its order; before any page is served."""
        if self._history is None:
            return
        kept = await self._history.load()
        for entry in kept.entries:
            self._entries[entry.id] = entry
            self._kept.add(entry.id)
            if entry.file is not None:
                self._files[entry.file.key] = entry.id
        last = max((entry.seq for entry in kept.entries), default=0)
        self._counter = itertools.count(last + 1)  # new messages come after the kept ones
        for channel, person in kept.members:
            if channel in self._members:  # a channel no longer configured is not shown
                self._members[channel].add(person)

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

    def draft(
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
        """A new entry with its place in the order, not yet added (``add``): what a person
        typed is shown once the core has taken it, in the place where they typed it."""
        if not self.knows(conversation) or ephemeral(visible_to):
            raise KeyError(conversation)
        seq = next(self._counter)
        return Entry(
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

    async def add(self, entry: Entry, *, keep: bool = True) -> Entry:
        """Shows ``entry``; kept first unless ``keep`` is False or its message is anonymous."""
        if keep and not entry.message.anonymous and self._history is not None:
            await self._history.add(entry)
            self._kept.add(entry.id)
        self._entries[entry.id] = entry
        if entry.file is not None:
            self._files[entry.file.key] = entry.id
        self._tell(Changed(entry))
        if entry.thread is None:
            await self._trim(entry.conversation)
        return entry

    async def append(
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
        keep: bool = True,
    ) -> Entry:
        entry = self.draft(
            conversation,
            message,
            thread=thread,
            author_kind=author_kind,
            author_name=author_name,
            visible_to=visible_to,
            placeholder=placeholder,
            entry_id=entry_id,
            file=file,
        )
        return await self.add(entry, keep=keep)

    async def replace(self, entry_id: str, message: Message, *, keep: bool = True) -> Entry:
        entry = replace(self._entries[entry_id], message=message, edited=True)
        if entry_id in self._kept and self._history is not None:
            if keep and not message.anonymous:
                await self._history.change(entry)
            else:  # now part of an anonymous exchange: shown, no longer kept
                await self._history.remove([entry_id])
                self._kept.discard(entry_id)
        self._entries[entry_id] = entry
        self._tell(Changed(entry))
        return entry

    async def unkeep_written(self, conversation: str) -> None:
        """What the person wrote in this chat (typed, or quoted back to them) stays shown
        but is no longer kept: an anonymous route carries it along (a draft), so it must
        not stay tied to them."""
        typed = [
            e.id
            for e in self
            if e.conversation == conversation
            and e.id in self._kept
            and (e.author_kind == "person" or any(isinstance(b, Quote) for b in e.message.blocks))
        ]
        if typed and self._history is not None:
            await self._history.remove(typed)
        self._kept.difference_update(typed)

    async def remove(self, entry_id: str) -> None:
        doomed = [entry_id, *(reply.id for reply in self.replies(entry_id))]
        kept = [one for one in doomed if one in self._kept]
        if kept and self._history is not None:
            await self._history.remove(kept)
        self._kept.difference_update(kept)
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

    async def join(self, channel: str, persona: str) -> bool:
        """True when ``persona`` was not in ``channel`` before (a newcomer)."""
        if self.is_member(channel, persona) or channel not in self._members:
            return False
        if ephemeral(persona):
            return False
        if self._history is not None:
            await self._history.join(channel, persona)
        self._members[channel].add(persona)
        self._tell(MembersChanged(channel, self.members(channel)))
        return True

    async def leave(self, channel: str, persona: str) -> bool:
        if persona not in self._members.get(channel, ()):
            return False
        if self._history is not None:
            await self._history.leave(channel, persona)
        self._members[channel].discard(persona)
        self._tell(MembersChanged(channel, self.members(channel)))
        return True

    def home(self, persona: str) -> Message | None:
        return self._homes.get(persona)

    def homes(self) -> dict[str, Message]:
        return dict(self._homes)

    async def set_home(self, persona: str, message: Message) -> None:
        """Held in memory only: a page opens the home anew each time it is shown."""
        if ephemeral(persona):
            return
        self._homes[persona] = message
        self._tell(HomeChanged(persona, message))

    async def _trim(self, conversation: str) -> None:
        roots = [e for e in self if e.conversation == conversation and e.thread is None]
        for old in roots[: max(0, len(roots) - MAX_ROOTS_PER_CONVERSATION)]:
            await self.remove(old.id)
