"""Neutral inbound events: what an adapter makes of a platform payload.

Dialogs see only these, never Slack or Teams JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

Platform = Literal["slack", "teams", "web"]
# User ids of anonymous visitors of the staff page: a random id that lives in its forms only.
EPHEMERAL_PREFIX = "anon-"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind an event, as the platform names them."""

    platform: Platform
    user_id: str
    name: str | None = None

    @property
    def key(self) -> str:
        """How the audit log and a case's handler name them: unique across platforms."""
        return f"{self.platform}:{self.user_id}"

    @property
    def display(self) -> str:
        return self.name or self.user_id

    @property
    def ephemeral(self) -> bool:
        """A visitor of the staff page who did not sign in: nobody to reach, nothing kept."""
        return self.platform == "web" and self.user_id.startswith(EPHEMERAL_PREFIX)


@dataclass(frozen=True, slots=True)
class Address:
    """Where a message goes: a conversation, optionally a thread inside it."""

    platform: Platform
    conversation: str
    thread: str | None = None
    personal: bool = False


@dataclass(frozen=True, slots=True)
class MessageRef:
    """A message the platform has accepted; enough to update it or reply under it."""

    platform: Platform
    conversation: str
    message_id: str

    def thread(self) -> Address:
        return Address(self.platform, self.conversation, thread=self.message_id)


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A file that came with a message, as the adapter received it: all of it is input.

    The core decides what it is from the bytes, never from ``name`` or ``declared_type``.
    """

    name: str  # as the platform named it (cleaned before use)
    declared_type: str  # the platform's MIME type: never trusted
    size: int  # bytes (declared, or read)
    # None when the adapter did not fetch it (see ``problem``); never in a repr or a log.
    content: bytes | None = field(repr=False)
    problem: Literal["too_large", "unavailable"] | None = None


@dataclass(frozen=True, slots=True)
class MessageReceived:
    """Free text typed by a person, in a personal chat or a channel, maybe with files."""

    actor: Actor
    address: Address
    text: str
    files: tuple[IncomingFile, ...] = ()


@dataclass(frozen=True, slots=True)
class ActionInvoked:
    """A button was pressed. ``value`` is input, never proof of anything."""

    actor: Actor
    address: Address
    action_id: str
    value: str = ""
    message: MessageRef | None = None


@dataclass(frozen=True, slots=True)
class FormSubmitted:
    """A form (Slack modal, Teams card, web form) was submitted."""

    actor: Actor
    form_id: str
    values: Mapping[str, str | None] = field(default_factory=dict)
    state: str = ""
    # The same rendered form submitted again (a replay, or a resubmission after an error the
    # person saw) carries the same key, so what it stores is stored once.
    key: str | None = None


@dataclass(frozen=True, slots=True)
class CommandInvoked:
    """A slash command, a shortcut or a menu entry asked for a capability."""

    actor: Actor
    address: Address
    command: Literal["report", "menu"]
    text: str = ""


@dataclass(frozen=True, slots=True)
class HomeOpened:
    """The person opened the bot's home (Slack App Home)."""

    actor: Actor


@dataclass(frozen=True, slots=True)
class MembersJoined:
    """People, or meldbot itself, joined a team or channel (onboarding greets newcomers).

    ``actor`` is whoever the platform names as the cause; ``members`` are the newcomers.
    """

    actor: Actor
    address: Address
    members: tuple[Actor, ...] = ()
    team: str | None = None
    bot_added: bool = False


Event = (
    MessageReceived | ActionInvoked | FormSubmitted | CommandInvoked | HomeOpened | MembersJoined
)
