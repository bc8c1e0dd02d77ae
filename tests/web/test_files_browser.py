"""Adding files to a message in real headless Chromium, with the keyboard only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect
from playwright.async_api import TimeoutError as PlaywrightTimeout

from bot.events import MessageReceived
from tests import files
from tests.web.stub import StubCore

pytestmark = pytest.mark.browser
MakeServer = Callable[[web.Application], Awaitable[TestServer]]
SCREENSHOT = "/tmp/meldbot-web-files.png"  # noqa: S108 - a fixed place to look at it


@pytest.fixture
async def url(app: web.Application, aiohttp_server: MakeServer) -> str:
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}/"


async def choose(page: Page, *paths: Path) -> None:
    """Space on the focused file input opens the picker; the test picks for the person.

    On a loaded machine Chromium now and then drops the first key press that should open
    a picker; the key is pressed again then, as a person would."""
    await expect(page.locator(":focus")).to_have_attribute("type", "file")
    for attempt in range(3):
        try:
            async with page.expect_file_chooser(timeout=5000) as chooser:
                await page.keyboard.press("Space")
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    await (await chooser.value).set_files([str(p) for p in paths])


async def test_files_are_chosen_listed_removed_and_sent_by_keyboard(
    page: Page, url: str, core: StubCore, tmp_path: Path
) -> None:
    photo, scan, mail = tmp_path / "balie.jpg", tmp_path / "scan.png", tmp_path / "dreig ‘mail’.pdf"
    photo.write_bytes(files.JPEG)
    scan.write_bytes(files.PNG)
    mail.write_bytes(files.PDF)
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat = page.locator("#pane-chat")
    composer = chat.get_by_label("Bericht aan meldbot")

    # the skip link leads to the composer; the file input is two Tabs further
    await page.keyboard.press("Tab")
    await page.keyboard.press("Enter")
    await expect(composer).to_be_focused()
    await page.keyboard.type("Hij dreigde, zie de foto en de mail.")
    await page.keyboard.press("Tab")
    await page.keyboard.press("Tab")
    picker = chat.get_by_label("Foto of PDF toevoegen")
    await expect(picker).to_be_focused()
    await expect(picker).to_have_accessible_description(
        "Foto’s (JPG, PNG, HEIC…) of PDF’s, tot 10 MB per bestand, 5 per bericht."
    )
    chosen = chat.get_by_role("list", name="Gekozen bestanden").get_by_role("listitem")
    await choose(page, photo, scan)
    await expect(chosen).to_have_count(2)  # the picker has closed: a second one may open
    await expect(picker).to_be_focused()
    await choose(page, mail)
    await expect(chosen).to_have_text(
        ["balie.jpg (1 kB)×", "scan.png (1 kB)×", "dreig ‘mail’.pdf (1 kB)×"]
    )

    # take the screenshot off again: its button, then focus stays in the list
    for _ in range(2):
        await page.keyboard.press("Tab")
    remove = chat.get_by_role("button", name="scan.png weghalen")
    await expect(remove).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(chosen).to_have_count(2)
    await expect(chat.get_by_role("button", name="dreig ‘mail’.pdf weghalen")).to_be_focused()
    await page.screenshot(path=SCREENSHOT, full_page=True)

    # back to the text and send with Enter
    await composer.focus()
    await page.keyboard.press("Enter")
    await expect(chat.get_by_text("Bijlage: balie.jpg (1 kB)")).to_be_visible()
    await expect(chat.get_by_text("Bijlage: dreig ‘mail’.pdf (1 kB)")).to_be_visible()
    await expect(composer).to_have_value("")
    await expect(chosen).to_have_count(0)
    [event] = [e for e in core.events if isinstance(e, MessageReceived)]
    assert event.text == "Hij dreigde, zie de foto en de mail."
    assert [(f.name, f.content) for f in event.files] == [
        ("balie.jpg", files.JPEG),
        ("dreig ‘mail’.pdf", files.PDF),
    ]


async def test_a_refused_upload_keeps_the_text_and_the_files(
    page: Page, url: str, core: StubCore, tmp_path: Path
) -> None:
    big = [tmp_path / f"groot{i}.jpg" for i in range(6)]
    for path in big:
        path.write_bytes(files.large(10 * 1024 * 1024))
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat = page.locator("#pane-chat")
    composer = chat.get_by_label("Bericht aan meldbot")
    await composer.focus()
    await page.keyboard.type("Zes grote foto's")
    await chat.get_by_label("Foto of PDF toevoegen").focus()
    await choose(page, *big)
    await composer.focus()
    await page.keyboard.press("Enter")
    error = chat.locator(".composer__error").first
    await expect(error).to_contain_text("Dit is te veel in één keer")
    await expect(composer).to_have_value("Zes grote foto's")
    await expect(
        chat.get_by_role("list", name="Gekozen bestanden").get_by_role("listitem")
    ).to_have_count(6)
    assert not [e for e in core.events if isinstance(e, MessageReceived)]
