"""Driving the web chat through its own JSON endpoints while watching its live stream.

``WebChat`` posts what a person does (typing, pressing, submitting a form) exactly as
the page's script does, and keeps every message the server pushes over Server-Sent
Events, so a test sees each version of every message, not only the last one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from html import unescape
from typing import Any

from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from tests.waiting import until

Client = TestClient[web.Request, web.Application]
Json = dict[str, Any]
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")
_BUTTON = re.compile(r'data-action-id="([^"]*)" data-value="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def visible(html: str) -> str:
    """What a reader sees of server-rendered HTML: its text, tags and escapes undone."""
    return " ".join(unescape(_TAG.sub(" ", html)).split())


def buttons(html: str) -> dict[str, str]:
    """``{action id: value}`` of the buttons in a message or form."""
    return {unescape(action): unescape(value) for action, value in _BUTTON.findall(html)}


class WebChat:
    """One browser's worth of the web chat, without the browser."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.pushed: list[Json] = []  # every version of every message, in order
        self.latest: dict[str, Json] = {}
        self.forms: list[tuple[str, str]] = []  # (pane, html) of every form opened
        self._stream: ClientResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready = False
        self._barriers = 0

    async def open(self) -> None:
        self._stream = await self.client.get("/web/api/stream")
        assert self._stream.status == 200
        self._reader = asyncio.create_task(self._read(self._stream))
        await until(lambda: self._ready, "the stream's snapshot")

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._stream is not None:
            self._stream.close()

    async def _read(self, stream: ClientResponse) -> None:
        name = ""
        while line := (await stream.content.readline()).decode():
            line = line.rstrip("\n")
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
                if name == "snapshot":
                    for message in data["messages"]:
                        self._keep(message)
                    self._ready = True
                elif name == "message":
                    self._keep(data)

    def _keep(self, message: Json) -> None:
        self.pushed.append(message)
        self.latest[message["id"]] = message

    # -- what a person does --------------------------------------------------------------

    async def post(self, path: str, body: Json, status: int = 200) -> Json:
        origin = {"Origin": f"http://{self.client.host}:{self.client.port}"}
        response = await self.client.post(f"/web/api/{path}", json=body, headers=origin)
        answer: Json = await response.json()
        assert response.status == status, (path, body, answer)
        return answer

    async def home(self, persona: str) -> None:
        assert await self.post("home", {"persona": persona}) == {"ok": True}

    async def say(self, pane: str, persona: str, text: str, thread: str | None = None) -> None:
        body = {"pane": pane, "persona": persona, "text": text, "thread": thread}
        assert await self.post("message", body) == {"ok": True}

    async def press(
        self, pane: str, persona: str, message: Json | None, action: str, value: str | None = None
    ) -> Json | None:
        """Presses a button (``message`` None: a home button); returns the form it opened."""
        if value is None:
            assert message is not None
            value = buttons(message["html"])[action]
        body = {
            "pane": pane,
            "persona": persona,
            "message": message["id"] if message else None,
            "action": action,
            "value": value,
        }
        result = await self.post("action", body)
        form: Json | None = result.get("form")
        if form is not None:
            self.forms.append((pane, form["html"]))
        return form

    async def fill(self, pane: str, form: Json | None, values: dict[str, str]) -> None:
        """Submits an open form; it must be accepted (and so close)."""
        assert form is not None, "no form was opened"
        result = await self.post("form", {"token": form["token"], "values": values})
        assert result == {"ok": True, "closeForm": True}, result

    async def form_of(
        self, pane: str, persona: str, message: Json | None, action: str, values: dict[str, str]
    ) -> None:
        """Presses the button that opens a form, and submits that form."""
        await self.fill(pane, await self.press(pane, persona, message, action), values)

    # -- what is shown -------------------------------------------------------------------

    def messages(self, conversation: str) -> list[Json]:
        found = [m for m in self.latest.values() if m["conversation"] == conversation]
        return sorted(found, key=lambda m: int(m["seq"]))

    def mark(self) -> int:
        """The newest message seen so far; ``shown(since=…)`` looks only past it."""
        return max((int(m["seq"]) for m in self.pushed), default=0)

    async def shown(
        self,
        conversation: str,
        text: str,
        *,
        root: bool = False,
        thread: str | None = None,
        since: int = 0,
    ) -> Json:
        """The latest message in ``conversation`` whose visible text holds ``text``."""

        def find() -> Json | None:
            for message in reversed(self.messages(conversation)):
                if int(message["seq"]) <= since:
                    break
                if root and message["thread"] is not None:
                    continue
                if thread is not None and message["thread"] != thread:
                    continue
                if text in visible(message["html"]):
                    return message
            return None

        return await until(find, f"{text!r} in {conversation}")

    async def caught_up(self, persona: str) -> None:
        """Waits until the stream has brought everything published so far: a message to
        the team channel goes out after them, on the same stream, in order."""
        self._barriers += 1
        marker = f"(barrière {self._barriers})"
        await self.say("team", persona, marker)
        await self.shown("team", marker)

    def seen_by_coordinators(self) -> list[str]:
        """Everything the coordinator channel was ever shown, and every form opened there."""
        return [
            f"{m['summary']}\n{m['html']}"
            for m in self.pushed
            if m["conversation"] == "coordinators"
        ] + [html for pane, html in self.forms if pane == "coordinators"]


def receipt_code(message: Json) -> str:
    """The receipt code shown in a confirmation ("Je ontvangstcode")."""
    text = visible(message["html"])
    assert "Je ontvangstcode" in text, text
    found = CODE.search(text.split("Je ontvangstcode", 1)[1])
    assert found is not None, text
    return found.group(0)
