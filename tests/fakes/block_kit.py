"""Block Kit's limits, checked the way Slack checks them (the fake rejects what breaks them)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100


class SlackApiProblem(Exception):
    def __init__(self, error: str, details: Sequence[str] = ()) -> None:
        super().__init__(error)
        self.error = error
        self.details = list(details)


def _json(value: Any, what: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise SlackApiProblem("invalid_blocks", [f"{what} is not valid JSON"]) from None
    return value


def message_blocks(value: Any, limit: int) -> list[dict[str, Any]]:
    if value is None:
        return []
    blocks = _json(value, "blocks")
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise SlackApiProblem("invalid_blocks", ["blocks must be a list of objects"])
    problems = block_problems(blocks, limit)
    if problems:
        raise SlackApiProblem("invalid_blocks", problems)
    return blocks


def checked_view(value: Any, kind: str) -> dict[str, Any]:
    view = _json(value, "view")
    if not isinstance(view, dict):
        raise SlackApiProblem("invalid_arguments", ["view must be an object"])
    problems = view_problems(view, kind)
    if problems:
        raise SlackApiProblem("invalid_blocks", problems)
    return view


def view_problems(view: Mapping[str, Any], kind: str) -> list[str]:
    problems: list[str] = []
    if view.get("type") != kind:
        problems.append(f"view type must be {kind}")
    if kind == "modal":
        title = _text(view.get("title"))
        if not 1 <= len(title) <= 24:
            problems.append("title must be 1–24 characters")
        for button in ("submit", "close"):
            if view.get(button) is not None and len(_text(view.get(button))) > 24:
                problems.append(f"{button} must be at most 24 characters")
        has_input = any(b.get("type") == "input" for b in view.get("blocks") or [])
        if has_input and view.get("submit") is None:
            problems.append("a modal with inputs needs a submit button")
    if len(str(view.get("private_metadata") or "")) > 3000:
        problems.append("private_metadata must be at most 3000 characters")
    if len(str(view.get("callback_id") or "")) > 255:
        problems.append("callback_id must be at most 255 characters")
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        problems.append("a view needs 1–100 blocks")
    else:
        problems.extend(block_problems(blocks, VIEW_BLOCKS))
    return problems


def block_problems(blocks: Sequence[Mapping[str, Any]], limit: int) -> list[str]:
    """What Slack would reject in these blocks; empty when they are acceptable."""
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks, at most {limit}")
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')})"
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in block_ids:
                problems.append(f"{where}: block_id {block_id!r} repeated")
            block_ids.add(block_id)
            if len(str(block_id)) > 255:
                problems.append(f"{where}: block_id longer than 255")
        problems.extend(f"{where}: {p}" for p in _block_problems(block))
    return problems


def _block_problems(block: Mapping[str, Any]) -> Iterable[str]:
    kind = block.get("type")
    if kind == "section":
        text, fields = block.get("text"), block.get("fields")
        if text is None and not fields:
            yield "section needs text or fields"
        if text is not None and not 1 <= len(_text(text)) <= 3000:
            yield "section text must be 1–3000 characters"
        if fields is not None:
            if len(fields) > 10:
                yield "more than 10 fields"
            for f in fields:
                if not 1 <= len(_text(f)) <= 2000:
                    yield "field text must be 1–2000 characters"
        if block.get("accessory") is not None:
            yield from _element_problems(block["accessory"])
    elif kind == "header":
        text = block.get("text") or {}
        if text.get("type") != "plain_text":
            yield "header text must be plain_text"
        if not 1 <= len(_text(text)) <= 150:
            yield "header text must be 1–150 characters"
    elif kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 10:
            yield "context needs 1–10 elements"
        for element in elements:
            if element.get("type") in ("mrkdwn", "plain_text") and len(_text(element)) > 3000:
                yield "context text longer than 3000"
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= 25:
            yield "actions needs 1–25 elements"
        action_ids = [e.get("action_id") for e in elements if e.get("action_id")]
        if len(action_ids) != len(set(action_ids)):
            yield "action_id repeated within a block"
        for element in elements:
            yield from _element_problems(element)
    elif kind == "input":
        label = _text(block.get("label"))
        if not 1 <= len(label) <= 2000:
            yield "input label must be 1–2000 characters"
        if block.get("hint") is not None and len(_text(block["hint"])) > 2000:
            yield "hint longer than 2000"
        element = block.get("element")
        if not isinstance(element, Mapping):
            yield "input needs an element"
        else:
            yield from _element_problems(element)
    elif kind not in ("divider", "image"):
        yield f"unknown block type {kind!r}"


def _element_problems(element: Mapping[str, Any]) -> Iterable[str]:
    kind = element.get("type")
    if kind == "button":
        if not 1 <= len(_text(element.get("text"))) <= 75:
            yield "button text must be 1–75 characters"
        if len(str(element.get("value") or "")) > 2000:
            yield "button value longer than 2000"
        if element.get("style") not in (None, "primary", "danger"):
            yield "button style must be primary or danger"
    elif kind == "image":
        if not element.get("image_url") or not element.get("alt_text"):
            yield "image needs image_url and alt_text"
    elif kind == "plain_text_input":
        max_length = element.get("max_length")
        if max_length is not None and not 1 <= int(max_length) <= 3000:
            yield "max_length must be 1–3000"
        if element.get("placeholder") is not None and len(_text(element["placeholder"])) > 150:
            yield "placeholder longer than 150"
    elif kind in ("static_select", "radio_buttons"):
        options = element.get("options") or []
        most = 100 if kind == "static_select" else 10
        if not 1 <= len(options) <= most:
            yield f"{kind} needs 1–{most} options"
        for option in options:
            if not 1 <= len(_text(option.get("text"))) <= 75:
                yield "option text must be 1–75 characters"
            if not 1 <= len(str(option.get("value") or "")) <= 150:
                yield "option value must be 1–150 characters"
        initial = element.get("initial_option")
        if initial is not None and initial not in options:
            yield "initial_option is not one of the options"
    else:
        yield f"unknown element type {kind!r}"


def _text(obj: Any) -> str:
    if isinstance(obj, Mapping):
        return str(obj.get("text") or "")
    return str(obj or "")
