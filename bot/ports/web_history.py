"""What the web chat keeps of its conversations, so that a restart loses nothing.

The web chat (the local demo and the staff page) holds its conversations in memory to show
them; each change is written here first. Conversations of an ``anon-`` person never are.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from bot.ui import Message

AuthorKind = Literal["bot", "person"]


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
    """A message in a conversation: a root, or a reply in a root's ``thread``."""

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
class Kept:
    """Everything kept, as it was: the entries in order, who is in which team channel."""

    entries: Sequence[Entry]
    members: Sequence[tuple[str, str]]  # (channel, person)


class WebHistory(Protocol):
    async def load(self) -> Kept: ...

    async def add(self, entry: Entry) -> None:
        """Keeps a new entry, committed when this returns."""
        ...

    async def change(self, entry: Entry) -> None:
        """Keeps an entry's new message (an edit)."""
        ...

    async def remove(self, entry_ids: Sequence[str]) -> None:
        """Forgets these entries (a retraction, a trimmed old message); gone ones are skipped."""
        ...

    async def join(self, channel: str, person: str) -> None: ...

    async def leave(self, channel: str, person: str) -> None: ...
