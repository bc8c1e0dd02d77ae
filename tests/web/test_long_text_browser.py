"""No silent cuts, in headless Chromium against the real meldbot (SQLite): a 12,000-character
story pasted (Ctrl+V, from the clipboard) into the report form or the chat composer stays
whole, a count near the limit says how long it is, and sending it gets a clear refusal
with the text still in the field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Locator, Page, expect

from bot.app import create_app
from bot.settings import Settings
from storage.sealing import new_key

pytestmark = pytest.mark.browser

MakeServer = Callable[[web.Application], Awaitable[TestServer]]
SENTENCE = "Hij kwam terug, elke dag weer, en zei dat hij wist waar ik woon. "
STORY = (SENTENCE * (12_000 // len(SENTENCE) + 1))[:11_999] + "!"  # 12,000 characters


@pytest.fixture
async def url(tmp_path: Path, aiohttp_server: MakeServer) -> str:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima"],
        language="nl",
    )
    server = await aiohttp_server(await create_app(settings))
    return f"http://127.0.0.1:{server.port}/"


async def paste(page: Page, field: Locator, text: str) -> None:
    """What a person does: the text on the clipboard, then Ctrl+V in the field."""
    await page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    await page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    await field.focus()
    await page.keyboard.press("Control+V")


async def test_a_long_story_pasted_into_the_form_is_kept_whole(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    await page.locator("#pane-chat").get_by_role("button", name="Melding maken").click()
    dialog = page.get_by_role("dialog", name="Melding maken")
    story = dialog.get_by_label("Wat is er gebeurd?")
    await expect(story).not_to_have_attribute("maxlength", r".*")

    # near the limit a count shows, tied to the field
    await story.fill("x" * 8500)
    await story.press("x")
    count = page.locator(f"#{await story.get_attribute('id')}-count")
    await expect(count).to_have_text("8.501 van de 10.000 tekens")
    await expect(story).to_have_accessible_description(
        "8.501 van de 10.000 tekens", ignore_case=False
    )
    await story.fill("")
    await expect(count).to_be_hidden()

    await paste(page, story, STORY)
    assert await story.input_value() == STORY
    over = "12.000 tekens, 2.000 te veel (maximaal 10.000). Er is niets afgeknipt."
    await expect(count).to_have_text(over)
    await expect(page.locator("#live")).to_contain_text(over)

    await dialog.get_by_role("button", name="Melding versturen").click()
    await expect(dialog.locator(".field__error")).to_have_text("Maximaal 10.000 tekens; nu 12.000.")
    await expect(story).to_be_focused()
    assert await story.input_value() == STORY
    await expect(count).to_have_text(over)  # the count is there again in the new form


async def test_a_long_text_pasted_into_the_chat_is_kept_whole(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat = page.locator("#pane-chat")
    composer = chat.get_by_label("Bericht aan meldbot")
    await paste(page, composer, STORY)
    assert await composer.input_value() == STORY
    over = "12.000 tekens, 2.000 te veel (maximaal 10.000). Er is niets afgeknipt."
    await expect(chat.locator("#composer-chat-text-count")).to_have_text(over)
    await expect(composer).to_have_accessible_description(
        "Enter verstuurt, Shift+Enter maakt een nieuwe regel. " + over
    )
    await page.keyboard.press("Enter")
    error = chat.locator(".composer__error")
    await expect(error).to_contain_text("Je bericht is te lang (12.000 tekens; maximaal 10.000)")
    await expect(error).to_contain_text("Er is niets verloren")
    assert await composer.input_value() == STORY
    await expect(composer).to_be_focused()
