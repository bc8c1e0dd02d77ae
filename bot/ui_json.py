"""A neutral ``Message`` as plain JSON and back, for what keeps messages (the web chat's
history): every block and inline part by its kind, so it reads back exactly as it was."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from bot.ui import (
    Actions,
    Block,
    Button,
    ChannelMention,
    Divider,
    Facts,
    Heading,
    Inline,
    Link,
    LinkButton,
    Mention,
    Message,
    Note,
    Person,
    Quote,
    Strong,
    Text,
)

Json = dict[str, Any]
_PARTS: dict[str, type[Any]] = {
    cls.__name__: cls
    for cls in (Strong, Mention, ChannelMention, Link, Heading, Quote, Person, Note, Divider)
}
_BUTTONS: dict[str, type[Any]] = {"Button": Button, "LinkButton": LinkButton}


def message_json(message: Message) -> Json:
    return {
        "summary": message.summary,
        "blocks": [_block(block) for block in message.blocks],
        "broadcast": message.broadcast,
        "anonymous": message.anonymous,
    }


def message_of(data: Json) -> Message:
    """The message ``message_json`` made; a ``ValueError`` for anything else."""
    try:
        return Message(
            str(data["summary"]),
            tuple(_block_of(block) for block in data["blocks"]),
            broadcast=bool(data.get("broadcast", False)),
            anonymous=bool(data.get("anonymous", False)),
        )
    except (KeyError, TypeError) as error:
        raise ValueError(f"not a stored message: {error}") from None


def _plain(value: Any) -> Json:
    return {"kind": type(value).__name__} | {f.name: getattr(value, f.name) for f in fields(value)}


def _block(block: Block) -> Json:
    if isinstance(block, Text):
        return {"kind": "Text", "parts": [_inline(part) for part in block.parts]}
    if isinstance(block, Facts):
        return {"kind": "Facts", "items": [list(item) for item in block.items]}
    if isinstance(block, Actions):
        return {"kind": "Actions", "buttons": [_plain(button) for button in block.buttons]}
    return _plain(block)


def _inline(part: Inline) -> Json | str:
    return part if isinstance(part, str) else _plain(part)


def _block_of(data: Json) -> Block:
    kind = data["kind"]
    if kind == "Text":
        return Text(tuple(_inline_of(part) for part in data["parts"]))
    if kind == "Facts":
        return Facts(tuple((str(label), str(value)) for label, value in data["items"]))
    if kind == "Actions":
        return Actions(tuple(_made(_BUTTONS, button) for button in data["buttons"]))
    block: Block = _made(_PARTS, data)
    return block


def _inline_of(data: Json | str) -> Inline:
    if isinstance(data, str):
        return data
    part: Inline = _made(_PARTS, data)
    return part


def _made(kinds: dict[str, type[Any]], data: Json) -> Any:
    cls = kinds.get(str(data["kind"]))
    if cls is None:
        raise ValueError(f"not a stored message part: {data['kind']}")
    return cls(**{key: value for key, value in data.items() if key != "kind"})
