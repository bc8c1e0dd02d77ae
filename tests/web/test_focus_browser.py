"""Focus and announcements with the keyboard alone, in headless Chromium, against the real
meldbot (SQLite): after a report the receipt has the focus and the live region says its
summary once; a form that closes gives the focus back, or on to meldbot's answer; a
message that arrives while someone types elsewhere is only announced.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, Runtime, create_app
from bot.settings import Settings
from bot.ui import Message, Text
from storage.sealing import new_key

pytestmark = pytest.mark.browser

MakeServer = Callable[[web.Application], Awaitable[TestServer]]
REFERENCE = re.compile(r"M-\d{4}-\d{4}")
STORY = "Een bezoeker schreeuwde aan de balie dat hij me zou opwachten."


@pytest.fixture
async def served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, Runtime]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima"],
        language="nl",
    )
    app = await create_app(settings)
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}/", app[RUNTIME]


async def ready(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")


async def said(page: Page, text: str) -> int:
    """How often the live region has ``text`` in it now (each announcement is one line)."""
    lines: list[str] = await page.locator("#live p").all_inner_texts()
    return sum(text in line for line in lines)


async def test_after_a_report_the_receipt_has_the_focus_and_is_announced_once(
    page: Page, served: tuple[str, Runtime]
) -> None:
    url, _runtime = served
    await ready(page, url)
    chat = page.locator("#pane-chat")
    report = chat.get_by_role("button", name="Melding maken")
    await report.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Melding maken")
    await expect(dialog.get_by_label("Wat is er gebeurd?")).to_be_focused()
    await page.keyboard.type(STORY)
    await dialog.get_by_role("button", name="Melding versturen").focus()
    await page.keyboard.press("Enter")

    await expect(dialog).to_be_hidden()
    receipt = chat.locator("article.msg--bot").filter(has_text=REFERENCE)
    await expect(receipt).to_be_focused(timeout=15_000)
    found = REFERENCE.search(await receipt.inner_text())
    assert found is not None
    summary = f"Je melding is ontvangen: {found.group(0)}"
    await expect(page.locator("#live")).to_contain_text(summary)
    await expect(page.locator("#live")).to_have_attribute("aria-live", "polite")
    assert await said(page, summary) == 1
    # the reference is text a person can select and copy
    reference = receipt.locator("dd").filter(has_text=REFERENCE)
    await reference.click(click_count=3)
    assert found.group(0) in await page.evaluate("String(getSelection())")


async def test_the_draft_then_the_receipt_in_its_place_each_get_the_focus(
    page: Page, served: tuple[str, Runtime]
) -> None:
    url, _runtime = served
    await ready(page, url)
    chat = page.locator("#pane-chat")
    composer = chat.get_by_label("Bericht aan meldbot")
    await composer.focus()
    await page.keyboard.type(STORY)
    await page.keyboard.press("Enter")

    draft = chat.locator("article.msg--bot").filter(has_text="Wil je dit als melding versturen?")
    await expect(draft).to_be_focused()
    await expect(page.locator("#live")).to_contain_text("Wil je dit als melding versturen?")
    await page.keyboard.press("Tab")
    send = draft.get_by_role("button", name="Melding versturen")
    await expect(send).to_be_focused()
    await page.keyboard.press("Enter")

    # the receipt replaces the draft, in its place, and takes the focus
    receipt = chat.locator("article.msg--bot").filter(has_text=REFERENCE)
    await expect(receipt).to_be_focused(timeout=15_000)
    await expect(page.locator("#live")).to_contain_text("Je melding is ontvangen: M-")
    await expect(draft).to_have_count(0)


async def test_a_closed_form_gives_the_focus_back_or_on_to_the_answer(
    page: Page, served: tuple[str, Runtime]
) -> None:
    url, _runtime = served
    await ready(page, url)
    chat = page.locator("#pane-chat")
    composer = chat.get_by_label("Bericht aan meldbot")
    await composer.focus()
    await page.keyboard.type(STORY)
    await page.keyboard.press("Enter")
    draft = chat.locator("article.msg--bot").filter(has_text="Wil je dit als melding versturen?")
    await expect(draft).to_be_focused()

    # cancelled ("Terug", or Esc): back on the button that opened it
    details = draft.get_by_role("button", name="Details toevoegen")
    await details.focus()
    await page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Details toevoegen")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name="Terug").focus()
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()
    await expect(details).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(details).to_be_focused()

    # sent: the button went with the draft, so the focus goes on to the receipt
    await page.keyboard.press("Enter")
    await dialog.get_by_role("radio", name="Nee").first.focus()
    await page.keyboard.press("Space")
    await dialog.get_by_role("button", name="Melding versturen").focus()
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()
    receipt = chat.locator("article.msg--bot").filter(has_text=REFERENCE)
    await expect(receipt).to_be_focused(timeout=15_000)
    await expect(page.locator("#live")).to_contain_text("Je melding is ontvangen: M-")


async def test_a_message_while_typing_is_announced_and_the_focus_stays(
    page: Page, served: tuple[str, Runtime]
) -> None:
    url, runtime = served
    await ready(page, url)
    composer = page.locator("#pane-chat").get_by_label("Bericht aan meldbot")
    await composer.focus()
    await page.keyboard.type("Ik typ nog")
    messenger = runtime.messengers["web"]
    news = "Fatima heeft je melding opgepakt."
    await messenger.send(await messenger.personal_address("sanne"), Message(news, [Text.of(news)]))

    await expect(page.locator("#pane-chat article").filter(has_text=news)).to_be_visible()
    await expect(page.locator("#live")).to_contain_text(news)
    await expect(composer).to_be_focused()
    await expect(composer).to_have_value("Ik typ nog")
