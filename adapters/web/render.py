"""Neutral UI → HTML, on the server. Every string from the core or a user is escaped here.

Nothing in a ``bot.ui`` value is markup: a ``str`` that looks like ``<script>`` is shown
as those characters. Only structure (``Strong``, ``Link``, ``Quote`` …) becomes tags.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from html import escape
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from adapters.web.chrome import Chrome
from adapters.web.store import Entry
from bot.ui import (
    Actions,
    Block,
    ChannelMention,
    Divider,
    Facts,
    Heading,
    Inline,
    LinkButton,
    Mention,
    Message,
    Note,
    Person,
    Quote,
    Strong,
    Text,
)

NameOf = Callable[[str], str | None]
TIMEZONE = ZoneInfo("Europe/Amsterdam")


def e(value: str) -> str:
    """Escape text for element content and quoted attribute values alike."""
    return escape(value, quote=True)


def _lines(value: str) -> str:
    """Escaped text with its line breaks kept."""
    return "<br>".join(e(line) for line in value.splitlines() or [""])


def safe_url(url: str) -> str | None:
    """The URL when it is plain http(s) with a host, else None (no javascript:, data: …)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in {"http", "https"} and parts.netloc:
        return url.strip()
    return None


def inline(part: Inline, name_of: NameOf) -> str:
    if isinstance(part, str):
        return _lines(part)
    if isinstance(part, Strong):
        return f"<strong>{_lines(part.text)}</strong>"
    if isinstance(part, Mention):
        name = name_of(part.user_id) or part.user_id
        return f'<span class="mention">@{e(name)}</span>'
    if isinstance(part, ChannelMention):
        return f'<strong class="mention">@{e(part.label)}</strong>'
    url = safe_url(part.url)
    if url is None:
        return e(part.label)
    return f'<a href="{e(url)}" rel="noopener noreferrer" target="_blank">{e(part.label)}</a>'


def _person(person: Person) -> str:
    photo = safe_url(person.photo_url) if person.photo_url else None
    initials = "".join(word[:1] for word in person.name.split()[:2]).upper()
    picture = (
        f'<img class="person__photo" src="{e(photo)}" alt="{e(person.name)}" '
        'width="56" height="56" loading="lazy">'
        if photo
        else f'<span class="person__photo person__initials" aria-hidden="true">{e(initials)}</span>'
    )
    lines = [
        f'<p class="person__name">{e(person.name)}</p>',
        f'<p class="person__role">{e(person.role)}</p>',
    ]
    if person.phone:
        dial = re.sub(r"[^0-9+]", "", person.phone)
        number = e(person.phone)
        lines.append(
            f'<p class="person__phone"><a href="tel:{e(dial)}">{number}</a></p>'
            if dial
            else f'<p class="person__phone">{number}</p>'
        )
    return f'<div class="person">{picture}<div>{"".join(lines)}</div></div>'


def _actions(actions: Actions) -> str:
    buttons = []
    for button in actions.buttons:
        if isinstance(button, LinkButton):
            url = safe_url(button.url)
            if url is not None:  # a page to open, not an action: a link, as links are
                buttons.append(f'<a class="btn btn--link" href="{e(url)}">{e(button.label)}</a>')
            continue
        style = f" btn--{button.style}" if button.style else ""
        buttons.append(
            f'<button type="button" class="btn{style}" data-action-id="{e(button.action_id)}" '
            f'data-value="{e(button.value)}">{e(button.label)}</button>'
        )
    return f'<div class="actions">{"".join(buttons)}</div>'


def block(item: Block, name_of: NameOf) -> str:
    if isinstance(item, Text):
        return f"<p>{''.join(inline(part, name_of) for part in item.parts)}</p>"
    if isinstance(item, Heading):
        return f"<h3>{e(item.text)}</h3>"
    if isinstance(item, Quote):
        return f"<blockquote>{_lines(item.text)}</blockquote>"
    if isinstance(item, Facts):
        rows = "".join(
            f"<div><dt>{e(label)}</dt><dd>{_lines(value)}</dd></div>" for label, value in item.items
        )
        return f'<dl class="facts">{rows}</dl>'
    if isinstance(item, Person):
        return _person(item)
    if isinstance(item, Note):
        return f'<p class="note">{_lines(item.text)}</p>'
    if isinstance(item, Divider):
        return "<hr>"
    return _actions(item)


def blocks(items: Sequence[Block], name_of: NameOf) -> str:
    return "".join(block(item, name_of) for item in items)


def message_body(message: Message, name_of: NameOf) -> str:
    """A message's blocks, or its summary when it has none."""
    if not message.blocks:
        return f"<p>{_lines(message.summary)}</p>"
    return blocks(message.blocks, name_of)


def home(message: Message, name_of: NameOf) -> str:
    """A persona's home, compact: the buttons and small print stay in sight, the explanation
    folds away under its heading (the page opens it while the personal chat is empty)."""
    explained = [item for item in message.blocks if not isinstance(item, Actions | Note)]
    visible = [item for item in message.blocks if isinstance(item, Actions | Note)]
    if not explained or not visible:
        return message_body(message, name_of)
    title = next((item.text for item in explained if isinstance(item, Heading)), message.summary)
    rest = [item for item in explained if not (isinstance(item, Heading) and item.text == title)]
    return (
        f'<details class="home__more" data-home-more><summary>{e(title)}</summary>'
        f"{blocks(rest, name_of)}</details>{blocks(visible, name_of)}"
    )


def entry(item: Entry, chrome: Chrome, name_of: NameOf) -> str:
    """One message as shown in a pane: who, when, and the body."""
    author = chrome("bot_name") if item.author_kind == "bot" else item.author_name
    local = item.created.astimezone(TIMEZONE)
    meta = [
        f'<span class="msg__author">{e(author)}</span>',
        f'<time datetime="{e(local.isoformat())}">{local:%H:%M}</time>',
    ]
    if item.edited:
        meta.append(f'<span class="msg__edited">{e(chrome("edited"))}</span>')
    if item.visible_to:
        meta.append(f'<span class="msg__private">{e(chrome("private"))}</span>')
    return (
        f'<div class="msg__meta">{" ".join(meta)}</div>'
        f'<div class="msg__body">{message_body(item.message, name_of)}</div>'
    )
