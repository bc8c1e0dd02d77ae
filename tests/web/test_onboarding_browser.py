"""Onboarding in the web chat, in headless Chromium against the real meldbot (SQLite).

Sanne arrives with ``?team=balie``: she is in #balie and her chat has meldbot's welcome.
Leaving and joining again, or joining another channel, brings no second one. A reminder
the web messenger posts to #balie shows in the team pane with working buttons ("Melden"
opens the report form), and a chart posted there shows as an image with its alt text.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, Runtime, create_app
from bot.events import Address
from bot.schedule.config import OnboardingChannel
from bot.settings import Settings
from bot.ui import Actions, Button, Message, Text
from storage.sealing import new_key

pytestmark = pytest.mark.browser

MakeServer = Callable[[web.Application], Awaitable[TestServer]]
WELCOME = "Welkom! Ik ben meldbot"
REMINDER = "Weet je nog hoe je meldt? Het kan hier, in een minuut."
ALT = "Meldingen per maand: oktober 6, november 9"
SCREENSHOT = "/tmp/meldbot-web-onboarding.png"  # noqa: S108 - a fixed place to look at it


def png(width: int = 4, height: int = 3) -> bytes:
    """A real, tiny PNG (the browser must decode it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x1d\x4f\x91" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
async def served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, Runtime]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima"],
        language="nl",
        onboarding=[
            OnboardingChannel(platform="web", channel="balie"),
            OnboardingChannel(platform="web", channel="wijkteam"),
        ],
    )
    app = await create_app(settings)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}/", app[RUNTIME]


async def test_a_newcomer_is_welcomed_once_and_the_team_pane_works(
    page: Page, served: tuple[str, Runtime]
) -> None:
    url, runtime = served
    await page.goto(url + "?team=balie")
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat, team = page.locator("#pane-chat"), page.locator("#pane-team")
    channel = team.locator("#channel-team")  # labelled "Kanaal"
    await expect(channel).to_have_value("balie")
    leave = team.get_by_role("button", name="Kanaal verlaten")
    await expect(leave).to_be_visible()

    # the welcome, in Sanne's own chat: the route, the coordinator, the two ways in
    welcome = chat.locator(".msg--bot").filter(has_text=WELCOME)
    await expect(welcome).to_have_count(1, timeout=15_000)
    await expect(welcome).to_contain_text("Twijfel je? Overleg gewoon")
    await expect(welcome.get_by_role("button", name="Melden")).to_be_visible()
    await expect(welcome.get_by_role("button", name="Twijfel je? Overleg anoniem")).to_be_visible()

    # leave and join again, and join another channel: still one welcome
    await leave.click()
    await expect(team.get_by_text("Je bent geen lid van #balie")).to_be_visible()
    await expect(team.get_by_label("Bericht in het kanaal")).to_be_hidden()
    await team.get_by_role("button", name="Lid worden").click()
    await expect(team.get_by_role("button", name="Kanaal verlaten")).to_be_visible()
    await channel.select_option("wijkteam")
    await team.get_by_role("button", name="Lid worden").click()
    await expect(team.get_by_role("button", name="Kanaal verlaten")).to_be_visible()
    await runtime.outbox.settle()
    await expect(welcome).to_have_count(1)

    # a reminder to #balie, by the web messenger, with its buttons working
    messenger = runtime.messengers["web"]
    reminder = Message(
        REMINDER,
        [
            Text.of(REMINDER),
            Actions(
                [
                    Button("Melden", "report.start", style="primary"),
                    Button("Twijfel je? Overleg anoniem", "consult.start"),
                ]
            ),
        ],
    )
    await messenger.send(Address("web", "balie"), reminder)
    await messenger.upload(Address("web", "balie"), "trend.png", png(), title="Trend", alt_text=ALT)
    await channel.select_option("balie")
    posted = team.locator(".msg--bot").filter(has_text=REMINDER)
    await expect(posted).to_be_visible()
    chart = team.get_by_role("img", name=ALT)
    await expect(chart).to_be_visible()
    assert await chart.evaluate("(img) => img.complete && img.naturalWidth") == 4

    await posted.get_by_role("button", name="Melden").click()
    dialog = page.get_by_role("dialog", name="Melding maken")
    await expect(dialog).to_be_visible()
    await expect(dialog.get_by_label("Wat is er gebeurd?")).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await page.screenshot(path=SCREENSHOT, full_page=True)

    # the open team channel needs no joining; the welcome is still there, once
    await channel.select_option("team")
    await expect(team.get_by_role("button", name="Lid worden")).to_be_hidden()
    await expect(team.get_by_role("button", name="Kanaal verlaten")).to_be_hidden()
    await expect(welcome).to_have_count(1)
    assert await page.evaluate("window.__csp") == []
