"""After a restart the web chat shows everything again, from the database.

Staff report through the demo's own endpoints on a real SQLite file, a coordinator
claims one case; meldbot stops, and a new meldbot on the same database serves the page
to headless Chromium: the coordinator pane shows every case card with its buttons and
its thread, and the personal chat shows what the person wrote and their receipt.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, create_app
from bot.settings import Settings
from storage.sealing import new_key
from tests.web.served import act_as, chat, coordinators, ready
from tests.web.webchat import Client, Json, WebChat, buttons, visible

pytestmark = pytest.mark.browser

MakeServer = Callable[[web.Application], Awaitable[TestServer]]
MakeClient = Callable[[BaseTestServer], Awaitable[Client]]
REFERENCE = re.compile(r"M-\d{4}-\d{4}")
COORDINATOR = "fatima"
STORIES = {
    "sanne": "Een bezoeker schreeuwde tegen mij bij de balie en sloeg op het glas.",
    "ahmed": "Een man volgde mij na mijn dienst tot aan de parkeerplaats.",
}


async def report(watcher: WebChat, persona: str, story: str) -> str:
    """A named report from the home button's form; its reference, from the receipt."""
    await watcher.home(persona)
    await watcher.say("chat", persona, "hallo")
    form = await watcher.press("chat", persona, None, "report.start", "")
    since = watcher.mark()
    await watcher.fill("chat", form, {"narrative": story, "feedback": "yes"})
    receipt = await watcher.shown(f"dm:{persona}", "is ontvangen", since=since)
    found = REFERENCE.search(visible(receipt["html"]))
    assert found is not None, receipt
    return found.group(0)


def roots(watcher: WebChat) -> dict[str, Json]:
    return {
        found.group(0): message
        for message in watcher.messages("coordinators")
        if message["thread"] is None and (found := REFERENCE.search(visible(message["html"])))
    }


async def test_after_a_restart_every_case_message_and_button_is_there(
    tmp_path: Path, aiohttp_server: MakeServer, aiohttp_client: MakeClient, page: Page
) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=[COORDINATOR],
        language="nl",
    )
    first = await aiohttp_server(await create_app(settings))
    watcher = WebChat(await aiohttp_client(first))
    await watcher.open()
    references = [await report(watcher, persona, story) for persona, story in STORIES.items()]
    claimed = roots(watcher)[references[0]]
    await watcher.press("coordinators", COORDINATOR, claimed, "case.claim")
    await watcher.shown("coordinators", "In behandeling", root=True)
    await first.app[RUNTIME].outbox.settle()
    await watcher.caught_up(COORDINATOR)
    cards = roots(watcher)
    assert sorted(cards) == sorted(references)
    replies = {
        ref: len([m for m in watcher.latest.values() if m["thread"] == card["id"]])
        for ref, card in cards.items()
    }
    said = {p: [m for m in watcher.messages(f"dm:{p}") if m["author"] == "bot"] for p in STORIES}
    await watcher.close()
    await first.close()  # meldbot stops: its memory is gone

    second = await aiohttp_server(await create_app(settings))
    await ready(page, f"http://127.0.0.1:{second.port}/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("meldbot Demo")
    await expect(page.locator(".top__intro")).to_contain_text("Doe hier dus geen echte meldingen")
    pane = coordinators(page)
    await act_as(pane, COORDINATOR)
    await expect(pane.locator(".case")).to_have_count(len(references))
    for reference, card in cards.items():
        shown = pane.locator(".case").filter(has_text=reference)
        await expect(shown).to_have_count(1)
        actions = shown.locator(":scope > article [data-action-id]")
        await expect(actions).to_have_count(len(buttons(card["html"])))
        ids = await actions.evaluate_all("all => all.map(b => b.dataset.actionId)")
        assert set(ids) == set(buttons(card["html"])), reference
        await expect(shown.locator(".replies > li, .replies > article")).to_have_count(
            replies[reference]
        )
    await expect(pane.locator(".case").filter(has_text=references[0])).to_contain_text(
        "In behandeling"
    )
    for (persona, story), reference in zip(STORIES.items(), references, strict=True):
        await act_as(chat(page), persona)
        mine = chat(page).locator("article.msg--person")
        await expect(mine.filter(has_text="hallo")).to_have_count(1)
        answers = chat(page).locator("article.msg--bot")
        await expect(answers).to_have_count(len(said[persona]))
        receipt = answers.filter(has_text="is ontvangen").filter(has_text=reference)
        await expect(receipt).to_have_count(1)
        card = coordinators(page).locator(".case").filter(has_text=reference)
        await expect(card.locator(":scope > article")).to_contain_text(story)
