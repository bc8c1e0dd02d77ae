"""Reading neutral UI in tests: all the text a person would see in a message."""

from __future__ import annotations

from bot.ui import (
    Actions,
    Block,
    Button,
    Facts,
    Heading,
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


def block_text(block: Block) -> str:
    match block:
        case Text(parts=parts):
            out = []
            for part in parts:
                match part:
                    case str():
                        out.append(part)
                    case Strong(text=text):
                        out.append(text)
                    case Mention(user_id=user_id):
                        out.append(f"@{user_id}")
                    case Link(label=label):
                        out.append(label)
            return "".join(out)
        case Heading(text=text) | Quote(text=text) | Note(text=text):
            return text
        case Facts(items=items):
            return "\n".join(f"{k}: {v}" for k, v in items)
        case Person(name=name, role=role):
            return f"{name} ({role})"
        case Actions(buttons=buttons):
            return " ".join(f"[{b.label}]" for b in buttons)
    return ""


def text_of(message: Message) -> str:
    return "\n".join(block_text(block) for block in message.blocks)


def buttons(message: Message) -> dict[str, str]:
    """action_id -> value for every button in the message that acts (not a link)."""
    return {
        b.action_id: b.value
        for block in message.blocks
        if isinstance(block, Actions)
        for b in block.buttons
        if isinstance(b, Button)
    }


def links(message: Message) -> dict[str, str]:
    """label -> url of every link button in the message."""
    return {
        b.label: b.url
        for block in message.blocks
        if isinstance(block, Actions)
        for b in block.buttons
        if isinstance(b, LinkButton)
    }
