"""An anonymous consultation in headless Chromium against the real meldbot (SQLite).

Sanne opens "Twijfel je? Overleg anoniem" and reads what stays visible before she types,
sends with the keyboard alone and gets a receipt code she can read and select. In the
coordinator channel Fatima sees only "Anonieme collega · XXXX" and answers through the
form. Back in the chat Sanne types "status <code>", reads the answer and replies.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import create_app
from bot.settings import Settings
from storage.sealing import new_key

pytestmark = pytest.mark.browser

SCREENSHOT = "/tmp/meldbot-web-consult.png"  # noqa: S108 - a fixed place to look at it
MakeServer = Callable[[web.Application], Awaitable[TestServer]]
CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$")
HONEST = "meldbot slaat niet op wie je bent. Deze webchat draait op een server van je organisatie"
QUESTION = "Een klant <b>wacht</b> me elke avond op bij de uitgang. Moet ik dat melden?"
ANSWER = "Ja, dat is intimidatie. Bel me gerust, of maak er een melding van."
REPLY = "Dank je, ik maak er morgen een melding van."


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


async def test_consult_anonymously_get_an_answer_and_reply(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat, coordinators = page.locator("#pane-chat"), page.locator("#pane-coordinators")
    await expect(chat.get_by_label("Ik ben")).to_have_value("sanne")

    # The honest word is on screen in the form, above the field, before anything is typed.
    start = chat.get_by_role("button", name="Twijfel je? Overleg anoniem")
    await start.click()
    dialog = page.get_by_role("dialog", name="Anoniem overleggen")
    await expect(dialog).to_be_visible()
    honest = dialog.locator(".form__intro .note").filter(has_text=HONEST)
    await expect(honest).to_be_visible()
    situation = dialog.get_by_label("Waar twijfel je over?")
    await expect(situation).to_be_focused()
    await expect(situation).to_have_value("")
    note_box, field_box = await honest.bounding_box(), await situation.bounding_box()
    assert note_box and field_box and note_box["y"] < field_box["y"]
    await expect(dialog.get_by_label("Nee, ik kijk zelf met mijn code")).to_be_checked()

    # Keyboard only: type, Tab to the notice choice (its default kept), Tab to send, Enter.
    await page.keyboard.type(QUESTION)
    await page.keyboard.press("Tab")
    await expect(dialog.get_by_label("Nee, ik kijk zelf met mijn code")).to_be_focused()
    await page.keyboard.press("Tab")
    send = dialog.get_by_role("button", name="Anoniem versturen")
    await expect(send).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(dialog).to_be_hidden()

    # The receipt code: it has the focus, is announced, plain text, and selectable as text.
    issued = chat.locator(".msg--bot").filter(has_text="Je ontvangstcode").last
    await expect(issued).to_be_focused()
    await expect(page.locator("#live")).to_contain_text("Je overleg is verstuurd")
    code_text = issued.locator("dd").first
    await expect(code_text).to_have_text(CODE)
    code = (await code_text.inner_text()).strip()
    assert await code_text.evaluate("e => getComputedStyle(e).userSelect") != "none"
    await code_text.click(click_count=3)
    assert (await page.evaluate("String(getSelection())")).strip() == code
    await expect(issued).to_contain_text(f"Anonieme collega · {code[:4]}")

    # The coordinators see a pseudonym, never a name, and answer through the form.
    card = coordinators.locator(".case").filter(has_text=f"Anonieme collega · {code[:4]}")
    await expect(card.get_by_role("heading").first).to_have_text(
        f"Overleg · Anonieme collega · {code[:4]}", timeout=15_000
    )
    await expect(card.locator("blockquote").first).to_have_text(QUESTION)
    await expect(coordinators.locator("[data-list]")).not_to_contain_text("Sanne")
    await coordinators.get_by_label("Ik ben").select_option("fatima")
    answer_button = card.get_by_role("button", name="Beantwoorden")
    await answer_button.click()
    answer_form = page.get_by_role("dialog", name="Collega antwoorden")
    await expect(answer_form.get_by_label("Je antwoord")).to_be_focused()
    await expect(answer_form).to_contain_text("anoniem")
    await page.keyboard.type(ANSWER)
    await answer_form.get_by_role("button", name="Antwoord versturen").click()
    await expect(answer_form).to_be_hidden()
    await expect(card.locator(".facts").first).to_contain_text("Fatima", timeout=15_000)
    await card.locator("summary").click()
    await expect(card.locator(".replies")).to_contain_text(ANSWER)

    # Back in the chat: the code opens the conversation, and Sanne replies.
    composer = chat.get_by_label("Bericht aan meldbot")
    await composer.fill(f"status {code}")
    await composer.press("Enter")
    view = chat.locator(".msg--bot").filter(has_text=f"Je overleg {code[:4]}").last
    await expect(view.locator("blockquote").first).to_have_text(QUESTION)
    await expect(view).to_contain_text(ANSWER)
    await expect(view).to_contain_text("Fatima")
    await view.get_by_role("button", name="Reageren").click()
    reply_form = page.get_by_role("dialog", name="Reageren")
    reply = reply_form.get_by_label("Je bericht")
    await expect(reply).to_be_focused()
    await page.keyboard.type(REPLY)
    await reply_form.get_by_role("button", name="Versturen").click()
    await expect(reply_form).to_be_hidden()
    await expect(chat.get_by_text("Verstuurd. Kijk later opnieuw met je code")).to_be_visible()
    await expect(card.locator(".replies")).to_contain_text(REPLY, timeout=15_000)

    await expect(coordinators.locator("[data-list]")).not_to_contain_text("Sanne")
    assert await page.evaluate("window.__csp") == []
    await page.screenshot(path=SCREENSHOT, full_page=True)
