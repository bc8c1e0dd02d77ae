"""Neutral UI (``bot.ui``) rendered as Block Kit, within Slack's limits.

Every string from the core is plain text: it is escaped here, and markup comes
only from the structure (``Strong``, ``Mention``, ``Link``, ``Quote``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    ImageElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from adapters.slack.escape import escape, is_web_url, link, mention, shorten, split_mrkdwn
from bot import ui
from bot.i18n import N_, translator

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
HEADER_TEXT = 150
BUTTON_TEXT = 75
BUTTONS_PER_BLOCK = 25
VIEW_TITLE = 24
PRIVATE_METADATA = 3000
FALLBACK_TEXT = 3000
LABEL_TEXT = 2000
PLACEHOLDER_TEXT = 150
OPTION_TEXT = 75
OPTIONS_PER_SELECT = 100
RADIO_OPTIONS = 5
INPUT_MAX_LENGTH = 3000
LONGER_IN_CHAT = N_(
    "Longer than Slack takes here? Send it as messages in your chat with meldbot instead."
)
RESULT_VIEW = "result"  # a form's answer, shown in its place; it is never submitted
# Slack tells the app of a press on a link button too: this id marks it as nothing to do.
LINK_ACTION = "meldbot.link"
URL_MAX = 3000


class RenderError(ValueError):
    """The neutral UI cannot be shown on Slack without losing meaning."""


def mrkdwn(text: str) -> MarkdownTextObject:
    # verbatim: Slack must not turn plain words into links or mentions on its own.
    return MarkdownTextObject(text=text, verbatim=True)


def plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=shorten(text, limit), emoji=True)


def inline(part: ui.Inline) -> str:
    if isinstance(part, str):
        return escape(part)
    if isinstance(part, ui.Strong):
        stripped = part.text.strip()
        return f"*{escape(stripped)}*" if stripped else ""
    if isinstance(part, ui.Mention):
        return mention(part.user_id)
    if isinstance(part, ui.ChannelMention):
        return "<!channel>"  # from the structure only: user text is escaped above
    return link(part.url, shorten(part.label, 300))


def paragraph(text: ui.Text) -> str:
    return "".join(inline(part) for part in text.parts)


def quote_pieces(text: str, limit: int = SECTION_TEXT) -> list[str]:
    """User-written text as mrkdwn quotes, each piece within ``limit`` characters."""
    lines: list[str] = []
    for line in text.splitlines() or [""]:
        lines.extend("> " + piece for piece in split_mrkdwn(escape(line), limit - 2))
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        extra = len(line) + (1 if current else 0)
        if current and size + extra > limit:
            pieces.append("\n".join(current))
            current, size = [], 0
            extra = len(line)
        current.append(line)
        size += extra
    pieces.append("\n".join(current))
    return pieces


def blocks_of(block: ui.Block) -> list[Block]:
    """One neutral block as one or more Block Kit blocks."""
    if isinstance(block, ui.Text):
        return [SectionBlock(text=mrkdwn(piece)) for piece in _pieces(paragraph(block))]
    if isinstance(block, ui.Heading):
        return [HeaderBlock(text=plain(block.text, HEADER_TEXT))]
    if isinstance(block, ui.Quote):
        return [SectionBlock(text=mrkdwn(piece)) for piece in quote_pieces(block.text)]
    if isinstance(block, ui.Facts):
        return _facts(block)
    if isinstance(block, ui.Person):
        return [_person(block)]
    if isinstance(block, ui.Note):
        return [ContextBlock(elements=[mrkdwn(shorten_mrkdwn(escape(block.text), SECTION_TEXT))])]
    if isinstance(block, ui.Divider):
        return [DividerBlock()]
    return _actions(block)


def _pieces(text: str) -> list[str]:
    return [piece for piece in split_mrkdwn(text, SECTION_TEXT) if piece.strip()] or ["\u200b"]


def _facts(facts: ui.Facts) -> list[Block]:
    fields = [
        mrkdwn(shorten_mrkdwn(f"*{escape(label)}*\n{escape(value)}", FIELD_TEXT))
        for label, value in facts.items
    ]
    return [
        SectionBlock(fields=fields[start : start + FIELDS_PER_SECTION])
        for start in range(0, len(fields), FIELDS_PER_SECTION)
    ]


def _person(person: ui.Person) -> Block:
    lines = [f"*{escape(person.name)}*", escape(person.role)]
    if person.phone:
        lines.append(escape(person.phone))
    accessory = None
    if person.photo_url and is_web_url(person.photo_url):
        accessory = ImageElement(image_url=person.photo_url, alt_text=shorten(person.name, 2000))
    text = shorten_mrkdwn("\n".join(line for line in lines if line), SECTION_TEXT)
    return SectionBlock(text=mrkdwn(text), accessory=accessory)


def _actions(actions: ui.Actions) -> list[Block]:
    seen: dict[str, int] = {}
    buttons: list[ButtonElement] = []
    for button in actions.buttons:
        neutral_id = LINK_ACTION if isinstance(button, ui.LinkButton) else button.action_id
        # Slack wants action_ids unique within a block; repeats get a "#n" suffix
        # that inbound.action_id() strips again.
        count = seen.get(neutral_id, 0) + 1
        seen[neutral_id] = count
        action_id = neutral_id if count == 1 else f"{neutral_id}#{count}"
        if isinstance(button, ui.LinkButton):
            if not is_web_url(button.url) or len(button.url) > URL_MAX:
                raise RenderError(f"a link button needs an http(s) URL, not {button.url[:40]!r}")
            buttons.append(
                ButtonElement(
                    text=plain(button.label, BUTTON_TEXT), action_id=action_id, url=button.url
                )
            )
            continue
        buttons.append(
            ButtonElement(
                text=plain(button.label, BUTTON_TEXT),
                action_id=action_id,
                value=button.value or None,
                style=button.style,
            )
        )
    return [
        ActionsBlock(elements=buttons[start : start + BUTTONS_PER_BLOCK])
        for start in range(0, len(buttons), BUTTONS_PER_BLOCK)
    ]


def shorten_mrkdwn(text: str, limit: int) -> str:
    """Escaped mrkdwn cut to ``limit`` characters without breaking an entity."""
    if len(text) <= limit:
        return text
    return split_mrkdwn(text, limit - 1)[0] + "…"


def render_blocks(
    blocks: Iterable[ui.Block], limit: int, shortened_note: str
) -> list[dict[str, Any]]:
    """Neutral blocks as Block Kit dicts, at most ``limit`` of them.

    When there are too many, the buttons stay, the content is cut from the end,
    and a short note says the message was shortened.
    """
    rendered = [block for neutral in blocks for block in blocks_of(neutral)]
    if len(rendered) > limit:
        rendered = _truncate(rendered, limit, shortened_note)
    return [block.to_dict() for block in rendered]


def _truncate(rendered: list[Block], limit: int, note: str) -> list[Block]:
    actions = [index for index, block in enumerate(rendered) if isinstance(block, ActionsBlock)]
    actions = actions[: limit - 1]
    room = limit - 1 - len(actions)
    content = [index for index, block in enumerate(rendered) if index not in actions][:room]
    keep = sorted(content + actions)
    out: list[Block] = []
    noted = False
    for index in keep:
        out.append(rendered[index])
        if not noted and (not content or index == content[-1]):
            out.append(ContextBlock(elements=[mrkdwn(escape(note))]))
            noted = True
    if not noted:
        out.insert(0, ContextBlock(elements=[mrkdwn(escape(note))]))
    return out


def fallback_text(message: ui.Message) -> str:
    """The ``text`` Slack shows in notifications and reads to screen readers."""
    return shorten_mrkdwn(escape(message.summary), FALLBACK_TEXT)


def message_blocks(message: ui.Message, shortened_note: str) -> list[dict[str, Any]]:
    return render_blocks(message.blocks, MESSAGE_BLOCKS, shortened_note)


def home_view(message: ui.Message, shortened_note: str) -> dict[str, Any]:
    blocks = render_blocks(message.blocks, VIEW_BLOCKS, shortened_note)
    if not blocks:
        blocks = [SectionBlock(text=mrkdwn(fallback_text(message) or "\u200b")).to_dict()]
    view: dict[str, Any] = View(type="home", blocks=blocks).to_dict()
    return view


def result_view(message: ui.Message, shortened_note: str) -> dict[str, Any]:
    """What a submitted form shows in its place: the message, and only a way to close."""
    blocks = render_blocks(message.blocks, VIEW_BLOCKS, shortened_note)
    view: dict[str, Any] = View(
        type="modal",
        callback_id=RESULT_VIEW,
        title=plain("meldbot", VIEW_TITLE),
        close=plain("OK", VIEW_TITLE),
        blocks=blocks,
    ).to_dict()
    return view


def modal_view(form: ui.Form, shortened_note: str) -> dict[str, Any]:
    """A form as a modal; the form's ``state`` travels as ``private_metadata``."""
    if len(form.state) > PRIVATE_METADATA:
        raise RenderError(
            f"form {form.form_id!r} carries {len(form.state)} characters of state; "
            f"Slack keeps at most {PRIVATE_METADATA}"
        )
    longer = translator(form.language)(LONGER_IN_CHAT)
    fields = [_field(field, longer) for field in form.fields]
    if len(fields) > VIEW_BLOCKS:
        raise RenderError(f"form {form.form_id!r} has more than {VIEW_BLOCKS} fields")
    intro = render_blocks(form.intro, VIEW_BLOCKS - len(fields), shortened_note)
    if not intro and not fields:
        intro = [SectionBlock(text=mrkdwn("\u200b")).to_dict()]
    view: dict[str, Any] = View(
        type="modal",
        callback_id=form.form_id,
        private_metadata=form.state or None,
        title=plain(form.title, VIEW_TITLE),
        submit=plain(form.submit_label, VIEW_TITLE) if fields else None,
        close=plain(form.cancel_label, VIEW_TITLE) if form.cancel_label else None,
        blocks=[*intro, *(field.to_dict() for field in fields)],
    ).to_dict()
    return view


def _field(field: ui.Field, longer: str) -> InputBlock:
    if isinstance(field, ui.TextInput):
        hint = field.hint
        if field.max_length > INPUT_MAX_LENGTH:
            # Slack takes less here than meldbot would: say where the rest fits, rather
            # than let a story be cut.
            hint = f"{hint} {longer}" if hint else longer
        return InputBlock(
            block_id=field.id,
            label=plain(field.label, LABEL_TEXT),
            element=PlainTextInputElement(
                action_id=field.id,
                multiline=field.multiline,
                max_length=min(max(field.max_length, 1), INPUT_MAX_LENGTH),
                placeholder=plain(field.placeholder, PLACEHOLDER_TEXT)
                if field.placeholder
                else None,
                initial_value=field.initial or None,
            ),
            optional=field.optional,
            hint=plain(hint, LABEL_TEXT) if hint else None,
        )
    return _choice(field)


def _choice(field: ui.Choice) -> InputBlock:
    if not field.options:
        raise RenderError(f"choice {field.id!r} has no options")
    if len(field.options) > OPTIONS_PER_SELECT:
        raise RenderError(f"choice {field.id!r} has more than {OPTIONS_PER_SELECT} options")
    options = _options(field.options)
    initial = next(
        (
            option
            for option, neutral in zip(options, field.options, strict=True)
            if neutral.value == field.initial
        ),
        None,
    )
    element: RadioButtonsElement | StaticSelectElement
    if len(options) <= RADIO_OPTIONS:
        element = RadioButtonsElement(action_id=field.id, options=options, initial_option=initial)
    else:
        element = StaticSelectElement(action_id=field.id, options=options, initial_option=initial)
    return InputBlock(
        block_id=field.id,
        label=plain(field.label, LABEL_TEXT),
        element=element,
        optional=field.optional,
    )


def _options(options: Sequence[ui.Option]) -> list[Option]:
    for option in options:
        if len(option.value) > 150:
            raise RenderError(f"option value {option.value[:20]!r}… is longer than 150")
    return [Option(value=option.value, text=plain(option.label, OPTION_TEXT)) for option in options]
