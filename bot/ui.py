"""Neutral UI: what dialogs return and adapters render.

Every string in here is plain text. Renderers escape all of it for their surface
(mrkdwn, Adaptive Card markdown, HTML), so no user text can carry markup, and
emphasis is expressed structurally (``Strong``) rather than with markup characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True)
class Strong:
    text: str


@dataclass(frozen=True, slots=True)
class Mention:
    """A person on the same platform, by platform user id; ``name`` for platforms that
    need one to show (Teams), never for anything else."""

    user_id: str
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelMention:
    """Notifies everyone in the channel the message goes to (Slack's ``@channel``): only
    for urgent pages. ``label`` is the plain, translated word shown where a platform has
    no such mention."""

    label: str


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    label: str


Inline = str | Strong | Mention | ChannelMention | Link


@dataclass(frozen=True, slots=True)
class Text:
    """A paragraph. A plain ``str`` part is literal text, even if it looks like markup."""

    parts: Sequence[Inline]

    @classmethod
    def of(cls, *parts: Inline) -> Text:
        return cls(parts)


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    """A block of user-written text, shown apart (a narrative, an answer)."""

    text: str


@dataclass(frozen=True, slots=True)
class Facts:
    """Label/value pairs (category, status, reference)."""

    items: Sequence[tuple[str, str]]


@dataclass(frozen=True, slots=True)
class Person:
    """A known person behind the service: name, role, photo."""

    name: str
    role: str
    photo_url: str | None = None
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Note:
    """Small print under a message (timestamps, hints)."""

    text: str


@dataclass(frozen=True, slots=True)
class Divider:
    pass


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action_id: str
    value: str = ""
    style: Literal["primary", "danger"] | None = None


@dataclass(frozen=True, slots=True)
class LinkButton:
    """A button that opens a page (a case in meldbot's console) and acts on nothing: a
    Slack button with a ``url``, a Teams ``Action.OpenUrl``, a link on the web."""

    label: str
    url: str


@dataclass(frozen=True, slots=True)
class Actions:
    buttons: Sequence[Button | LinkButton]


Block = Text | Heading | Quote | Facts | Person | Note | Divider | Actions


@dataclass(frozen=True, slots=True)
class Message:
    """A message: blocks plus a plain fallback for notifications and screen readers."""

    summary: str
    blocks: Sequence[Block] = ()
    # A thread reply that the whole channel must see too (a page, a clock running out):
    # Slack shows thread replies only in the thread unless asked.
    broadcast: bool = False
    # Part of an anonymous consultation or report: a surface that keeps its own history
    # (the web chat) shows it while it runs and never keeps it, so nothing ties it to the
    # person's chat.
    anonymous: bool = False


@dataclass(frozen=True, slots=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class TextInput:
    id: str
    label: str
    multiline: bool = False
    optional: bool = False
    max_length: int = 3000
    placeholder: str | None = None
    initial: str | None = None
    hint: str | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    label: str
    options: Sequence[Option]
    optional: bool = True
    initial: str | None = None


Field = TextInput | Choice


@dataclass(frozen=True, slots=True)
class Form:
    """A form opened on top of the conversation (modal, card, web form).

    ``state`` travels with the form and comes back on submission; it is input.
    """

    form_id: str
    title: str
    submit_label: str
    fields: Sequence[Field]
    intro: Sequence[Block] = ()
    state: str = ""
    cancel_label: str | None = None  # None: the surface's own word for cancel
    # The language the form is written in: the surface's own words around it
    # ("optional", "no choice") follow it, not the organisation's default.
    language: str = "nl"


@dataclass(slots=True)
class Response:
    """What the core wants done in the context of the event that came in.

    ``messages`` go to the conversation the event came from (for a form, the
    person's personal chat); ``replace`` replaces the message whose button was
    pressed; ``form`` opens a form; ``errors`` keeps a submitted form open with
    per-field messages; ``private`` is shown only to the person who acted (a
    refusal, a hint) and never to the rest of a channel. A button pressed on a
    channel message acts in that message's thread: ``messages`` go there.
    ``result`` is what a submitted form (or, where the surface can, a pressed card)
    shows in its own place, in the answer to this very request (a modal's answer):
    it reaches the person even when the platform's API is failing. What must also
    stay in their chat (a receipt, a code) the core sends through the outbox.
    ``anonymous``: the whole exchange (what the person typed too) belongs to an anonymous
    consultation or report, which a surface that keeps history must not keep.
    """

    messages: list[Message] = field(default_factory=list)
    form: Form | None = None
    replace: Message | None = None
    errors: dict[str, str] = field(default_factory=dict)
    home: Message | None = None
    private: list[Message] = field(default_factory=list)
    result: Message | None = None
    anonymous: bool = False
