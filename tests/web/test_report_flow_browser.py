"""The whole report flow in headless Chromium against the real meldbot (SQLite in a temp file).

A staff member reports text that looks like HTML, the case appears in the coordinator
channel with its reference and the text shown literally, a non-coordinator is refused,
a coordinator claims, and the reporter hears about it in their personal chat.
"""

from __future__ import annotations

import re
import time
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

PAYLOAD = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
SCREENSHOT = "/tmp/meldbot-web.png"  # noqa: S108 - a fixed place to look at it
MakeServer = Callable[[web.Application], Awaitable[TestServer]]


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


async def test_a_report_reaches_the_coordinators_and_the_claim_comes_back(
    page: Page, url: str
) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat, coordinators = page.locator("#pane-chat"), page.locator("#pane-coordinators")
    await expect(chat.get_by_label("Ik ben")).to_have_value("sanne")

    # Sanne reports through the home button's form
    await chat.get_by_role("button", name="Melding maken").click()
    dialog = page.locator("dialog[open]")
    narrative = dialog.get_by_label("Wat is er gebeurd?")
    await expect(narrative).to_be_focused()
    await narrative.fill(PAYLOAD)
    submit = dialog.get_by_role("button", name="Melding versturen")

    started = time.perf_counter()
    await submit.click()
    case = coordinators.locator(".case").first
    await expect(case).to_be_visible(timeout=15_000)
    alerted = time.perf_counter() - started
    print(f"\nmeldbot web: submit → coordinator alert visible in {alerted * 1000:.0f} ms")

    await expect(dialog).to_have_count(0)
    receipt = chat.locator(".msg--bot").filter(has_text=re.compile(r"M-\d{4}-\d{4}")).last
    await expect(receipt).to_be_visible()
    reference = re.search(r"M-\d{4}-\d{4}", await receipt.inner_text())
    assert reference is not None
    await expect(case.get_by_role("heading").first).to_contain_text(reference.group(0))
    await expect(case.locator("blockquote").first).to_have_text(PAYLOAD)
    assert await page.evaluate("window.__pwned") is None
    assert await page.locator("img[src=x], script:not([src]):not([type])").count() == 0

    # Piet is no coordinator: a polite refusal, only for him
    await coordinators.get_by_label("Ik ben").select_option("piet")
    await case.get_by_role("button", name="Oppakken").click()
    refusal = case.locator(".msg--private")
    await expect(refusal).to_contain_text("Alleen coördinatoren")
    await expect(refusal).to_contain_text("Alleen zichtbaar voor jou")
    await expect(case.get_by_role("button", name="Oppakken")).to_be_visible()

    # Fatima claims: the card updates in place and Sanne hears it
    await coordinators.get_by_label("Ik ben").select_option("fatima")
    await expect(refusal).to_have_count(0)
    await case.get_by_role("button", name="Oppakken").click()
    await expect(case.get_by_role("button", name="Oppakken")).to_have_count(0, timeout=15_000)
    await expect(case.locator(".facts").first).to_contain_text("Fatima")
    await expect(chat.get_by_text(f"Fatima heeft je melding {reference.group(0)}")).to_be_visible(
        timeout=15_000
    )
    await case.locator("summary").click()
    await expect(case.locator(".replies")).to_contain_text("Fatima")
    assert await page.evaluate("window.__pwned") is None
    assert await page.evaluate("window.__csp") == []
    await page.screenshot(path=SCREENSHOT, full_page=True)
