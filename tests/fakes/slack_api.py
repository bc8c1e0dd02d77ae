"""A fake Slack Web API (and Socket Mode endpoint) that the real slack_sdk client talks to.

Start it, point ``SLACK_API_URL`` at ``fake.url`` and inspect ``fake.calls``. It answers
the methods meldbot uses, keeps the messages it was sent, and rejects payloads that
break Block Kit's limits (``invalid_blocks``) the way Slack does. It can be scripted to
answer HTTP 429 (``rate_limit``) or an error (``fail``) for the next calls of a method.

slack_sdk follows HTTP(S)_PROXY and ignores NO_PROXY: tests that use this fake must
clear those variables.

Also here: ``sign`` and builders for the payloads Slack sends to an app.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from aiohttp import WSMsgType, web

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100


@dataclass
class Call:
    """One request to the fake: method, merged params (query, form or JSON), token, outcome."""

    method: str
    params: dict[str, Any]
    token: str | None
    http_method: str
    status: int = 200
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.error is None

    def json_param(self, name: str) -> Any:
        """A parameter that may arrive as JSON text (form-encoded) or as JSON (JSON body)."""
        value = self.params.get(name)
        return json.loads(value) if isinstance(value, str) else value


@dataclass
class Posted:
    """A message the fake accepted, as it stands now (updates applied)."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None = None
    user: str | None = None  # for ephemeral messages: who sees it
    ephemeral: bool = False
    updates: int = 0


class SlackApiProblem(Exception):
    def __init__(self, error: str, details: Sequence[str] = ()) -> None:
        super().__init__(error)
        self.error = error
        self.details = list(details)


@dataclass
class FakeSlack:
    token: str = "xoxb-test"
    app_token: str = "xapp-test"
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    team_id: str = "T0TEST"
    members: dict[str, list[str]] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing_channels: set[str] = field(default_factory=set)
    members_page_size: int | None = None

    calls: list[Call] = field(default_factory=list)
    messages: list[Posted] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    homes: dict[str, dict[str, Any]] = field(default_factory=dict)
    socket_received: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rate_limits: dict[str, int] = {}
        self._failures: dict[str, list[str]] = {}
        self._ts = itertools.count(1)
        self._view_ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Event()
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/api/"
        self.socket_url = f"ws://127.0.0.1:{port}/socket"
        return self

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeSlack:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- scripting and inspection ------------------------------------------------

    def rate_limit(self, method: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with HTTP 429, Retry-After: 1."""
        self._rate_limits[method] = self._rate_limits.get(method, 0) + times

    def fail(self, method: str, error: str, times: int = 1) -> None:
        """Answer the next ``times`` calls of ``method`` with ``{"ok": false, "error": …}``."""
        self._failures.setdefault(method, []).extend([error] * times)

    def calls_to(self, method: str, *, ok_only: bool = True) -> list[Call]:
        return [c for c in self.calls if c.method == method and (c.ok or not ok_only)]

    def in_channel(self, channel: str) -> list[Posted]:
        """Top-level messages of a channel (not thread replies, not ephemeral)."""
        return [
            m
            for m in self.messages
            if m.channel == channel and not m.ephemeral and m.thread_ts in (None, m.ts)
        ]

    def replies(self, channel: str, thread_ts: str) -> list[Posted]:
        """Replies in a thread that everyone sees (not ephemeral ones)."""
        return [
            m
            for m in self.messages
            if m.channel == channel
            and m.thread_ts == thread_ts
            and m.ts != thread_ts
            and not m.ephemeral
        ]

    def message(self, channel: str, ts: str) -> Posted:
        for posted in self.messages:
            if posted.channel == channel and posted.ts == ts:
                return posted
        raise KeyError((channel, ts))

    async def wait_for(self, method: str, count: int = 1, seconds: float = 5.0) -> list[Call]:
        """The successful calls of ``method``, once there are at least ``count`` of them."""
        deadline = time.monotonic() + seconds
        while len(self.calls_to(method)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.status, c.error) for c in self.calls]
                raise AssertionError(f"{count} × {method} expected; calls so far: {seen}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return self.calls_to(method)

    async def settle(self, quiet: float = 0.2) -> None:
        """Wait until no call has come in for ``quiet`` seconds (for asserting absence)."""
        while True:
            seen = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == seen:
                return

    # -- Socket Mode -------------------------------------------------------------

    async def socket_send(self, envelope: Mapping[str, Any]) -> None:
        """Send an envelope to every connected Socket Mode client."""
        for socket in self._sockets:
            await socket.send_json(dict(envelope))

    @property
    def sockets_open(self) -> int:
        return len(self._sockets)

    async def wait_for_socket(self, seconds: float = 5.0) -> None:
        deadline = time.monotonic() + seconds
        while not self._sockets:
            if time.monotonic() > deadline:
                raise AssertionError("no Socket Mode client connected")
            await asyncio.sleep(0.02)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse(autoping=True)
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1})
        try:
            async for frame in socket:
                if frame.type == WSMsgType.TEXT:
                    self.socket_received.append(json.loads(frame.data))
                    self._changed.set()
        finally:
            self._sockets.remove(socket)
        return socket

    # -- the Web API -------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        token = _token(request, params)
        call = Call(method, params, token, request.method)
        self.calls.append(call)
        self._changed.set()
        if self._rate_limits.get(method):
            self._rate_limits[method] -= 1
            call.status, call.error = 429, "ratelimited"
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "1"}
            )
        try:
            if self._failures.get(method):
                raise SlackApiProblem(self._failures[method].pop(0))
            expected = self.app_token if method == "apps.connections.open" else self.token
            if token is None:
                raise SlackApiProblem("not_authed")
            if token != expected:
                raise SlackApiProblem("invalid_auth")
            answer = getattr(self, "_" + method.replace(".", "_"), None)
            if answer is None:
                raise SlackApiProblem("unknown_method")
            body: dict[str, Any] = answer(params)
        except SlackApiProblem as problem:
            call.error = problem.error
            body = {"ok": False, "error": problem.error}
            if problem.details:
                body["response_metadata"] = {"messages": problem.details}
            return web.json_response(body)
        return web.json_response({"ok": True, **body})

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://meldbot-test.slack.com/",
            "team": "meldbot test",
            "user": "meldbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.socket_url}

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        posted = self._accept_message(params)
        self.messages.append(posted)
        message = {"type": "message", "text": posted.text, "ts": posted.ts, "bot_id": self.bot_id}
        return {"channel": posted.channel, "ts": posted.ts, "message": message}

    def _chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("user"):
            raise SlackApiProblem("user_not_found")
        posted = self._accept_message(params)
        posted.user, posted.ephemeral = str(params["user"]), True
        self.messages.append(posted)
        return {"message_ts": posted.ts}

    def _chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        try:
            existing = self.message(channel, str(params.get("ts")))
        except KeyError:
            raise SlackApiProblem("message_not_found") from None
        blocks = _blocks(params.get("blocks"), MESSAGE_BLOCKS)
        text = str(params.get("text") or "")
        if not text and not blocks:
            raise SlackApiProblem("no_text")
        existing.text, existing.blocks, existing.updates = text, blocks, existing.updates + 1
        return {"channel": channel, "ts": existing.ts, "text": text}

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users") or "").split(",")
        if not users[0]:
            raise SlackApiProblem("users_list_not_supplied")
        if len(users) > 1:
            raise SlackApiProblem("not_implemented")
        return {"channel": {"id": "D" + users[0]}}

    def _conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        if channel not in self.members:
            raise SlackApiProblem("channel_not_found")
        members = self.members[channel]
        start = int(params.get("cursor") or 0)
        size = self.members_page_size or int(params.get("limit") or 100)
        page = members[start : start + size]
        following = start + size
        cursor = str(following) if following < len(members) else ""
        return {"members": page, "response_metadata": {"next_cursor": cursor}}

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user") or "")
        if user_id not in self.users:
            raise SlackApiProblem("user_not_found")
        return {"user": {"id": user_id, **self.users[user_id]}}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            raise SlackApiProblem("invalid_arguments", ["trigger_id is missing"])
        return self._store_view(_view(params.get("view"), "modal"))

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if not view_id and not params.get("external_id"):
            raise SlackApiProblem("invalid_arguments", ["view_id or external_id is missing"])
        if view_id and view_id not in self.views:
            raise SlackApiProblem("not_found")
        return self._store_view(_view(params.get("view"), "modal"), view_id=view_id)

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user_id") or "")
        if not user_id:
            raise SlackApiProblem("invalid_arguments", ["user_id is missing"])
        view = _view(params.get("view"), "home")
        self.homes[user_id] = view
        return self._store_view(view)

    # -- helpers -----------------------------------------------------------------

    def _channel(self, params: Mapping[str, Any]) -> str:
        channel = str(params.get("channel") or "")
        if not channel or channel in self.missing_channels:
            raise SlackApiProblem("channel_not_found")
        return channel

    def _accept_message(self, params: dict[str, Any]) -> Posted:
        channel = self._channel(params)
        blocks = _blocks(params.get("blocks"), MESSAGE_BLOCKS)
        text = str(params.get("text") or "")
        if not text and not blocks:
            raise SlackApiProblem("no_text")
        if len(text) > 40000:
            raise SlackApiProblem("msg_too_long")
        n = next(self._ts)
        thread_ts = params.get("thread_ts") or None
        return Posted(channel, f"{1700000000 + n}.{n:06d}", text, blocks, thread_ts)

    def _store_view(self, view: dict[str, Any], view_id: str | None = None) -> dict[str, Any]:
        view_id = view_id or f"V{next(self._view_ids):08d}"
        stored = {"id": view_id, "team_id": self.team_id, **view}
        self.views[view_id] = stored
        return {"view": stored}


# -- request parsing -----------------------------------------------------------------


async def _params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                raise web.HTTPBadRequest(text="invalid JSON") from None
            params.update(body)
        else:
            params.update(dict(await request.post()))
    return params


def _token(request: web.Request, params: Mapping[str, Any]) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ")
    value = params.get("token")
    return str(value) if value else None


# -- Block Kit limits ----------------------------------------------------------------


def _json(value: Any, what: str) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise SlackApiProblem("invalid_blocks", [f"{what} is not valid JSON"]) from None
    return value


def _blocks(value: Any, limit: int) -> list[dict[str, Any]]:
    if value is None:
        return []
    blocks = _json(value, "blocks")
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise SlackApiProblem("invalid_blocks", ["blocks must be a list of objects"])
    problems = block_problems(blocks, limit)
    if problems:
        raise SlackApiProblem("invalid_blocks", problems)
    return blocks


def _view(value: Any, kind: str) -> dict[str, Any]:
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


# -- what Slack sends to the app -----------------------------------------------------


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
