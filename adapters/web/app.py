"""HTTP routes of the web chat: the page, its assets, uploaded files, the live stream and
the JSON actions (type, press, submit, open home, join and leave a team channel); typing
may also come as multipart, with files."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from aiohttp import web

from adapters.web import page
from adapters.web.chrome import Chrome
from adapters.web.guard import (
    CONTENT_SECURITY_POLICY,
    SECURITY_HEADERS,
    BadBody,
    BodyTooLarge,
    local_host,
    read_json,
    same_origin,
)
from adapters.web.hub import CLOSE, Hub
from adapters.web.inbound import Dispatcher, Refused
from adapters.web.personas import PANES, Pane, Personas
from adapters.web.present import Presenter
from adapters.web.store import Conversations
from adapters.web.uploads import FilesTooLarge, read_message_form
from bot.attachments.policy import Limits
from bot.attachments.views import size_text
from bot.events import IncomingFile

log = logging.getLogger(__name__)
HEARTBEAT_SECONDS = 15.0
Body = dict[str, Any]
Action = Callable[[Body], Awaitable[dict[str, Any]]]


class Routes:
    def __init__(
        self,
        dispatcher: Dispatcher,
        conversations: Conversations,
        presenter: Presenter,
        hub: Hub,
        chrome: Chrome,
        personas: Personas,
        limits: Limits | None = None,
    ) -> None:
        self._limits = limits or Limits()
        self._dispatcher = dispatcher
        self._conversations = conversations
        self._presenter = presenter
        self._hub = hub
        self._chrome = chrome
        self._personas = personas

    def add_to(self, app: web.Application) -> None:
        app.router.add_get("/", self.page)
        app.router.add_get("/web/static/{name}", self.asset)
        app.router.add_get("/web/api/stream", self.stream)
        app.router.add_get("/web/files/{key}", self.file)
        app.router.add_post("/web/api/message", self._guarded(self._message))
        app.router.add_post("/web/api/action", self._post(self._action))
        app.router.add_post("/web/api/form", self._post(self._form))
        app.router.add_post("/web/api/home", self._post(self._home))
        app.router.add_post("/web/api/join", self._post(self._join))
        app.router.add_post("/web/api/leave", self._post(self._leave))
        app.on_shutdown.append(self._shutdown)

    # -- GET ----------------------------------------------------------------------------

    async def page(self, request: web.Request) -> web.Response:
        if not local_host(request):
            return self._forbidden()
        html = page.index(self._chrome, self._personas, self._conversations.channels, self._limits)
        headers = {**SECURITY_HEADERS, "Content-Security-Policy": CONTENT_SECURITY_POLICY}
        return web.Response(text=html, content_type="text/html", headers=headers)

    async def asset(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if not local_host(request):
            return self._forbidden()
        if name not in page.ASSETS:
            raise web.HTTPNotFound
        return web.Response(
            body=page.asset(name),
            content_type=page.ASSETS[name],
            charset="utf-8",
            headers=SECURITY_HEADERS,
        )

    async def file(self, request: web.Request) -> web.Response:
        """An uploaded file, as the type its bytes were checked to be; never sniffed, never
        cached, never run as a page: images inline, anything else only as a download."""
        if not local_host(request):
            return self._forbidden()
        found = self._conversations.file(request.match_info["key"])
        if found is None:
            raise web.HTTPNotFound
        disposition = "inline" if found.is_image else download_disposition(found.name)
        headers = {
            **SECURITY_HEADERS,
            "Content-Disposition": disposition,
            "Content-Security-Policy": "default-src 'none'; sandbox",
        }
        return web.Response(body=found.content, content_type=found.content_type, headers=headers)

    async def stream(self, request: web.Request) -> web.StreamResponse:
        if not local_host(request):
            return self._forbidden()
        response = web.StreamResponse(
            headers={**SECURITY_HEADERS, "Content-Type": "text/event-stream"}
        )
        await response.prepare(request)
        queue = self._hub.subscribe()
        try:
            await response.write(b"retry: 2000\n\n")
            await response.write(self._presenter.snapshot(self._conversations).encode())
            while True:
                try:
                    push = await asyncio.wait_for(queue.get(), HEARTBEAT_SECONDS)
                except TimeoutError:
                    await response.write(b": still here\n\n")
                    continue
                if push is CLOSE:
                    break
                await response.write(push.encode())
        except ConnectionResetError:
            pass  # the browser went away; it reconnects by itself
        finally:
            self._hub.unsubscribe(queue)
        return response

    async def _shutdown(self, _app: web.Application) -> None:
        self._hub.close()

    # -- POST ---------------------------------------------------------------------------

    def _post(self, action: Action) -> Callable[[web.Request], Awaitable[web.Response]]:
        """A JSON action."""

        async def work(request: web.Request) -> dict[str, Any]:
            body = await read_json(request)
            if not isinstance(body, dict):
                raise BadBody("shape")
            return await action(body)

        return self._guarded(work)

    def _guarded(
        self, work: Callable[[web.Request], Awaitable[dict[str, Any]]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        """Local host and same origin first; every refusal a 4xx with the page's words."""

        async def handle(request: web.Request) -> web.Response:
            if not local_host(request) or not same_origin(request):
                return self._json({"ok": False, "error": self._chrome("error_cross_origin")}, 403)
            try:
                result = await work(request)
            except FilesTooLarge:
                return self._json({"ok": False, "error": self._files_too_large()}, 413)
            except BodyTooLarge:
                return self._json({"ok": False, "error": self._chrome("error_body_too_large")}, 413)
            except BadBody:
                return self._json({"ok": False, "error": self._chrome("error_bad_request")}, 400)
            except Refused as refusal:
                return self._json({"ok": False, "error": refusal.message}, refusal.status)
            except Exception as error:
                # Most often the database is out of reach; what was typed stays in the box.
                # The kind only: a database error's text can carry what it was storing.
                log.error("web: %s failed (%s)", request.path, type(error).__name__)
                return self._json({"ok": False, "error": self._chrome("error_try_again")}, 503)
            status = 422 if result.get("ok") is False else 200
            return self._json(result, status)

        return handle

    async def _message(self, request: web.Request) -> dict[str, Any]:
        files: list[IncomingFile] = []
        if request.content_type == "multipart/form-data":
            posted = await read_message_form(request, self._limits)
            body: Body = dict(posted.fields)
            files = posted.files
        else:
            loaded = await read_json(request)
            if not isinstance(loaded, dict):
                raise BadBody("shape")
            body = loaded
        return await self._dispatcher.text(
            _pane(body),
            _text(body, "persona"),
            _text(body, "text", allow_empty=True),
            _optional(body, "thread"),
            _optional(body, "channel"),
            files=files,
        )

    def _files_too_large(self) -> str:
        size = size_text(self._limits.max_bytes, self._chrome.language)
        return self._chrome("error_files_too_large", limit=size, count=self._limits.max_files)

    async def _action(self, body: Body) -> dict[str, Any]:
        return await self._dispatcher.action(
            _pane(body),
            _text(body, "persona"),
            _optional(body, "message"),
            _text(body, "action"),
            _text(body, "value", allow_empty=True),
        )

    async def _form(self, body: Body) -> dict[str, Any]:
        answers = body.get("values")
        if not isinstance(answers, dict):
            raise BadBody("values")
        return await self._dispatcher.submit(_text(body, "token"), answers)

    async def _home(self, body: Body) -> dict[str, Any]:
        return await self._dispatcher.home(_text(body, "persona"))

    async def _join(self, body: Body) -> dict[str, Any]:
        return await self._dispatcher.join(_text(body, "persona"), _text(body, "channel"))

    async def _leave(self, body: Body) -> dict[str, Any]:
        return await self._dispatcher.leave(_text(body, "persona"), _text(body, "channel"))

    # -- responses ----------------------------------------------------------------------

    @staticmethod
    def _json(data: dict[str, Any], status: int) -> web.Response:
        return web.json_response(data, status=status, headers=SECURITY_HEADERS)

    def _forbidden(self) -> web.Response:
        return web.Response(
            text=self._chrome("error_cross_origin"), status=403, headers=SECURITY_HEADERS
        )


def download_disposition(name: str) -> str:
    """``attachment`` with the file's name, in UTF-8 and as a plain ASCII fallback."""
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"attachment; filename=\"{fallback or 'file'}\"; filename*=UTF-8''{quote(name, safe='')}"


def _text(body: Body, key: str, *, allow_empty: bool = False) -> str:
    value = body.get(key)
    if not isinstance(value, str) or (not value and not allow_empty):
        raise BadBody(key)
    return value


def _optional(body: Body, key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise BadBody(key)
    return value


def _pane(body: Body) -> Pane:
    value = body.get("pane")
    for pane in PANES:
        if value == pane:
            return pane
    raise BadBody("pane")
