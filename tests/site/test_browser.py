"""meldbot's own pages in headless Chromium: signing in (the demo and a real OpenID
provider), linking, signing out, a form kept over an expired session, error pages —
keyboard first, axe-core (WCAG 2.1 AA) on every page, no CSP violation."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import create_app
from tests.core.conftest import Clock, make_settings
from tests.site.conftest import free_port, mock_user, signin_config
from tests.site.surface import NotesPage
from tests.web.axe import assert_accessible

pytestmark = pytest.mark.browser

MakeServer = Callable[..., Awaitable[TestServer]]


class Served:
    def __init__(self, url: str, clock: Clock) -> None:
        self.url = url
        self.clock = clock


@pytest.fixture
def serve(tmp_path: Path, aiohttp_server: MakeServer) -> Callable[..., Awaitable[Served]]:
    async def start(**settings: Any) -> Served:
        port = free_port()
        clock = Clock()
        settings.setdefault("web_coordinators", ["fatima", "coordinator"])
        url = f"sqlite+aiosqlite:///{tmp_path / f'meldbot-{port}.db'}"
        app = await create_app(
            make_settings(url, tmp_path, public_url=f"http://127.0.0.1:{port}", **settings),
            clock=clock,
        )
        NotesPage().add_to(app)
        await aiohttp_server(app, port=port)
        return Served(f"http://127.0.0.1:{port}", clock)

    return start


async def _no_csp_violations(tab: Page) -> None:
    assert await tab.evaluate("window.__csp") == []


async def test_the_demo_sign_in_linking_and_signing_out(
    page: Page,
    serve: Callable[..., Awaitable[Served]],
) -> None:
    site = await serve()
    await page.goto(site.url + "/koppelen")
    assert "/signin?next=%2Fkoppelen" in page.url
    await expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen (demo)")
    await assert_accessible(page, "the demo sign-in page")
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    await page.get_by_role("button", name="Inloggen als Fatima").focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(site.url + "/koppelen")
    await expect(page.get_by_text("Ingelogd als Fatima")).to_be_visible()
    await expect(page.get_by_text("Je sessie loopt af om 10:30")).to_be_visible()
    await assert_accessible(page, "the link page")
    await page.get_by_role("button", name="Maak een koppelcode").click()
    await expect(page.locator("code")).to_have_text(re.compile(r"^koppel \d{3} \d{3}$"))
    await assert_accessible(page, "the link page with a code")
    await page.get_by_role("button", name="Uitloggen").click()
    await expect(page.get_by_text("Je bent uitgelogd.")).to_be_visible()
    await assert_accessible(page, "signed out")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Sign in (demo)")
    await assert_accessible(page, "the demo sign-in page in English")
    await _no_csp_violations(page)


async def test_a_form_survives_an_expired_session_in_the_browser(
    page: Page,
    serve: Callable[..., Awaitable[Served]],
) -> None:
    site = await serve()
    await page.goto(site.url + "/console/proef")
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(site.url + "/console/proef")
    await page.get_by_label("Gekoppelde accounts").fill("Het verhaal dat ik bijna kwijt was")
    site.clock.advance(minutes=45)
    await page.get_by_role("button", name="Inloggen").click()
    await expect(page.get_by_text("Je sessie is verlopen")).to_be_visible()
    await assert_accessible(page, "the sign-in page after an expired session")
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(site.url + "/console/proef")
    await expect(page.get_by_label("Gekoppelde accounts")).to_have_value(
        "Het verhaal dat ik bijna kwijt was"
    )
    await expect(page.get_by_text("Wat je had ingevuld, staat er nog")).to_be_visible()
    await assert_accessible(page, "a kept form, filled in again")
    await _no_csp_violations(page)


async def test_error_pages_pass_axe(
    page: Page,
    serve: Callable[..., Awaitable[Served]],
) -> None:
    site = await serve()
    await page.goto(site.url + "/console/bestaat-niet")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")
    await assert_accessible(page, "the 404 page")
    await page.goto(site.url + "/console/proef")
    await page.get_by_role("button", name="Inloggen als Sanne de Vries").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Hier heb je geen toegang toe")
    await assert_accessible(page, "the 403 page")
    await _no_csp_violations(page)


async def test_signing_in_with_a_real_provider_in_the_browser(
    page: Page,
    serve: Callable[..., Awaitable[Served]],
    mock_provider: str,
) -> None:
    mock_user(mock_provider, "noor", {"name": "Noor Coördinator", "roles": ["meldbot.coordinator"]})
    site = await serve(signin=signin_config(mock_provider))
    await page.goto(site.url + "/console/proef")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Inloggen")
    await assert_accessible(page, "the sign-in page")
    await page.get_by_role("link", name="Inloggen", exact=True).click()
    await page.get_by_placeholder("sub").fill("noor")
    await page.get_by_role("button", name="Authorize").click()
    await page.wait_for_url(site.url + "/console/proef")
    await expect(page.get_by_text("Ingelogd als Noor Coördinator")).to_be_visible()
    await _no_csp_violations(page)
    await page.goto(site.url + "/signin/callback?code=verzonnen&state=verzonnen")
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Dit verzoek kan meldbot niet lezen"
    )
    await assert_accessible(page, "the 400 page")


async def test_the_settings_page_passes_axe(
    page: Page,
    serve: Callable[..., Awaitable[Served]],
) -> None:
    site = await serve(slack_bot_token="xoxb-niet-tonen")
    await page.goto(site.url + "/console/instellingen")
    await page.get_by_role("button", name="Inloggen als Beheerder").click()
    await page.wait_for_url(site.url + "/console/instellingen")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Instellingen")
    await expect(page.get_by_role("row", name="slack_bot_token")).to_contain_text("niet getoond")
    await assert_accessible(page, "the settings page")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    await assert_accessible(page, "the settings page in English")
    await _no_csp_violations(page)
