"""Neutral UI (``bot.ui``) rendered as Adaptive Cards 1.5 for Teams, within Teams' size limit.

Every string from the core is plain text. Texts Teams reads as markdown (TextBlocks,
Facts) are escaped; titles, labels, placeholders and choices are shown as they are.
Markup comes only from the structure: ``Strong``, ``Link``, ``Mention``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from microsoft_agents.activity import Attachment

from adapters.teams import payloads
from adapters.teams.escape import escape, mention_name, safe_url, shorten
from bot import ui
from bot.text import NARRATIVE_MAX

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA_VERSION = "1.5"
SCHEMA_URL = "http://adaptivecards.io/schemas/adaptive-card.json"
BUTTON_VERB = "meldbot.button"
SUBMIT_VERB = "meldbot.form"
CANCEL_VERB = "meldbot.cancel"

# Teams refuses messages over about 28 KB; this leaves room for the activity around it.
CARD_MAX = 24_000
# Caps on user texts, tried in turn until the card fits; short texts never reach them.
TEXT_CAPS = (NARRATIVE_MAX, 4000, 2000, 1000, 500, 200)
SHORT_MAX = 300  # headings, names, labels, option titles, fact labels
BUTTON_MAX = 80
FALLBACK_MAX = 1000
VISIBLE_ACTIONS = 6  # Teams shows this many buttons; later ones go to the overflow menu
RADIO_OPTIONS = 5
MENTION_FALLBACK = "@"  # a mention without a usable name: no words, so no language

JSON = dict[str, Any]
_STYLES = {"primary": "positive", "danger": "destructive"}
_PHONE = re.compile(r"\+?[0-9][0-9 ().\-/]*")


class RenderError(ValueError):
    """The neutral UI cannot be shown on Teams without losing meaning."""


@dataclass(frozen=True, slots=True)
class _Labels:
    """The surface's own words on a form, translated by the caller."""

    cancel: str
    required: str | None


def message_card(message: ui.Message) -> JSON:
    card = _fit(lambda writer: writer.message(message))
    return card or _Writer(FALLBACK_MAX).summary_card(message)


def form_card(
    form: ui.Form,
    *,
    cancel_label: str,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, str | None] | None = None,
    required_message: str | None = None,
    rendering: str | None = None,
) -> JSON:
    """A form as a card; ``cancel_label`` (translated) unless the form names its own.

    ``errors`` (field id → message) show under their fields, and ``values`` (what the
    person sent) refill the fields, so a refused form comes back as it was sent.
    ``required_message`` (translated) is what Teams shows when a required field is empty.
    """
    try:
        submit, cancel = payloads.submit_data(form, rendering), payloads.cancel_data(form)
    except payloads.PayloadError as error:
        raise RenderError(str(error)) from None
    card = _fit(
        lambda writer: writer.form(
            form,
            _Labels(form.cancel_label or cancel_label, required_message),
            errors or {},
            values or {},
            (submit, cancel),
        )
    )
    if card is None:
        raise RenderError(f"form {form.form_id!r} does not fit in a Teams card")
    return card


def closed_form_card(title: str, note: str) -> JSON:
    """What replaces a form once sent or cancelled: no inputs, no buttons, nothing to send twice."""
    writer = _Writer(SHORT_MAX)
    return writer.card([writer.heading(title), writer.note(note)], [], title)


def fallback_text(message: ui.Message) -> str:
    """Plain text for notifications (``activity.summary``): one line, shortened. It is
    not markdown; in ``activity.text`` it would need ``escape``."""
    return shorten(" ".join(message.summary.split()), FALLBACK_MAX)


def card_attachment(card: JSON) -> Attachment:
    return Attachment(content_type=CARD_CONTENT_TYPE, content=card)


def card_size(card: JSON) -> int:
    """An upper bound of the card's size on the wire (non-ASCII counted as \\u escapes)."""
    return len(json.dumps(card))


def _fit(build: Callable[[_Writer], JSON]) -> JSON | None:
    for cap in TEXT_CAPS:
        card = build(_Writer(cap))
        if card_size(card) <= CARD_MAX:
            return card
    return None


class _Writer:
    """Builds one card: caps texts at ``cap`` and collects its mentions."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._mentions: dict[str, str] = {}  # user id → its "<at>…</at>", unique in the card
        self._entities: list[JSON] = []

    # -- cards ------------------------------------------------------------------------------

    def card(self, body: list[JSON], actions: list[JSON], fallback: str) -> JSON:
        card: JSON = {
            "type": "AdaptiveCard",
            "$schema": SCHEMA_URL,
            "version": SCHEMA_VERSION,
            "body": body,
        }
        if actions:
            card["actions"] = actions
        if fallback:  # what clients older than 1.5 show instead
            card["fallbackText"] = escape(shorten(fallback, min(FALLBACK_MAX, self.cap)))
        msteams: JSON = {"width": "Full"}
        if self._entities:
            msteams["entities"] = self._entities
        card["msteams"] = msteams  # Teams' own extension, outside the Adaptive Card schema
        return card

    def message(self, message: ui.Message) -> JSON:
        blocks = list(message.blocks)
        while blocks and isinstance(blocks[-1], ui.Divider):
            blocks.pop()
        # Buttons that end the message are the card's own; elsewhere they stay in place.
        actions: list[JSON] = []
        last = blocks[-1] if blocks else None
        if isinstance(last, ui.Actions):
            actions = self.buttons(last.buttons)
            blocks.pop()
        body = self.elements(blocks, [])
        if not body:
            body = [self.paragraph_block(message.summary)]
        return self.card(body, actions, message.summary)

    def summary_card(self, message: ui.Message) -> JSON:
        return self.card([self.paragraph_block(message.summary)], [], message.summary)

    def form(
        self,
        form: ui.Form,
        labels: _Labels,
        errors: Mapping[str, str],
        values: Mapping[str, str | None],
        data: tuple[JSON, JSON],
    ) -> JSON:
        body = [self.heading(form.title)]
        field_ids = {field.id for field in form.fields}
        # An error for no field of this form is still shown, at the top.
        body += [self.error(text) for key, text in errors.items() if key not in field_ids]
        body = self.elements(form.intro, body)
        for field in form.fields:
            error = errors.get(field.id)
            required = None if field.optional else labels.required
            body.append(self.field(field, values, error or required))
            if error:
                body.append(self.error(error))
            if isinstance(field, ui.TextInput) and field.hint:
                body.append(self.note(field.hint))
        submit, cancel = data
        actions = []
        if form.fields:
            actions.append(
                _action(SUBMIT_VERB, self.title(form.submit_label), submit, "auto", "positive")
            )
        actions.append(_action(CANCEL_VERB, self.title(labels.cancel), cancel, "none", None))
        return self.card(body, actions, form.title)

    # -- blocks -----------------------------------------------------------------------------

    def elements(self, blocks: Sequence[ui.Block], body: list[JSON]) -> list[JSON]:
        """``blocks`` appended to ``body``; a divider becomes the next element's separator."""
        separate = False
        for block in blocks:
            if isinstance(block, ui.Divider):
                separate = bool(body)
                continue
            rendered = self.block(block)
            if rendered is None:
                continue
            if separate:
                rendered["separator"] = True
                separate = False
            body.append(rendered)
        return body

    def block(self, block: ui.Block) -> JSON | None:
        if isinstance(block, ui.Text):
            text = self.paragraph(block)
            return _text_block(text) if text.strip() else None
        if isinstance(block, ui.Heading):
            return self.heading(block.text) if block.text.strip() else None
        if isinstance(block, ui.Quote):
            if not block.text.strip():
                return None
            quote = _text_block(self.md(block.text))
            return {"type": "Container", "style": "emphasis", "items": [quote]}
        if isinstance(block, ui.Facts):
            return self.facts(block) if block.items else None
        if isinstance(block, ui.Person):
            return self.person(block)
        if isinstance(block, ui.Note):
            return self.note(block.text) if block.text.strip() else None
        if isinstance(block, ui.Actions):
            return (
                {"type": "ActionSet", "actions": self.buttons(block.buttons)}
                if block.buttons
                else None
            )
        return None  # a Divider, handled by elements()

    def heading(self, text: str) -> JSON:
        block = _text_block(self.md(text, SHORT_MAX))
        return block | {"weight": "bolder", "size": "medium", "style": "heading"}

    def note(self, text: str) -> JSON:
        return _text_block(self.md(text)) | {"isSubtle": True, "size": "small"}

    def error(self, text: str) -> JSON:
        return _text_block(self.md(text)) | {"color": "attention", "spacing": "small"}

    def paragraph_block(self, text: str) -> JSON:
        return _text_block(self.md(text) or "\u200b")

    def facts(self, facts: ui.Facts) -> JSON:
        items = [
            {"title": self.md(label, SHORT_MAX), "value": self.md(value)}
            for label, value in facts.items
        ]
        return {"type": "FactSet", "facts": items}

    def person(self, person: ui.Person) -> JSON:
        details = [_text_block(self.md(person.name, SHORT_MAX)) | {"weight": "bolder"}]
        if person.role.strip():
            role = _text_block(self.md(person.role, SHORT_MAX))
            details.append(role | {"isSubtle": True, "spacing": "none"})
        if person.phone and person.phone.strip():
            details.append(_text_block(self.phone(person.phone)) | {"spacing": "none"})
        columns: list[JSON] = []
        photo = safe_url(person.photo_url) if person.photo_url else None
        if photo and photo.lower().startswith("https://"):
            image = {
                "type": "Image",
                "url": photo,
                "altText": self.plain(person.name, SHORT_MAX),
                "size": "small",
                "style": "person",
            }
            columns.append({"type": "Column", "width": "auto", "items": [image]})
        columns.append({"type": "Column", "width": "stretch", "items": details})
        return {"type": "ColumnSet", "columns": columns}

    def phone(self, phone: str) -> str:
        flat = " ".join(phone.split())
        number = "".join(char for char in phone if char.isdigit() or char == "+")
        if _PHONE.fullmatch(flat) is None or not 3 <= len(number) <= 20:
            return self.md(flat, SHORT_MAX)  # not a number to dial: shown, not linked
        return f"[{self.md(flat, SHORT_MAX, line_start=False)}](tel:{number})"

    def buttons(self, buttons: Sequence[ui.Button | ui.LinkButton]) -> list[JSON]:
        actions = []
        for index, button in enumerate(buttons):
            if isinstance(button, ui.LinkButton):
                actions.append(self.open_url(button))
                continue
            try:
                data = payloads.button_data(button)
            except payloads.PayloadError as error:
                raise RenderError(str(error)) from None
            style = _STYLES.get(button.style) if button.style else None
            action = _action(BUTTON_VERB, self.title(button.label), data, "none", style)
            if index >= VISIBLE_ACTIONS:
                action["mode"] = "secondary"
            actions.append(action)
        return actions

    def open_url(self, button: ui.LinkButton) -> JSON:
        """A button that opens a page in the browser; Teams tells meldbot nothing of it."""
        url = safe_url(button.url)
        if url is None or not url.lower().startswith(("https://", "http://")):
            raise RenderError(f"a link button needs an http(s) URL, not {button.url[:40]!r}")
        return {"type": "Action.OpenUrl", "title": self.title(button.label), "url": url}

    # -- form fields ------------------------------------------------------------------------

    def field(self, field: ui.Field, values: Mapping[str, str | None], error: str | None) -> JSON:
        """An input; ``error`` is what Teams shows when its own check of the field fails."""
        given = values.get(field.id, field.initial)
        element: JSON = {
            "id": payloads.input_id(field.id),
            "label": self.plain(field.label, SHORT_MAX),
            "isRequired": not field.optional,
        }
        if error:
            element["errorMessage"] = self.plain(error, SHORT_MAX)
        if isinstance(field, ui.TextInput):
            element |= {
                "type": "Input.Text",
                "isMultiline": field.multiline,
                "maxLength": max(field.max_length, 1),
            }
            if field.placeholder:
                element["placeholder"] = self.plain(field.placeholder, SHORT_MAX)
            if given:
                element["value"] = self.plain(given, self.cap)
            return element
        if not field.options:
            raise RenderError(f"choice {field.id!r} has no options")
        element |= {
            "type": "Input.ChoiceSet",
            "style": "expanded" if len(field.options) <= RADIO_OPTIONS else "compact",
            "wrap": True,
            "choices": [
                {"title": self.plain(option.label, SHORT_MAX), "value": option.value}
                for option in field.options
            ],
        }
        if given and any(option.value == given for option in field.options):
            element["value"] = given
        return element

    # -- inline text ------------------------------------------------------------------------

    def paragraph(self, text: ui.Text) -> str:
        out = ""
        for part in text.parts:
            out += self.inline(part, line_start=not out or out.endswith("\n"))
        return out

    def inline(self, part: ui.Inline, *, line_start: bool) -> str:
        if isinstance(part, str):
            return self.md(part, line_start=line_start)
        if isinstance(part, ui.Strong):
            flat = " ".join(part.text.split())
            return f"**{self.md(flat, line_start=False)}**" if flat else ""
        if isinstance(part, ui.Mention):
            return self.mention(part, line_start=line_start)
        if isinstance(part, ui.ChannelMention):
            # A channel-wide mention needs the team's tag; a bold word notifies no one.
            flat = " ".join(part.label.split())
            return f"**@{self.md(flat, SHORT_MAX, line_start=False)}**" if flat else ""
        label = " ".join(part.label.split()) or part.url
        url = safe_url(part.url)
        if url is None:
            return self.md(label, SHORT_MAX, line_start=line_start)
        return f"[{self.md(label, SHORT_MAX, line_start=False)}]({url})"

    def mention(self, mention: ui.Mention, *, line_start: bool) -> str:
        name = mention_name(mention.name)
        user_id = mention.user_id.strip()
        if not user_id:
            return self.md(name or MENTION_FALLBACK, line_start=line_start)
        text = self._mentions.get(user_id)
        if text is None:
            base = name or MENTION_FALLBACK
            shown, count = base, 1
            taken = set(self._mentions.values())
            while f"<at>{shown}</at>" in taken:  # Teams matches mentions by their text
                count += 1
                shown = f"{base} ({count})"
            text = self._mentions[user_id] = f"<at>{shown}</at>"
            self._entities.append(
                {"type": "mention", "text": text, "mentioned": {"id": user_id, "name": shown}}
            )
        return text

    def md(self, text: str, limit: int | None = None, *, line_start: bool = True) -> str:
        return escape(self.plain(text, limit or self.cap), line_start=line_start)

    def plain(self, text: str, limit: int) -> str:
        return shorten(text, min(limit, self.cap))

    def title(self, text: str) -> str:
        return self.plain(" ".join(text.split()), BUTTON_MAX)


def _text_block(text: str) -> JSON:
    return {"type": "TextBlock", "text": text, "wrap": True}


def _action(verb: str, title: str, data: JSON, inputs: str, style: str | None) -> JSON:
    """Action.Execute, with Action.Submit for clients without Universal Actions."""
    common: JSON = {"title": title, "data": data, "associatedInputs": inputs}
    if style:
        common["style"] = style
    fallback = {"type": "Action.Submit", **common, "data": dict(data)}
    return {"type": "Action.Execute", "verb": verb, **common, "fallback": fallback}
