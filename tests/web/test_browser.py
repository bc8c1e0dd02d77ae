"""The web chat in real headless Chromium, against the stand-in core (tests/web/stub.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from adapters.web import WebChatAdapter
from bot.text import NARRATIVE_MAX
from bot.ui import Message

pytestmark = pytest.mark.browser

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
SCREENSHOT = "/tmp/meldbot-web-stub.png"  # noqa: S108 - a fixed place to look at it
MakeServer = Callable[[web.Application], Awaitable[TestServer]]


@pytest.fixture
async def url(app: web.Application, aiohttp_server: MakeServer) -> str:
    server = await aiohttp_server(app)
    return f"http://127.0.0.1:{server.port}/"


async def open_page(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")


async def test_three_panes_escaped_text_forms_and_a_claim(page: Page, url: str) -> None:
    await open_page(page, url)
    chat, coordinators, team = (
        page.locator(f"#pane-{p}") for p in ("chat", "coordinators", "team")
    )

    # three panes side by side on a wide screen
    boxes = [await pane.bounding_box() for pane in (chat, coordinators, team)]
    assert all(boxes) and boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]  # type: ignore[index]
    assert len({round(b["y"]) for b in boxes}) == 1  # type: ignore[index]

    # the home buttons come from HomeOpened
    report = chat.get_by_role("button", name="Melding maken")
    await expect(report).to_be_visible()

    # typed text is echoed literally and never runs
    composer = chat.get_by_label("Bericht aan meldbot")
    await composer.fill(PAYLOAD)
    await composer.press("Enter")
    await expect(chat.locator("blockquote")).to_have_text(PAYLOAD)
    await expect(composer).to_have_value("")
    assert await page.evaluate("window.__pwned") is None
    await expect(page.locator("#live")).to_contain_text("Ontvangen:")

    # a form opens as a dialog with focus inside; Esc closes it and focus returns
    await report.click()
    dialog = page.get_by_role("dialog", name="Melding maken")
    await expect(dialog).to_be_visible()
    narrative = dialog.get_by_label("Wat is er gebeurd?")
    await expect(narrative).to_be_focused()
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(report).to_be_focused()

    # an empty required field keeps the form open and says why
    await page.keyboard.press("Enter")
    await dialog.get_by_role("button", name="Melding versturen").click()
    await expect(dialog.get_by_text("Vul dit veld in.")).to_be_visible()
    await expect(dialog.get_by_label("Wat is er gebeurd?")).to_be_focused()
    await dialog.get_by_label("Wat is er gebeurd?").fill(PAYLOAD + "\nTweede regel")
    await dialog.get_by_label("Bedreiging").check()
    await dialog.get_by_role("button", name="Melding versturen").click()
    await expect(dialog).to_be_hidden()
    await expect(chat.get_by_text("Je melding is ontvangen. Kenmerk: M-2026-0001")).to_be_visible()

    # the case appears in the coordinator channel, its text shown as text
    case = coordinators.locator(".case").first
    await expect(case.get_by_role("heading")).to_have_text("Nieuwe melding M-2026-0001")
    await expect(case.locator("blockquote")).to_have_text(PAYLOAD + "Tweede regel")
    assert await page.evaluate("window.__pwned") is None

    # a non-coordinator is refused politely, privately
    await coordinators.get_by_label("Ik ben").select_option("piet")
    await case.get_by_role("button", name="Oppakken").click()
    refusal = case.locator(".msg--private")
    await expect(refusal).to_contain_text("Alleen coördinatoren kunnen een zaak oppakken")
    await expect(refusal).to_contain_text("Alleen zichtbaar voor jou")
    await coordinators.get_by_label("Ik ben").select_option("fatima")
    await expect(refusal).to_have_count(0)

    # a coordinator claims: the root updates in place, the reply nests under it
    await case.get_by_role("button", name="Oppakken").click()
    await expect(case.locator("dl")).to_contain_text("In behandeling bij Fatima")
    await expect(case.get_by_role("button", name="Oppakken")).to_have_count(0)
    await expect(case.locator(".msg__edited").first).to_have_text("bijgewerkt")
    thread = case.locator("summary")
    await expect(thread).to_have_text("1 reactie")
    await thread.click()
    await expect(case.locator(".replies")).to_contain_text("Opgepakt door Fatima")
    await expect(chat.get_by_text("Fatima heeft je melding M-2026-0001 opgepakt")).to_be_visible()

    # a reply in the case's thread
    reply = case.get_by_label("Reageer in deze draad (alleen coördinatoren zien dit)")
    await reply.fill("Ik bel Sanne nu.")
    await reply.press("Enter")
    await expect(case.locator(".replies")).to_contain_text("Ik bel Sanne nu.")

    # the team channel
    await team.get_by_label("Bericht in het kanaal").fill("Goedemorgen allemaal")
    await team.get_by_role("button", name="Versturen").click()
    await expect(team.locator(".msg--person")).to_contain_text("Goedemorgen allemaal")

    assert await page.evaluate("window.__csp") == []
    await page.screenshot(path=SCREENSHOT, full_page=True)


async def test_too_long_text_is_refused_and_kept(page: Page, url: str) -> None:
    await open_page(page, url)
    composer = page.get_by_label("Bericht aan meldbot")
    text = "x" * (NARRATIVE_MAX + 1)
    await composer.fill(text)
    await page.locator("#pane-chat").get_by_role("button", name="Versturen").click()
    await expect(page.locator("#composer-chat-error")).to_contain_text("Je bericht is te lang")
    await expect(page.locator("#composer-chat-error")).to_contain_text("niets verloren")
    assert await composer.input_value() == text
    await expect(composer).to_be_focused()


async def test_personas_keep_their_own_chat_and_unread_counts(
    page: Page, url: str, adapter: WebChatAdapter
) -> None:
    await open_page(page, url)
    chat = page.locator("#pane-chat")
    persona = chat.get_by_label("Ik ben")
    composer = chat.get_by_label("Bericht aan meldbot")
    await composer.fill("Van Sanne")
    await composer.press("Enter")
    await expect(chat.locator(".msg--person")).to_contain_text("Van Sanne")

    # a message for Ahmed while Sanne's chat is shown: counted, not shown
    await adapter.messenger.send(
        await adapter.messenger.personal_address("ahmed"), Message("Voor Ahmed")
    )
    ahmed = persona.locator("option[value=ahmed]")
    await expect(ahmed).to_have_text("Ahmed Yilmaz (medewerker) — 1 nieuw")
    await expect(chat.get_by_text("Voor Ahmed")).to_have_count(0)

    await persona.select_option("ahmed")
    await expect(chat.get_by_text("Voor Ahmed")).to_be_visible()
    await expect(chat.get_by_text("Van Sanne")).to_have_count(0)
    await expect(ahmed).to_have_text("Ahmed Yilmaz (medewerker)")
    await expect(chat.get_by_role("button", name="Melding maken")).to_be_visible()

    # the choice survives a reload
    await page.reload()
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    await expect(persona).to_have_value("ahmed")


async def test_narrow_screens_stack_the_panes(page: Page, url: str) -> None:
    await page.set_viewport_size({"width": 420, "height": 900})
    await open_page(page, url)
    boxes = [
        await page.locator(f"#pane-{p}").bounding_box() for p in ("chat", "coordinators", "team")
    ]
    assert all(boxes)
    assert len({round(b["x"]) for b in boxes}) == 1  # type: ignore[index]
    assert boxes[0]["y"] < boxes[1]["y"] < boxes[2]["y"]  # type: ignore[index]
    await page.screenshot(path=SCREENSHOT.replace(".png", "-narrow.png"), full_page=True)
