"""The shape of what Slack sends, at the places slack-bolt and meldbot read.

Slack's payloads are documented; a signed request whose ids are lists, whose ``actions``
hold no objects or whose text cannot be written as UTF-8 is no payload of Slack's, and is
refused before slack-bolt's matchers or meldbot's listeners trip over it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.text import encodable

# key: the type its value must have when present (None counts as absent); a dict: an
# object whose keys are checked the same way; a list of one dict: a list of such objects.
Shape = Mapping[str, Any]
ID = (str,)
USER: Shape = {"id": ID, "username": ID, "name": ID, "team_id": ID}
ACTION: Shape = {
    "type": ID, "action_id": ID, "block_id": ID, "value": ID, "action_ts": ID,
    "selected_option": {"value": ID},
}  # fmt: skip
VIEW: Shape = {
    "id": ID, "type": ID, "callback_id": ID, "private_metadata": ID, "hash": ID,
    "state": {"values": (dict,)},
}  # fmt: skip
EVENT: Shape = {
    "type": ID, "subtype": ID, "channel_type": ID, "text": ID, "ts": ID, "event_ts": ID,
    "thread_ts": ID, "bot_id": ID, "tab": ID, "team": ID, "user": (str, dict),
    "channel": (str, dict), "inviter": ID,
    "files": [{"id": ID, "name": ID, "mimetype": ID, "url_private": ID,
               "url_private_download": ID}],
}  # fmt: skip
PAYLOAD: Shape = {
    "type": ID, "token": ID, "team_id": ID, "api_app_id": ID, "event_id": ID,
    "trigger_id": ID, "callback_id": ID, "response_url": ID, "challenge": ID,
    "user_id": ID, "channel_id": ID, "command": ID, "text": ID, "user_name": ID,
    "event": EVENT, "user": USER, "team": {"id": ID}, "enterprise": (dict, str),
    "channel": {"id": ID}, "container": {"channel_id": ID, "message_ts": ID, "thread_ts": ID,
                                         "view_id": ID, "type": ID},
    "message": {"ts": ID, "thread_ts": ID, "text": ID, "bot_id": ID},
    "actions": [ACTION], "view": VIEW, "authorizations": [{"team_id": ID, "user_id": ID}],
}  # fmt: skip


# What each kind of payload always has: slack-bolt and meldbot read these without asking.
REQUIRED: Mapping[str, tuple[tuple[str, ...], ...]] = {
    "event_callback": (("event", "type"), ("event_id",)),
    "block_actions": (("user", "id"), ("actions",)),
    "view_submission": (("user", "id"), ("view", "type"), ("view", "callback_id")),
    "view_closed": (("user", "id"), ("view", "type"), ("view", "callback_id")),
    "shortcut": (("user", "id"), ("callback_id",)),
    "message_action": (("user", "id"), ("callback_id",)),
    "url_verification": (("challenge",),),
}
COMMAND = (("command",), ("user_id",))  # a slash command is a form without a type
EVENT_ID_MAX = 100  # what a delivery key keeps, with room to spare
NULLABLE = frozenset({"selected_option", "enterprise", "team", "message", "container"})


def problem(payload: Any) -> str | None:
    """What makes ``payload`` no Slack payload, or None."""
    if not isinstance(payload, dict):
        return "The body is not a Slack payload."
    if not _fits(payload, PAYLOAD) or not _state_fits(payload):
        return "The body is not a Slack payload."
    kind = payload.get("type")
    required = REQUIRED.get(kind, ()) if kind else COMMAND if "command" in payload else ()
    if not all(_has(payload, path) for path in required):
        return "The body is not a Slack payload."
    if len(str(payload.get("event_id") or "")) > EVENT_ID_MAX:
        return "The body is not a Slack payload."  # Slack's event ids are a dozen characters
    actions = payload.get("actions")
    if kind == "block_actions" and not (actions and all(a.get("action_id") for a in actions)):
        return "The body is not a Slack payload."
    if not encodable(payload):
        return "The body holds text that is not UTF-8."
    return None


def _fits(node: Mapping[str, Any], shape: Shape) -> bool:
    for key, want in shape.items():
        if key not in node:
            continue
        value = node[key]
        if value is None:
            if isinstance(want, tuple) or key in NULLABLE:
                continue
            return False  # slack-bolt reads ``body.get(key, {})``: null is no object
        if isinstance(want, tuple):
            fits = isinstance(value, want) and not isinstance(value, bool)
        elif isinstance(want, list):
            fits = isinstance(value, list) and all(
                isinstance(item, dict) and _fits(item, want[0]) for item in value
            )
        else:
            fits = isinstance(value, dict) and _fits(value, want)
        if not fits:
            return False
    return True


def _has(node: Any, path: tuple[str, ...]) -> bool:
    for key in path:
        if not isinstance(node, dict) or node.get(key) in (None, ""):
            return False
        node = node[key]
    return True


def _state_fits(payload: Mapping[str, Any]) -> bool:
    view = payload.get("view")
    values = ((view or {}).get("state") or {}).get("values") or {}
    for elements in values.values():
        if not isinstance(elements, dict):
            return False
        for element in elements.values():
            if not (isinstance(element, dict) and _fits(element, ACTION)):
                return False
            chosen = element.get("selected_option")
            if chosen is not None and not isinstance(chosen.get("value"), str):
                return False  # a choice without its value
    return True
