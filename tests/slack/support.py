"""Helpers for the Slack adapter tests: settings, a stub core, an in-memory dedupe, signing."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient

from bot.events import Event
from bot.settings import Settings
from bot.ui import Response
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import sign

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
COORDINATOR_CHANNEL = "C0COORD"


def make_settings(fake: FakeSlack, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "slack_bot_token": fake.token,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.url,
        "slack_coordinator_channel": COORDINATOR_CHANNEL,
        "slack_coordinators": [],
        "web_chat": "off",
        "language": "en",
    }
    values.update(overrides)
    return Settings(**values)


class StubCore:
    """The core's handler, recording events and answering what the test says."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.answer: Callable[[Event], Response] = lambda event: Response()

    async def __call__(self, event: Event) -> Response:
        self.events.append(event)
        return self.answer(event)

    async def wait(self, count: int = 1, seconds: float = 5.0) -> list[Event]:
        deadline = time.monotonic() + seconds
        while len(self.events) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{count} events expected, got {self.events}")
            await asyncio.sleep(0.01)
        return self.events


class SeenKeys:
    """An in-memory ``FirstDelivery``."""

    def __init__(self) -> None:
        self.keys: list[str] = []

    async def __call__(self, key: str) -> bool:
        first = key not in self.keys
        self.keys.append(key)
        return first


class SlackSender:
    """Posts to ``/slack/events`` the way Slack does: signed, JSON or form-encoded."""

    def __init__(self, client: TestClient[Any, Any]) -> None:
        self.client = client

    async def post(
        self,
        body: str,
        *,
        form: bool = False,
        secret: str = SECRET,
        timestamp: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> ClientResponse:
        content_type = "application/x-www-form-urlencoded" if form else "application/json"
        all_headers = {"Content-Type": content_type, **sign(secret, body, timestamp)}
        all_headers.update(headers or {})
        return await self.client.post("/slack/events", data=body.encode(), headers=all_headers)
