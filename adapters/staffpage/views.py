"""The core's neutral UI as plain dicts for the page's templates (which escape all of it).

A button becomes a small form of its own: ``press(button)`` gives the signed token it
posts, so the page only ever acts on buttons the core showed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bot.ui import (
    Actions,
    Block,
    Button,
    ChannelMention,
    Choice,
    Divider,
    Facts,
    Form,
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
    TextInput,
)

View = dict[str, Any]
Press = Callable[[Button], str]
RADIO_LIMIT = 5


def _part(part: Inline) -> View:
    match part:
        case Strong(text=text):
            return {"kind": "strong", "text": text}
        case Link(url=url, label=label):
            return {"kind": "link", "text": label, "url": url}
        case Mention(user_id=user_id, name=name):
            return {"kind": "text", "text": "@" + (name or user_id)}
        case ChannelMention(label=label):
            return {"kind": "strong", "text": label}
    return {"kind": "text", "text": str(part)}


def _block(block: Block, press: Press) -> View:
    match block:
        case Text(parts=parts):
            return {"kind": "text", "parts": [_part(p) for p in parts]}
        case Heading(text=text):
            return {"kind": "heading", "text": text}
        case Quote(text=text):
            return {"kind": "quote", "text": text}
        case Facts(items=items):
            return {"kind": "facts", "facts": list(items)}
        case Person(name=name, role=role, phone=phone):
            return {"kind": "person", "name": name, "role": role, "phone": phone or ""}
        case Note(text=text):
            return {"kind": "note", "text": text}
        case Divider():
            return {"kind": "divider"}
        case Actions(buttons=buttons):
            return {"kind": "actions", "buttons": [_button(b, press) for b in buttons]}
    return {"kind": "divider"}


def _button(button: Button | LinkButton, press: Press) -> View:
    if isinstance(button, LinkButton):
        return {"kind": "link", "label": button.label, "url": button.url}
    return {"kind": "press", "label": button.label, "token": press(button), "style": button.style}


def message(message: Message, press: Press) -> View:
    return {"summary": message.summary, "blocks": [_block(b, press) for b in message.blocks]}


def messages(items: Sequence[Message], press: Press) -> list[View]:
    return [message(m, press) for m in items]


def form(
    form: Form,
    token: str,
    press: Press,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> View:
    """The form with what was typed (after a refusal) and a message per field."""
    values, errors = values or {}, errors or {}
    known = {f.id for f in form.fields}
    general = [text for field_id, text in errors.items() if field_id not in known]
    fields: list[View] = []
    for index, field in enumerate(form.fields):
        typed = values.get(field.id)
        common = {
            "id": field.id,
            "key": f"veld-{index}",
            "label": field.label,
            "optional": field.optional,
            "error": errors.get(field.id, ""),
            "hint": "",
        }
        if isinstance(field, TextInput):
            fields.append(
                common
                | {
                    "kind": "textarea" if field.multiline else "text",
                    "value": typed if typed is not None else (field.initial or ""),
                    "hint": field.hint or "",
                    "placeholder": field.placeholder or "",
                    "limit": field.max_length,
                }
            )
        elif isinstance(field, Choice):
            current = typed if typed is not None else (field.initial or "")
            options = [{"value": o.value, "label": o.label} for o in field.options]
            kind = "radio" if len(options) <= RADIO_LIMIT else "select"
            fields.append(common | {"kind": kind, "value": current, "options": options})
    return {
        "title": form.title,
        "submit": form.submit_label,
        "language": form.language,
        "intro": [_block(b, press) for b in form.intro],
        "fields": fields,
        "general": general,
        "token": token,
    }
