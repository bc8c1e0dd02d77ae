"""The real meldbot behind the web chat page, for the browser tests of the intake.

``serve`` starts the composition root on a real database with the given settings and
opens a ``WebChat`` on the same server: the browser acts, the watcher keeps every version
of every message the server pushed (so "never shown to the coordinators" is checked
against all of them, not only what the page shows at the end). The page helpers act as a
person does: typing in the composer, Enter to send.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import BaseTestServer, TestServer
from playwright.async_api import Locator, Page, expect

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import Case, Reporter
from bot.settings import Settings
from storage.sealing import new_key
from tests.web.webchat import Client, WebChat

MakeServer = Callable[[web.Application], Awaitable[TestServer]]
MakeClient = Callable[[BaseTestServer], Awaitable[Client]]
REFERENCE = re.compile(r"M-\d{4}-\d{4}")
COORDINATOR = "fatima"
ON_CALL = "karin"  # a coordinator too: the page reaches her personal chat


@dataclass
class Served:
    url: str
    runtime: Runtime
    watcher: WebChat

    async def cases_of(self, persona: str) -> list[Case]:
        return await self.runtime.cases.cases_of(Reporter("web", persona))

    async def settled(self) -> None:
        """Everything the outbox has to send is sent, and the watcher has seen it."""
        await self.runtime.outbox.settle()
        await self.watcher.caught_up(COORDINATOR)


@asynccontextmanager
async def serve(
    database_url: str,
    tmp_path: Path,
    aiohttp_server: MakeServer,
    aiohttp_client: MakeClient,
    **extra: object,
) -> AsyncIterator[Served]:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=[COORDINATOR, ON_CALL],
        language="nl",
        **extra,  # type: ignore[arg-type]
    )
    app = await create_app(settings)
    server = await aiohttp_server(app)
    watcher = WebChat(await aiohttp_client(server))
    await watcher.open()
    try:
        yield Served(f"http://127.0.0.1:{server.port}/", app[RUNTIME], watcher)
    finally:
        await watcher.close()


async def ready(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")


def chat(page: Page) -> Locator:
    return page.locator("#pane-chat")


def coordinators(page: Page) -> Locator:
    return page.locator("#pane-coordinators")


async def tell(page: Page, text: str) -> None:
    """Puts ``text`` in the personal chat's composer and sends it with Enter."""
    composer = chat(page).get_by_label("Bericht aan meldbot")
    # Filled at once and sent from the composer itself: the previous answer may still take
    # the focus (it lands a moment after it shows) and would swallow keys typed one by one.
    await composer.fill(text)
    await expect(composer).to_have_value(text)
    await composer.press("Enter")
    await expect(composer).to_have_value("")


def answer(page: Page, text: str | re.Pattern[str]) -> Locator:
    """meldbot's newest message in the personal chat that holds ``text``."""
    return chat(page).locator("article.msg--bot").filter(has_text=text).last


def case_card(page: Page, reference: str) -> Locator:
    return coordinators(page).locator(".case").filter(has_text=reference)


async def thread_of(card: Locator) -> Locator:
    """The case's thread, opened."""
    thread = card.locator("details.thread")
    if not await thread.evaluate("details => details.open"):
        await card.locator("summary").click()
    return card.locator(".replies")


async def act_as(pane: Locator, persona: str) -> None:
    await pane.get_by_label("Ik ben").select_option(persona)
