"""What Slack sends to an app: signed event callbacks, commands, shortcuts, actions, views."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack signs a request with: v0=HMAC-SHA256(secret, v0:ts:body)."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def event_callback(event: Mapping[str, Any], event_id: str, team_id: str = "T0TEST") -> str:
    """An Events API delivery, as the JSON body Slack posts."""
    return json.dumps(
        {
            "token": "legacy",
            "team_id": team_id,
            "api_app_id": "A0MELDBOT",
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "event": dict(event),
            "authorizations": [{"team_id": team_id, "user_id": "UBOT", "is_bot": True}],
        }
    )


def dm_message(user: str, text: str, ts: str = "1700000001.000100") -> dict[str, Any]:
    return {
        "type": "message",
        "channel": "D" + user,
        "channel_type": "im",
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
    }


def file_share_dm(
    user: str, files: list[dict[str, Any]], text: str = "", ts: str = "1700000002.000200"
) -> dict[str, Any]:
    """A DM carrying files (``FakeSlack.share_file`` makes them), as ``message.im`` sends it."""
    return {
        **dm_message(user, text, ts),
        "subtype": "file_share",
        "files": files,
        "upload": False,
        "display_as_bot": False,
    }


def interactive(payload: Mapping[str, Any]) -> str:
    """An interactivity request: form-encoded, with the payload as JSON."""
    return urlencode({"payload": json.dumps(dict(payload))})


def slash_command(user: str, text: str = "", channel: str = "C0GENERAL", **extra: str) -> str:
    return urlencode(
        {
            "token": "legacy",
            "team_id": "T0TEST",
            "channel_id": channel,
            "channel_name": "directmessage" if channel.startswith("D") else "algemeen",
            "user_id": user,
            "user_name": extra.pop("user_name", "melder"),
            "command": "/meld",
            "text": text,
            "api_app_id": "A0MELDBOT",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "trigger_id": extra.pop("trigger_id", "trigger-command"),
            **extra,
        }
    )


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": "user." + user.lower(), "name": "user." + user.lower()}


def global_shortcut(user: str, callback_id: str = "meld_report") -> str:
    return interactive(
        {
            "type": "shortcut",
            "token": "legacy",
            "action_ts": "1700000000.1",
            "team": {"id": "T0TEST"},
            "user": _user(user),
            "callback_id": callback_id,
            "trigger_id": "trigger-shortcut",
        }
    )


def block_actions(
    user: str,
    action_id: str,
    value: str = "",
    *,
    channel: str | None = None,
    message_ts: str | None = None,
    thread_ts: str | None = None,
    view: Mapping[str, Any] | None = None,
) -> str:
    """A button press on a message (``channel`` + ``message_ts``) or in a view."""
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0TEST"},
        "user": _user(user),
        "api_app_id": "A0MELDBOT",
        "trigger_id": "trigger-action",
        "actions": [
            {
                "type": "button",
                "action_id": action_id,
                "block_id": "b1",
                "value": value,
                "action_ts": "1700000000.2",
            }
        ],
    }
    if channel is not None and message_ts is not None:
        message: dict[str, Any] = {"type": "message", "ts": message_ts, "bot_id": "BBOT"}
        container: dict[str, Any] = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        }
        if thread_ts is not None:
            message["thread_ts"] = container["thread_ts"] = thread_ts
        payload |= {"container": container, "channel": {"id": channel}, "message": message}
    else:
        view = dict(view or {"id": "VHOME", "type": "home"})
        payload |= {"container": {"type": "view", "view_id": view["id"]}, "view": view}
    return interactive(payload)


def view_submission(
    user: str,
    callback_id: str,
    values: Mapping[str, Mapping[str, Any]],
    metadata: str = "",
    view_id: str = "VMODAL",
) -> str:
    """A modal submitted; ``values`` is Slack's ``state.values`` shape."""
    return interactive(
        {
            "type": "view_submission",
            "team": {"id": "T0TEST"},
            "user": _user(user),
            "api_app_id": "A0MELDBOT",
            "trigger_id": "trigger-submit",
            "view": {
                "id": view_id,
                "type": "modal",
                "callback_id": callback_id,
                "private_metadata": metadata,
                "state": {"values": {k: dict(v) for k, v in values.items()}},
            },
        }
    )


def submitted_view_values(view: Mapping[str, Any], answers: Mapping[str, str]) -> dict[str, Any]:
    """``state.values`` for a rendered modal, filled in with ``answers`` (block_id → value)."""
    values: dict[str, Any] = {}
    for block in view.get("blocks") or []:
        if block.get("type") != "input":
            continue
        element = block["element"]
        answer = answers.get(block["block_id"])
        state: dict[str, Any] = {"type": element["type"]}
        if element["type"] == "plain_text_input":
            state["value"] = answer
        else:
            chosen = [o for o in element.get("options", []) if o["value"] == answer]
            state["selected_option"] = chosen[0] if chosen else None
        values[block["block_id"]] = {element["action_id"]: state}
    return values
