"""The core's neutral UI blocks as the console's templates show them.

A template cannot ask a block what it is, so each becomes a ``Shown``: a kind and its
text. Everything stays plain text here; the templates escape it (autoescape), so a
narrative full of markup shows as the characters that were typed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.ui import (
    Block,
    ChannelMention,
    Facts,
    Heading,
    Inline,
    Link,
    Mention,
    Note,
    Person,
    Quote,
    Strong,
    Text,
)


@dataclass(frozen=True, slots=True)
class Part:
    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class Shown:
    kind: str  # text, quote, note, facts
    parts: list[Part] = field(default_factory=list)
    items: Sequence[tuple[str, str]] = ()


def _part(inline: Inline) -> Part:
    if isinstance(inline, str):
        return Part(inline)
    if isinstance(inline, Strong):
        return Part(inline.text, strong=True)
    if isinstance(inline, Mention):
        return Part(f"@{inline.name}" if inline.name else "")
    if isinstance(inline, ChannelMention):
        return Part(f"@{inline.label}")
    if isinstance(inline, Link):
        return Part(inline.label)
    return Part("")


def shown(blocks: Sequence[Block]) -> list[Shown]:
    """What of ``blocks`` a page shows; buttons are left out (the page has its forms)."""
    found: list[Shown] = []
    for block in blocks:
        if isinstance(block, Text):
            found.append(Shown("text", [_part(part) for part in block.parts]))
        elif isinstance(block, Heading):
            found.append(Shown("text", [Part(block.text, strong=True)]))
        elif isinstance(block, Quote):
            found.append(Shown("quote", [Part(block.text)]))
        elif isinstance(block, Note):
            found.append(Shown("note", [Part(block.text)]))
        elif isinstance(block, Facts):
            found.append(Shown("facts", items=list(block.items)))
        elif isinstance(block, Person):
            phone = [Part(f" · {block.phone}")] if block.phone else []
            found.append(Shown("text", [Part(block.name, True), Part(f", {block.role}"), *phone]))
    return found
