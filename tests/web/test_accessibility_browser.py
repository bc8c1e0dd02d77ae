"""WCAG 2.1 AA in every state of the web chat, checked by axe-core in headless Chromium.

The real meldbot (SQLite) in Dutch and in English: the empty page, a typed text, a draft,
each form the staff member can open (report, details, consult, anonymous report, code),
a form with an error, a refused composer text, the receipt, and the coordinators' and
team panes with a case, its thread and a coordinator's form. Keyboard and pointer alike
open them; the selectors are action ids, so one tour serves both languages.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Locator, Page, expect

from bot.app import create_app
from bot.schedule.config import OnboardingChannel
from bot.settings import Contact, Settings
from bot.text import NARRATIVE_MAX
from storage.sealing import new_key
from tests.web.axe import assert_accessible
from tests.web.language import assert_speaks

pytestmark = pytest.mark.browser

MakeServer = Callable[[web.Application], Awaitable[TestServer]]
STORY = {
    "nl": "Een bezoeker schreeuwde aan de balie dat hij me zou opwachten.",
    "en": "A visitor shouted at the counter that he would wait for me outside.",
}
# What the organisation configures is in its own language, like everything else it says.
ORGANISATION = {"nl": "Gemeente Voorbeeld", "en": "Example Town"}
CONTACT = {
    "nl": Contact(name="Fatima Bakker", role="Coördinator agressie", phone="06 12 34 56 78"),
    "en": Contact(name="Fatima Bakker", role="Aggression coordinator", phone="06 12 34 56 78"),
}


@pytest.fixture(params=["nl", "en"])
async def served(
    request: pytest.FixtureRequest, tmp_path: Path, aiohttp_server: MakeServer
) -> tuple[str, str]:
    language = request.param
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima"],
        language=language,
        organisation=ORGANISATION[language],
        coordinator_contact=CONTACT[language],
        onboarding=[OnboardingChannel(platform="web", channel="balie")],
    )
    server = await aiohttp_server(await create_app(settings))
    return f"http://127.0.0.1:{server.port}/", language


async def check(page: Page, language: str, state: str) -> None:
    """axe-core finds nothing, and the page speaks only ``language``."""
    await assert_accessible(page, f"{state} ({language})")
    await assert_speaks(page, language, state)


def action(scope: Page | Locator, action_id: str) -> Locator:
    return scope.locator(f'button[data-action-id="{action_id}"]').last


async def open_form(page: Page, button: Locator) -> Locator:
    await button.click()
    dialog = page.locator("dialog[open]")
    await expect(dialog.locator("form")).to_be_visible()
    return dialog


async def close_form(page: Page) -> None:
    await page.keyboard.press("Escape")
    await expect(page.locator("dialog[open]")).to_have_count(0)


async def test_every_state_passes_axe_core(page: Page, served: tuple[str, str]) -> None:
    url, language = served
    await page.goto(url + "?team=balie")
    await expect(page.locator("body")).to_have_attribute("data-ready", "true")
    chat = page.locator("#pane-chat")
    coordinators, team = page.locator("#pane-coordinators"), page.locator("#pane-team")
    await expect(action(chat, "report.start")).to_be_visible()
    await check(page, language, "the empty page")

    composer = chat.locator("textarea").first
    await composer.fill(STORY[language])
    await check(page, language, "a typed text")
    await composer.press("Enter")
    draft = chat.locator(".msg--bot").filter(has=page.locator('[data-action-id="report.send"]'))
    await expect(draft).to_have_count(1)
    await check(page, language, "a draft")

    await open_form(page, action(draft, "report.details"))
    await check(page, language, "the details form")
    await close_form(page)

    # The anonymous routes delete a draft (its text goes along into their form): they are
    # opened once the report is sent.
    for opener in ("report.start", "receipt.enter"):
        await open_form(page, action(chat.locator("[data-home]"), opener))
        await check(page, language, f"the form of {opener}")
        await close_form(page)

    dialog = await open_form(page, action(chat.locator("[data-home]"), "report.start"))
    await dialog.locator('button[type="submit"]').click()
    await expect(dialog.locator(".field__error")).to_have_count(1)
    await check(page, language, "a form with an error")
    await close_form(page)

    await composer.fill("x" * (NARRATIVE_MAX + 1))
    await composer.press("Enter")
    await expect(chat.locator(".composer__error")).not_to_be_empty()
    await check(page, language, "a refused composer text")
    await composer.fill("")

    await action(draft, "report.send").click()
    receipt = chat.locator(".msg--bot").filter(has_text="M-")
    await expect(receipt).to_have_count(1, timeout=15_000)
    await check(page, language, "the receipt")
    for opener in ("consult.start", "report.anonymous"):
        await open_form(page, action(chat.locator("[data-home]"), opener))
        await check(page, language, f"the form of {opener}")
        await close_form(page)

    case = coordinators.locator(".case").first
    await expect(case).to_be_visible(timeout=15_000)
    await coordinators.locator("select").select_option("fatima")
    await case.locator("summary").click()
    await expect(case.locator(".replies")).not_to_be_empty()
    await check(page, language, "a case with its thread open")
    dialog = await open_form(page, action(case, "case.ask"))
    await check(page, language, "a coordinator's form")
    await close_form(page)

    await team.locator("textarea").fill("Goedemorgen" if language == "nl" else "Good morning")
    await team.locator("textarea").press("Enter")
    await expect(team.locator(".msg--person")).to_have_count(1)
    await check(page, language, "a team channel with a message")
    await team.locator("[data-membership]").click()
    await expect(team.locator(".empty")).to_be_visible()
    await check(page, language, "a team channel one is not in")

    # The person chooses the other language: meldbot's words and its forms follow, the
    # form's chrome too, and the form says which language it is in (lang) for a reader.
    other = "en" if language == "nl" else "nl"
    await action(chat.locator("[data-home]"), "menu.language").click()
    await expect(action(chat.locator("[data-home]"), "menu.language")).to_have_attribute(
        "data-value", language
    )
    await open_form(page, action(chat.locator("[data-home]"), "report.start"))
    await page.locator("dialog[open] form").locator('button[type="submit"]').click()
    await expect(page.locator("dialog[open] .field__error")).to_have_count(1)
    await assert_accessible(page, f"a form in {other} on a {language} page")
    await assert_speaks(page, other, f"a form in {other} on a {language} page", "dialog form")
