"""A fake Slack Web API (and Socket Mode endpoint) that the real slack_sdk client talks to.

Start it, point ``SLACK_API_URL`` at ``fake.url`` and inspect ``fake.calls``. It answers
the methods meldbot uses, keeps the messages it was sent, and rejects payloads that
break Block Kit's limits (``invalid_blocks``) the way Slack does. It can be scripted to
answer HTTP 429 (``rate_limit``) or an error (``fail``) for the next calls of a method, or
to fail every Web API call for a while (``outage``: HTTP 500, then 429 with Retry-After).

chat.delete and files.delete take messages and files away again (``fake.deleted``), and
answer ``message_not_found`` / ``file_not_found`` for what is not there (any more).

File uploads work as with ``files_upload_v2``: files.getUploadURLExternal hands out an
upload URL on this fake, the bytes are POSTed there (``fail_upload`` scripts an HTTP error),
and files.completeUploadExternal shares the file as a message in the channel or thread;
``fake.files`` keeps every file with its bytes, title and alt text.

Files people share (``share_file``) are served at their private URLs, as files.slack.com
serves them: only with the bot token (without it Slack redirects to its sign-in page);
``fake.downloads`` records every request for one, with the token it carried.

slack_sdk follows HTTP(S)_PROXY and ignores NO_PROXY: tests that use this fake must
clear those variables.

Block Kit's limits live in ``block_kit``; what Slack sends to an app in ``slack_payloads``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.block_kit import MESSAGE_BLOCKS, SlackApiProblem, checked_view, message_blocks


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
    files: list[str] = field(default_factory=list)  # ids of the files it shares
    broadcast: bool = False  # a thread reply also shown in the channel (reply_broadcast)


@dataclass
class UploadedFile:
    """A file announced with files.getUploadURLExternal; ``content`` once its bytes came."""

    id: str
    filename: str
    length: int
    alt_txt: str | None
    content: bytes | None = None
    title: str | None = None
    channel: str | None = None  # where files.completeUploadExternal shared it
    thread_ts: str | None = None


@dataclass
class PrivateFile:
    """A file someone shared: its Slack file object, and the bytes behind its URLs."""

    info: dict[str, Any]
    content: bytes


@dataclass(frozen=True)
class Outage:
    """Every Web API call fails from ``start`` (monotonic time): HTTP 500 for
    ``server_error`` seconds, then HTTP 429 for ``rate_limited`` seconds."""

    start: float
    server_error: float
    rate_limited: float
    retry_after: int

    @property
    def ends(self) -> float:
        return self.start + self.server_error + self.rate_limited

    def failing(self, now: float) -> int | None:
        """The HTTP status every call gets at ``now``; None once the outage is over."""
        if now < self.start + self.server_error:
            return 500
        return 429 if now < self.ends else None


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
    files: dict[str, UploadedFile] = field(default_factory=dict)
    private_files: dict[str, PrivateFile] = field(default_factory=dict)
    downloads: list[Call] = field(default_factory=list)
    deleted: list[tuple[str, str]] = field(default_factory=list)  # (channel, ts or file id)
    socket_received: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rate_limits: dict[str, int] = {}
        self._outage: Outage | None = None
        self._failures: dict[str, list[str]] = {}
        self._ts = itertools.count(1)
        self._view_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._upload_failures: list[int] = []
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Event()
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/socket", self._socket)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        app.router.add_get("/files-pri/{key}/{tail:.*}", self._private_file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{port}/api/"
        self.upload_base = f"http://127.0.0.1:{port}/upload/v1/"
        self.socket_url = f"ws://127.0.0.1:{port}/socket"
        self.files_base = f"http://127.0.0.1:{port}/files-pri/"
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

    def outage(self, server_error: float, rate_limited: float, retry_after: int = 1) -> Outage:
        """From now on, every Web API call answers HTTP 500 for ``server_error`` seconds,
        then HTTP 429 with ``Retry-After: retry_after`` for ``rate_limited`` seconds."""
        self._outage = Outage(time.monotonic(), server_error, rate_limited, retry_after)
        return self._outage

    def fail_upload(self, status: int = 500, times: int = 1) -> None:
        """Answer the next ``times`` POSTs of file bytes with HTTP ``status``."""
        self._upload_failures.extend([status] * times)

    def share_file(
        self,
        name: str,
        content: bytes,
        mimetype: str = "image/jpeg",
        *,
        size: int | None = None,
        url: str | None = None,
        **fields: Any,
    ) -> dict[str, Any]:
        """A file a person shares, as Slack lists it in a ``file_share`` message; ``size``
        and ``url`` can lie, ``fields`` add or override anything else."""
        file_id = f"F{next(self._file_ids):08d}"
        base = f"{self.files_base}{self.team_id}-{file_id}"
        info: dict[str, Any] = {
            "id": file_id,
            "name": name,
            "title": name,
            "mimetype": mimetype,
            "filetype": name.rpartition(".")[2].lower(),
            "size": len(content) if size is None else size,
            "mode": "hosted",
            "is_external": False,
            "url_private": url or f"{base}/{name}",
            "url_private_download": url or f"{base}/download/{name}",
            **fields,
        }
        self.private_files[file_id] = PrivateFile(info, content)
        return info

    def shared_files(self, channel: str) -> list[UploadedFile]:
        """Files shared in a channel (or one of its threads), in the order shared."""
        return [
            self.files[file_id]
            for m in self.messages
            if m.channel == channel
            for file_id in m.files
        ]

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
        if self._outage is not None and self._outage.failing(time.monotonic()):
            return self._outage_answer(call, self._outage)
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

    @staticmethod
    def _outage_answer(call: Call, outage: Outage) -> web.Response:
        call.status = outage.failing(time.monotonic()) or 500
        if call.status == 429:
            call.error = "ratelimited"
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(outage.retry_after)},
            )
        # What a load balancer in front of a failing Slack answers: HTML, not JSON.
        call.error = "internal_error"
        body = "<html><body><h1>500 Internal Server Error</h1></body></html>"
        return web.Response(status=500, text=body, content_type="text/html")

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
        blocks = message_blocks(params.get("blocks"), MESSAGE_BLOCKS)
        text = str(params.get("text") or "")
        if not text and not blocks:
            raise SlackApiProblem("no_text")
        existing.text, existing.blocks, existing.updates = text, blocks, existing.updates + 1
        return {"channel": channel, "ts": existing.ts, "text": text}

    def _chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        """As Slack: the message is gone (its thread's replies stay); twice is not found."""
        channel, ts = self._channel(params), str(params.get("ts") or "")
        try:
            self.messages.remove(self.message(channel, ts))
        except KeyError:
            raise SlackApiProblem("message_not_found") from None
        self.deleted.append((channel, ts))
        return {"channel": channel, "ts": ts}

    def _files_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        """The file and the messages that share it."""
        file_id = str(params.get("file") or "")
        upload = self.files.pop(file_id, None)
        if upload is None:
            raise SlackApiProblem("file_not_found")
        self.messages = [m for m in self.messages if file_id not in m.files]
        self.deleted.append((upload.channel or "", file_id))
        return {}

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

    def _files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        filename, length = params.get("filename"), str(params.get("length") or "")
        if not filename or not length.isdigit():
            raise SlackApiProblem("invalid_arguments", ["filename and length are required"])
        alt_txt = params.get("alt_txt")
        if alt_txt is not None and len(str(alt_txt)) > 1000:
            raise SlackApiProblem("invalid_arguments", ["alt_txt is longer than 1000"])
        file_id = f"F{next(self._file_ids):08d}"
        self.files[file_id] = UploadedFile(
            file_id, str(filename), int(length), str(alt_txt) if alt_txt else None
        )
        return {"upload_url": self.upload_base + file_id, "file_id": file_id}

    def _files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        listed = params.get("files")
        listed = json.loads(listed) if isinstance(listed, str) else listed
        if not isinstance(listed, list) or not listed:
            raise SlackApiProblem("invalid_arguments", ["files is required"])
        uploads = [self.files.get(str(item.get("id"))) for item in listed]
        if any(u is None or u.content is None for u in uploads):
            raise SlackApiProblem("file_not_found")
        channel = str(params.get("channel_id") or "")
        if channel and channel in self.missing_channels:
            raise SlackApiProblem("channel_not_found")
        shared = []
        for item, upload in zip(listed, uploads, strict=True):
            assert upload is not None
            upload.title = str(item.get("title") or upload.filename)
            shared.append({"id": upload.id, "title": upload.title})
        if channel:
            n = next(self._ts)
            thread_ts = params.get("thread_ts") or None
            text = str(params.get("initial_comment") or "")
            posted = Posted(channel, f"{1700000000 + n}.{n:06d}", text, [], thread_ts)
            posted.files = [u.id for u in uploads if u is not None]
            self.messages.append(posted)
            for upload in uploads:
                assert upload is not None
                upload.channel, upload.thread_ts = channel, thread_ts
        return {"files": shared}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        body = await request.read()
        call = Call("upload", {"file_id": file_id, "bytes": len(body)}, None, request.method)
        self.calls.append(call)
        self._changed.set()
        if self._upload_failures:
            call.status = self._upload_failures.pop(0)
            return web.Response(status=call.status, text="upload failed")
        upload = self.files.get(file_id)
        if upload is None or upload.content is not None:
            call.status = 404
            return web.Response(status=404, text="unknown upload")
        if len(body) != upload.length:
            call.status = 400
            return web.Response(status=400, text="length mismatch")
        upload.content = body
        return web.Response(text=f"OK - {len(body)}")

    def _files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        found = self.private_files.get(str(params.get("file") or ""))
        if found is None:
            raise SlackApiProblem("file_not_found")
        info = {k: v for k, v in found.info.items() if k != "file_access"}
        return {"file": info}

    async def _private_file(self, request: web.Request) -> web.Response:
        token = _token(request, {})
        file_id = request.match_info["key"].rpartition("-")[2]
        call = Call("files-pri", {"file_id": file_id}, token, request.method)
        self.downloads.append(call)
        self._changed.set()
        found = self.private_files.get(file_id)
        if token != self.token:
            # What files.slack.com does without a valid token: off to the sign-in page.
            call.status = 302
            raise web.HTTPFound(f"/?redir={request.path}")
        if found is None:
            call.status = 404
            raise web.HTTPNotFound
        return web.Response(body=found.content, content_type="application/octet-stream")

    def _users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user") or "")
        if user_id not in self.users:
            raise SlackApiProblem("user_not_found")
        return {"user": {"id": user_id, **self.users[user_id]}}

    def _views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("trigger_id"):
            raise SlackApiProblem("invalid_arguments", ["trigger_id is missing"])
        return self._store_view(checked_view(params.get("view"), "modal"))

    def _views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id = params.get("view_id")
        if not view_id and not params.get("external_id"):
            raise SlackApiProblem("invalid_arguments", ["view_id or external_id is missing"])
        if view_id and view_id not in self.views:
            raise SlackApiProblem("not_found")
        return self._store_view(checked_view(params.get("view"), "modal"), view_id=view_id)

    def _views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user_id = str(params.get("user_id") or "")
        if not user_id:
            raise SlackApiProblem("invalid_arguments", ["user_id is missing"])
        view = checked_view(params.get("view"), "home")
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
        blocks = message_blocks(params.get("blocks"), MESSAGE_BLOCKS)
        text = str(params.get("text") or "")
        if not text and not blocks:
            raise SlackApiProblem("no_text")
        if len(text) > 40000:
            raise SlackApiProblem("msg_too_long")
        n = next(self._ts)
        thread_ts = params.get("thread_ts") or None
        posted = Posted(channel, f"{1700000000 + n}.{n:06d}", text, blocks, thread_ts)
        posted.broadcast = bool(thread_ts) and params.get("reply_broadcast") in {True, "true", "1"}
        return posted

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
