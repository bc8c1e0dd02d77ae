"""Slack requests for the fuzz suite: real payload shapes, then broken (``hostile``)."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import time
from typing import Any
from urllib.parse import urlencode

from dialogs.router import FIRST_FIELD
from tests.fuzz.hostile import CONTENT_TYPES, ID_MARK, MARK, broken_bodies, dumps, mutated

# What meldbot's buttons say, and what no button says.
ACTIONS = [
    "report.start", "report.send", "report.urgent", "report.calm", "report.details",
    "report.discard", "held.add", "held.restart", "handover.yes", "handover.no",
    "held.answer", "held.report", "consult.start", "report.anonymous", "receipt.enter",
    "consult.reply", "consult.report", "consult.end", "consult.answer", "consult.close",
    "menu.mine", "menu.language", "case.add_info", "case.answer", "case.claim",
    "case.reopen", "case.ask", "case.status", "case.close", "case.correct",
    "case.handover", "oncall.on_it", "oncall.called_back", "proposal.agree",
    "consent.yes", "consent.no", "manager.done", "manager.not_done", "manager.help",
    "unknown.action", "",
]  # fmt: skip
FIELDS = [
    "narrative", "location", "category", "urgency", "question", "status", "summary",
    "text", "situation", "code", "answer", "note", "when", "kind", "police",
]  # fmt: skip
VALUES = ["1", "²", "٣", str(2**31), str(2**63), "0", "-1", "1:1", "1:²", "nl", "en", "", MARK]
Request = tuple[bytes, dict[str, str]]


def sign_bytes(secret: str, body: bytes, timestamp: str | None = None) -> dict[str, str]:
    ts = timestamp if timestamp is not None else str(int(time.time()))
    base = b"v0:" + ts.encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def _user(rng: random.Random) -> dict[str, Any]:
    uid = f"{ID_MARK}{rng.randrange(1, 6)}"
    return {"id": uid, "username": f"{MARK}.name", "name": f"{MARK} Naam", "team_id": "T0TEST"}


def event(rng: random.Random, n: int) -> dict[str, Any]:
    user = _user(rng)["id"]
    kind = rng.choice(["im", "channel", "join"])
    inner: dict[str, Any] = {
        "type": "message",
        "channel": "D" + user if kind == "im" else "C0GENERAL",
        "channel_type": kind if kind != "join" else "channel",
        "user": user,
        "text": rng.choice([f"{MARK} een klant schreeuwde", "hallo", "meld", "status", MARK]),
        "ts": f"1700000{n:03d}.{n:06d}",
        "event_ts": f"1700000{n:03d}.{n:06d}",
    }
    if kind == "join":
        inner = {"type": "member_joined_channel", "user": user, "channel": "C0GENERAL"}
    return {
        "token": "legacy",
        "team_id": "T0TEST",
        "api_app_id": "A0MELDBOT",
        "type": "event_callback",
        "event_id": f"EvFuzz{n}",
        "event_time": int(time.time()),
        "event": inner,
        "authorizations": [{"team_id": "T0TEST", "user_id": "UBOT", "is_bot": True}],
    }


def action(rng: random.Random) -> dict[str, Any]:
    value = rng.choice(VALUES)
    in_channel = rng.random() < 0.5
    payload: dict[str, Any] = {
        "type": "block_actions",
        "team": {"id": "T0TEST"},
        "user": _user(rng),
        "api_app_id": "A0MELDBOT",
        "trigger_id": "trigger-action",
        "actions": [
            {
                "type": rng.choice(["button", "static_select"]),
                "action_id": rng.choice(ACTIONS),
                "block_id": "b1",
                "value": value,
                "selected_option": {"value": value},
                "action_ts": "1700000000.2",
            }
        ],
    }
    if in_channel:
        channel = rng.choice(["C0COORD", "D" + payload["user"]["id"]])
        payload |= {
            "container": {"type": "message", "message_ts": "1700000000.000001",
                          "channel_id": channel, "is_ephemeral": False},
            "channel": {"id": channel},
            "message": {"type": "message", "ts": "1700000000.000001", "bot_id": "BBOT"},
        }  # fmt: skip
    else:
        payload |= {"container": {"type": "view", "view_id": "VHOME"},
                    "view": {"id": "VHOME", "type": "home"}}  # fmt: skip
    return payload


def submission(rng: random.Random) -> dict[str, Any]:
    form = rng.choice([*FIRST_FIELD, "unknown.form"])
    values: dict[str, Any] = {}
    for field in rng.sample(FIELDS, rng.randint(0, 6)):
        value = rng.choice([*VALUES, f"{MARK} " * 40])
        if rng.random() < 0.5:
            values[field] = {field: {"type": "plain_text_input", "value": value}}
        else:
            values[field] = {field: {"type": "static_select", "selected_option": {"value": value}}}
    return {
        "type": "view_submission",
        "team": {"id": "T0TEST"},
        "user": _user(rng),
        "api_app_id": "A0MELDBOT",
        "trigger_id": "trigger-submit",
        "view": {
            "id": f"VFUZZ{rng.randrange(10**6)}",
            "type": "modal",
            "callback_id": form,
            "private_metadata": rng.choice([*VALUES, "{}", '{"case": "²"}', "[]"]),
            "state": {"values": values},
        },
    }


def command(rng: random.Random) -> dict[str, Any]:
    user = _user(rng)["id"]
    return {
        "token": "legacy", "team_id": "T0TEST", "channel_id": rng.choice(["C0GENERAL", "D" + user]),
        "user_id": user, "user_name": f"{MARK}", "command": rng.choice(["/meld", "/other"]),
        "text": rng.choice(["", f"{MARK} iets gebeurd", "help"]), "api_app_id": "A0MELDBOT",
        "response_url": "https://hooks.slack.invalid/commands/1", "trigger_id": "trigger-command",
    }  # fmt: skip


def shortcut(rng: random.Random) -> dict[str, Any]:
    return {
        "type": rng.choice(["shortcut", "message_action"]), "token": "legacy",
        "action_ts": "1700000000.1", "team": {"id": "T0TEST"}, "user": _user(rng),
        "callback_id": rng.choice(["meld_report", "unknown"]), "trigger_id": "trigger-shortcut",
        "channel": {"id": "C0GENERAL"}, "message": {"ts": "1.2", "text": MARK},
    }  # fmt: skip


def signed_request(rng: random.Random, n: int) -> tuple[str, bytes, str]:
    """(what it is, body, content type): a real shape with hostile changes."""
    shape = rng.choice(["event", "event", "action", "action", "submission", "command", "shortcut"])
    if shape == "event":
        body = dumps(mutated(event(rng, n), rng))
        return shape, body.encode(), "application/json"
    if shape == "command":
        fields = mutated(command(rng), rng)
        if not isinstance(fields, dict):
            fields = {"payload": dumps(fields)}
        return shape, urlencode({k: dumps(v) if not isinstance(v, str) else v
                                 for k, v in fields.items()},
                               errors="surrogatepass").encode(), FORM  # fmt: skip
    make = {"action": action, "submission": submission, "shortcut": shortcut}[shape]
    payload = mutated(make(rng), rng)
    return shape, urlencode({"payload": dumps(payload)}).encode(), FORM


FORM = "application/x-www-form-urlencoded"


def raw_request(rng: random.Random, n: int) -> tuple[bytes, str]:
    """A body that is broken as bytes, with any content type."""
    valid = json.dumps(event(rng, n))
    return rng.choice(broken_bodies(rng, valid)), rng.choice(CONTENT_TYPES)


def unsigned_headers(rng: random.Random, secret: str, body: bytes) -> dict[str, str]:
    """Headers that do not prove Slack sent ``body``."""
    now = int(time.time())
    good = sign_bytes(secret, body)
    choice = rng.randrange(9)
    if choice == 0:
        return {}
    if choice == 1:
        return {
            **good,
            "X-Slack-Request-Timestamp": rng.choice(["abc", "", "1e9", "²", "-1", "9" * 40]),
        }
    if choice == 2:
        return sign_bytes(secret, body, str(now - 6 * 60))
    if choice == 3:
        return sign_bytes("wrong-secret", body)
    if choice == 4:
        return {**good, "X-Slack-Signature": "v0=" + "0" * 64}
    if choice == 5:
        return {**good, "X-Slack-Signature": rng.choice(["", "v0=", "v1=abc", "v0=zz" * 30])}
    if choice == 6:
        return sign_bytes(secret, body + b" ")
    if choice == 7:
        return {"X-Slack-Signature": good["X-Slack-Signature"]}
    return sign_bytes(secret, body, str(now + 6 * 60))
