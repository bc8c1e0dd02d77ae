"""A fake Bot Framework Connector (REST API v3, Teams flavour) for the real Agents SDK client.

Start it and use ``fake.url`` as the ``serviceUrl`` of inbound activities (see
``teams_payloads``); the SDK's ``ConnectorClient`` then sends, replies, updates and
deletes here. Every request is kept in ``fake.calls``; messages in ``fake.activities(…)``,
``fake.thread(…)``, ``fake.sent``, ``fake.updates``, ``fake.created``.

Threads work as in Teams: a channel post started with ``POST /v3/conversations`` gets the
conversation id ``<channel>;messageid=<id>``, and whatever is sent to that id, or replied
to one of its messages, joins that thread. ``fail_next`` scripts errors (429 with
Retry-After, 412, 5xx, 403, 404) for a number of requests, ``fail_for`` for a stretch of
time (an outage: every matching request fails until it is over); ``require_token`` makes
it check the bearer token.

Inline images (an ``image/*`` attachment whose ``contentUrl`` is a base64 ``data:`` URI)
are checked as Teams does (valid base64 of the declared type, at most 1 MB, else 400 or
413) and can be read back decoded with ``fake.images(…)``.

Files a person sends are served too: ``serve_image`` gives an inline image's ``contentUrl``
(``/v3/attachments/<id>/views/original``, behind the bot token like every connector route)
and ``serve_download`` a file's pre-authorised ``downloadUrl`` (no bearer token: the
``tempauth`` in the URL is the permission, as on SharePoint). ``fake.file_requests`` lists
every request for either, with its headers.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import itertools
import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from tests.fakes.teams_payloads import (
    TENANT_ID,
    Team,
    TeamsBot,
    TeamsUser,
    personal_conversation_id,
    split_thread_id,
    thread_id,
)

ERROR_CODES = {
    400: "BadArgument",
    401: "Unauthorized",
    403: "BotNotInConversationRoster",
    404: "NotFound",
    412: "PreconditionFailed",
    413: "MessageSizeTooBig",
    429: "Throttled",
    500: "InternalServerError",
    502: "BadGateway",
    503: "ServiceUnavailable",
    504: "GatewayTimeout",
}


@dataclass
class Call:
    """One request: HTTP method, decoded path, the ids in it, JSON body, headers, answer."""

    method: str
    path: str
    conversation_id: str | None
    activity_id: str | None
    body: Any
    headers: dict[str, str]
    query: dict[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass
class _Failure:
    status: int
    times: int
    retry_after: float | None
    method: str | None
    path_contains: str | None
    code: str | None
    message: str | None
    # For an outage: (start, end) on the monotonic clock; then ``times`` is not counted.
    window: tuple[float, float] | None = None


@dataclass
class _Posted:
    activity: dict[str, Any]
    conversation_id: str  # as addressed
    root_id: str | None  # the thread's first message, for channel conversations
    created: bool = False  # the first post of a conversation made with POST /v3/conversations
    deleted: bool = False


class ConnectorError(Exception):
    """An error answer: ``{"error": {"code": …, "message": …}}``, maybe with Retry-After."""

    def __init__(
        self, status: int, message: str, code: str | None = None, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.status, self.message = status, message
        self.code = code or ERROR_CODES.get(status, "Error")
        self.retry_after = retry_after

    def response(self) -> web.Response:
        headers = {}
        if self.retry_after is not None:
            seconds = float(self.retry_after)
            headers["Retry-After"] = str(int(seconds) if seconds.is_integer() else seconds)
        body = {"error": {"code": self.code, "message": self.message}}
        return web.json_response(body, status=self.status, headers=headers)


class FakeBotConnector:
    def __init__(
        self,
        require_token: str | Callable[[str], bool] | None = None,
        latency: float = 0.0,
        bot: TeamsBot | None = None,
        tenant_id: str = TENANT_ID,
        access_log: bool = True,
    ) -> None:
        self.require_token = require_token
        # Off when a test searches the logs for what meldbot logs: the fake stands for
        # Microsoft's servers, whose access log names every conversation they serve.
        self.access_log = access_log
        self.latency = latency  # seconds before every answer
        self.bot = bot or TeamsBot()
        self.tenant_id = tenant_id
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.created: list[dict[str, Any]] = []
        self.deleted: list[str] = []
        self.members: dict[str, list[dict[str, Any]]] = {}  # conversation id → roster
        self.teams: dict[str, Team] = {}
        self._posted: list[_Posted] = []
        self._files: dict[str, bytes] = {}
        self.file_requests: list[Call] = []
        self._ids = itertools.count(1000001)
        self._failures: list[_Failure] = []
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.url = ""

    # -- lifecycle ---------------------------------------------------------------

    async def start(self) -> FakeBotConnector:
        # Large enough for an oversized image to reach the check that answers as Teams does.
        app = web.Application(client_max_size=4 * INLINE_IMAGE_BYTES)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = (
            web.AppRunner(app) if self.access_log else web.AppRunner(app, access_log=None)
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotConnector:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- scripting ---------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        times: int = 1,
        retry_after: float | None = None,
        method: str | None = None,
        path_contains: str | None = None,
        code: str | None = None,
        message: str | None = None,
    ) -> None:
        """Answer the next ``times`` matching requests with ``status`` and an error body."""
        method = method.upper() if method else None
        self._failures.append(
            _Failure(status, times, retry_after, method, path_contains, code, message)
        )

    def fail_for(
        self,
        status: int,
        seconds: float,
        *,
        after: float = 0.0,
        retry_after: float | None = None,
        method: str | None = None,
        path_contains: str | None = None,
    ) -> None:
        """Answer every matching request with ``status`` for ``seconds``, starting ``after``
        seconds from now: an outage of Microsoft's, however many requests it meets."""
        start = time.monotonic() + after
        method = method.upper() if method else None
        window = (start, start + seconds)
        failure = _Failure(status, 0, retry_after, method, path_contains, None, None, window)
        self._failures.append(failure)

    def set_members(
        self, conversation_id: str, members: Iterable[TeamsUser | Mapping[str, Any]]
    ) -> None:
        """The roster of a conversation, team or chat (``;messageid=`` is ignored)."""
        self.members[_base(conversation_id)] = [
            m.member(self.tenant_id) if isinstance(m, TeamsUser) else dict(m) for m in members
        ]

    def add_team(self, team: Team, members: Iterable[TeamsUser | Mapping[str, Any]] = ()) -> None:
        self.teams[team.id] = team
        self.set_members(team.id, members)

    def serve_image(self, content: bytes) -> str:
        """The ``contentUrl`` of an inline image someone pasted into a chat."""
        attachment_id = f"0-weu-d1-{next(self._ids)}"
        self._files[attachment_id] = content
        return f"{self.url}v3/attachments/{attachment_id}/views/original"

    def serve_download(self, content: bytes, name: str) -> str:
        """The pre-authorised ``downloadUrl`` of a file someone attached from OneDrive."""
        file_id = str(next(self._ids))
        self._files[file_id] = content
        return f"{self.url}download/{file_id}/{name}?tempauth=v1.{file_id}.signed"

    # -- inspection --------------------------------------------------------------

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Every activity sent or replied (not the first posts of created conversations)."""
        return [p.activity for p in self._posted if not p.created]

    def activities(self, conversation_id: str, deleted: bool = False) -> list[dict[str, Any]]:
        """Messages in a conversation as they stand now; a channel id includes its threads."""
        base, root = split_thread_id(conversation_id)
        return [
            p.activity
            for p in self._posted
            if _base(p.conversation_id) == base
            and (root is None or p.root_id == root)
            and (deleted or not p.deleted)
        ]

    def thread(self, root: str) -> list[dict[str, Any]]:
        """A channel thread, first post first: by its conversation id or its root id."""
        root_id = split_thread_id(root)[1] or root
        return [p.activity for p in self._posted if p.root_id == root_id and not p.deleted]

    def activity(self, activity_id: str) -> dict[str, Any]:
        return self._find(activity_id).activity

    def images(self, conversation_id: str) -> list[tuple[dict[str, Any], bytes]]:
        """Inline images in a conversation (a channel id includes its threads), decoded,
        each with the activity that carried it."""
        return [
            (activity, _data_uri_bytes(attachment["contentUrl"]))
            for activity in self.activities(conversation_id)
            for attachment in activity.get("attachments") or []
            if str(attachment.get("contentType", "")).startswith("image/")
            and str(attachment.get("contentUrl", "")).startswith("data:")
        ]

    async def wait_for_sent(self, count: int = 1, seconds: float = 5.0) -> list[dict[str, Any]]:
        """``fake.sent`` once it holds at least ``count`` activities."""
        deadline = time.monotonic() + seconds
        while len(self.sent) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{count} sent expected; calls: {self._summary()}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return self.sent

    async def settle(self, quiet: float = 0.2) -> None:
        """Wait until no request has come in for ``quiet`` seconds."""
        while True:
            seen = len(self.calls)
            await asyncio.sleep(quiet)
            if len(self.calls) == seen:
                return

    def _summary(self) -> list[tuple[str, str, int]]:
        return [(c.method, c.path, c.status) for c in self.calls]

    # -- the API -----------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        parts = [unquote(part) for part in request.rel_url.raw_path.strip("/").split("/")]
        body: Any = None
        if request.can_read_body:
            body = await request.text()
            with contextlib.suppress(json.JSONDecodeError):
                body = json.loads(body)
        conversation_id = (
            parts[2] if parts[:2] == ["v3", "conversations"] and len(parts) > 2 else None
        )
        activity_id = parts[4] if conversation_id and len(parts) > 4 else None
        call = Call(
            request.method,
            "/" + "/".join(parts),
            conversation_id,
            activity_id,
            body,
            dict(request.headers),
            dict(request.query),
        )
        self.calls.append(call)
        if self.latency:
            await asyncio.sleep(self.latency)
        if parts[:1] == ["download"] or parts[:2] == ["v3", "attachments"]:
            return self._file(call, parts, request)
        try:
            self._authorize(request.headers.get("Authorization", ""))
            self._scripted_failure(call)
            answer = self._route(request.method, parts, body, call.query)
        except ConnectorError as error:
            call.status = error.status
            return error.response()
        finally:
            self._changed.set()
        call.status = 201 if request.method == "POST" else 200
        if request.method == "DELETE":
            return web.Response(status=call.status)
        return web.json_response(answer, status=call.status)

    def _file(self, call: Call, parts: list[str], request: web.Request) -> web.Response:
        self.file_requests.append(call)
        self._changed.set()
        try:
            if parts[0] == "download":  # SharePoint: the URL carries the permission
                file_id = parts[1] if len(parts) > 1 else ""
                if request.query.get("tempauth") != f"v1.{file_id}.signed":
                    raise ConnectorError(401, "Access denied.", "accessDenied")
            else:
                self._authorize(request.headers.get("Authorization", ""))
                file_id = parts[2] if len(parts) > 2 else ""
            if file_id not in self._files:
                raise ConnectorError(404, "File not found.")
        except ConnectorError as error:
            call.status = error.status
            return error.response()
        return web.Response(body=self._files[file_id], content_type="application/octet-stream")

    def _authorize(self, header: str) -> None:
        if self.require_token is None:
            return
        scheme, _, token = header.partition(" ")
        expected = self.require_token
        ok = scheme == "Bearer" and bool(token)
        ok = ok and (expected(token) if callable(expected) else token == expected)
        if not ok:
            raise ConnectorError(401, "Authorization has been denied for this request.")

    def _scripted_failure(self, call: Call) -> None:
        now = time.monotonic()
        self._failures = [f for f in self._failures if f.window is None or now < f.window[1]]
        for failure in self._failures:
            if failure.method not in (None, call.method):
                continue
            if failure.path_contains is not None and failure.path_contains not in call.path:
                continue
            if failure.window is not None:
                if now < failure.window[0]:
                    continue
            else:
                failure.times -= 1
                if failure.times <= 0:
                    self._failures.remove(failure)
            message = failure.message or f"Scripted failure (HTTP {failure.status})"
            raise ConnectorError(failure.status, message, failure.code, failure.retry_after)

    def _route(self, method: str, parts: list[str], body: Any, query: dict[str, str]) -> Any:
        match method, parts:
            case "POST", ["v3", "conversations"]:
                return self._create(_object(body))
            case "POST", ["v3", "conversations", conversation_id, "activities"]:
                return {"id": self._store(conversation_id, _activity(body)).activity["id"]}
            case "POST", ["v3", "conversations", conversation_id, "activities", activity_id]:
                posted = self._store(conversation_id, _activity(body), reply_to=activity_id)
                return {"id": posted.activity["id"]}
            case "PUT", ["v3", "conversations", conversation_id, "activities", activity_id]:
                return self._update(conversation_id, activity_id, _activity(body))
            case "DELETE", ["v3", "conversations", conversation_id, "activities", activity_id]:
                posted = self._find(activity_id, conversation_id)
                posted.deleted = True
                self.deleted.append(activity_id)
                return None
            case "GET", ["v3", "conversations", conversation_id, "members"]:
                return self._roster(conversation_id)
            case "GET", ["v3", "conversations", conversation_id, "members", member_id]:
                for member in self._roster(conversation_id):
                    if member_id in (member.get("id"), member.get("aadObjectId")):
                        return member
                raise ConnectorError(404, "Member not found.", "MemberNotFoundInConversation")
            case "GET", ["v3", "conversations", conversation_id, paged] if (
                paged.lower() == "pagedmembers"  # the Teams client asks for pagedMembers
            ):
                roster = self._roster(conversation_id)
                start = int(query.get("continuationToken") or 0)
                end = start + int(query.get("pageSize") or 200)
                page: dict[str, Any] = {"members": roster[start:end]}
                if end < len(roster):
                    page["continuationToken"] = str(end)
                return page
            case "GET", ["v3", "teams", team_id, *rest] if rest in ([], ["conversations"]):
                return self._team(team_id, channels=bool(rest))
        raise ConnectorError(404, f"No route for {method} /{'/'.join(parts)}")

    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        self.created.append(body)
        activity = body.get("activity")
        channel = ((body.get("channelData") or {}).get("channel") or {}).get("id")
        if body.get("isGroup") and channel:
            if not isinstance(activity, dict):
                raise ConnectorError(400, "A channel conversation needs an activity.")
            posted = self._store(channel, activity, created=True)
            return {"id": posted.conversation_id, "activityId": posted.activity["id"]}
        members = body.get("members") or []
        tenant = body.get("tenantId") or ((body.get("channelData") or {}).get("tenant") or {})
        if len(members) != 1 or not members[0].get("id") or not tenant:
            raise ConnectorError(400, "Incorrect conversation creation parameters", "BadSyntax")
        bot_id = (body.get("bot") or {}).get("id") or self.bot.id
        conversation_id = personal_conversation_id(members[0]["id"], bot_id)
        self.members.setdefault(conversation_id, [dict(members[0])])
        answer = {"id": conversation_id}
        if isinstance(activity, dict):
            posted = self._store(conversation_id, activity, created=True)
            answer["activityId"] = posted.activity["id"]
        return answer

    def _store(
        self,
        conversation_id: str,
        activity: dict[str, Any],
        reply_to: str | None = None,
        created: bool = False,
    ) -> _Posted:
        activity, new_id = dict(activity), str(next(self._ids))
        base, root = split_thread_id(conversation_id)
        if reply_to is not None:
            activity.setdefault("replyToId", reply_to)
            known = [p for p in self._posted if p.activity["id"] == reply_to]
            root = root or (known[0].root_id if known else None) or reply_to
        elif root is None and _is_channel(base):
            root, conversation_id = new_id, thread_id(base, new_id)
        activity["id"] = new_id
        posted = _Posted(activity, conversation_id, root, created)
        self._posted.append(posted)
        return posted

    def _update(
        self, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> dict[str, Any]:
        posted = self._find(activity_id, conversation_id)
        self.updates.append(dict(activity))
        kept = {k: posted.activity[k] for k in ("replyToId",) if k in posted.activity}
        posted.activity.clear()
        posted.activity.update(activity, id=activity_id, **kept)
        return {"id": activity_id}

    def _find(self, activity_id: str, conversation_id: str | None = None) -> _Posted:
        for posted in self._posted:
            if posted.activity["id"] != activity_id or posted.deleted:
                continue
            if conversation_id is None or _base(posted.conversation_id) == _base(conversation_id):
                return posted
        raise ConnectorError(404, "Activity not found.", "ActivityNotFoundInConversation")

    def _roster(self, conversation_id: str) -> list[dict[str, Any]]:
        roster = self.members.get(_base(conversation_id))
        if roster is None:
            raise _no_conversation(conversation_id)
        return roster

    def _team(self, team_id: str, channels: bool) -> dict[str, Any]:
        team = self.teams.get(team_id)
        if team is None:
            raise _no_conversation(team_id)
        listed = [{"id": team.id}] + [
            {"id": c.id, "name": c.name} for c in team.channels if c.id != team.id
        ]
        if channels:
            return {"conversations": listed}
        return team.ref() | {
            "channelCount": len(listed),
            "memberCount": len(self.members.get(team.id, [])),
            "type": "standard",
        }


def _no_conversation(conversation_id: str) -> ConnectorError:
    return ConnectorError(404, f"Conversation not found: {conversation_id}", "ConversationNotFound")


def _is_channel(conversation_id: str) -> bool:
    """Team channels (``@thread.tacv2``, ``@thread.skype``) have threads; group chats do not."""
    return conversation_id.startswith("19:") and not conversation_id.endswith("@thread.v2")


def _base(conversation_id: str) -> str:
    return split_thread_id(conversation_id)[0]


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise ConnectorError(400, "The request body must be a JSON object.", "BadSyntax")
    return body


def _activity(body: Any) -> dict[str, Any]:
    activity = _object(body)
    if not activity.get("type"):
        raise ConnectorError(400, "Activity type is required.")
    for attachment in activity.get("attachments") or []:
        url, kind = str(attachment.get("contentUrl") or ""), str(attachment.get("contentType"))
        if kind.startswith("image/") and url.startswith("data:"):
            if not url.startswith(f"data:{kind};base64,"):
                raise ConnectorError(400, "The image's data URI does not match its type.")
            if len(_data_uri_bytes(url)) > INLINE_IMAGE_BYTES:
                raise ConnectorError(413, "Message size too large.", "MessageSizeTooBig")
    return activity


INLINE_IMAGE_BYTES = 1024 * 1024


def _data_uri_bytes(url: str) -> bytes:
    try:
        return base64.b64decode(url.partition(";base64,")[2], validate=True)
    except binascii.Error:
        raise ConnectorError(400, "The image's data URI is not base64.") from None
