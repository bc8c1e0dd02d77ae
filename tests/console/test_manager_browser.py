"""The manager's parts of the console in headless Chromium, without JavaScript needed:
the coordinator's section (consent asked, an invitation refused without it and made with
it, choosing a manager meldbot knows) and the invited manager's list and case page with
"Hoe ging het?" — axe-core (WCAG 2.1 AA) with no violation, in Dutch and English."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import NewReport, Reporter
from bot.events import ActionInvoked, Actor, Address
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import free_port
from tests.web.axe import assert_accessible

pytestmark = pytest.mark.browser
MakeServer = Callable[..., Awaitable[TestServer]]
STAFF = Reporter("slack", "U-SANNE", "Sanne de Vries")
STORY = "Een klant schreeuwde aan de balie tegen Sanne."
SHARED = "De klant was boos aan de balie. Nodig hem uit voor een gesprek."


async def _served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, Runtime, str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        tmp_path,
        public_url=url,
        web_coordinators=["fatima", "coordinator"],
    )
    app = await create_app(settings, clock=Clock())
    runtime = app[RUNTIME]
    runtime.messengers["slack"] = FakeMessenger("slack", coordinators={"U-JAN"})
    case = await runtime.cases.report(NewReport(STORY), STAFF)
    await runtime.outbox.settle()
    await aiohttp_server(app, port=port)
    return url, runtime, case.reference


async def _sign_in(page: Page, url: str, path: str, button: str) -> None:
    await page.goto(url + path)
    await page.get_by_role("button", name=button).click()
    await page.wait_for_url(url + path)


async def test_the_manager_parts_of_the_console_are_accessible(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    url, runtime, reference = await _served(tmp_path, aiohttp_server)
    case_path = f"/console/zaken/{reference}"
    await _sign_in(page, url, "/console/uitgenodigd", "Inloggen als Leidinggevende")
    await expect(page.get_by_text("Je bent niet uitgenodigd voor een maatregel.")).to_be_visible()
    await assert_accessible(page, "an empty invitation list")
    await page.get_by_role("button", name="Uitloggen").click()

    await _sign_in(page, url, case_path, "Inloggen als Fatima")
    advise = page.locator("form", has=page.get_by_role("button", name="Maatregel adviseren"))
    await advise.get_by_label("Maatregel", exact=True).select_option(label="Ordegesprek")
    await advise.get_by_role("button", name="Maatregel adviseren").click()
    await expect(page.get_by_role("heading", name="De leidinggevende", level=2)).to_be_visible()
    await assert_accessible(page, "the manager section without consent")
    invite = page.locator("form", has=page.get_by_role("button", name="Leidinggevende uitnodigen"))
    await invite.get_by_label("Een leidinggevende die meldbot kent").select_option(
        label="Leidinggevende"
    )
    await invite.get_by_label("Wat je deelt met de leidinggevende").fill(SHARED)
    await invite.get_by_role("button", name="Leidinggevende uitnodigen").click()
    await expect(page.locator("#fout-leidinggevende")).to_contain_text("geen toestemming")
    await expect(invite.get_by_label("Wat je deelt met de leidinggevende")).to_have_value(SHARED)
    await assert_accessible(page, "a refused invitation")
    await page.get_by_role("link", name="Vraag de melder om toestemming").click()
    await page.get_by_role("button", name="Toestemming vragen").click()
    await expect(page.get_by_text("De melder krijgt in de chat de vraag")).to_be_visible()
    case = await runtime.cases.locate(Actor("slack", "U-JAN", "Jan"), reference)
    await runtime.dialogs.handle(
        ActionInvoked(
            Actor("slack", STAFF.user_id, STAFF.name),
            Address("slack", "D-SANNE", personal=True),
            "consent.yes",
            str(case.id),
        )
    )
    await page.reload()
    await expect(page.get_by_text("De melder vindt het goed", exact=False).first).to_be_visible()
    await invite.get_by_label("Een leidinggevende die meldbot kent").select_option(
        label="Leidinggevende"
    )
    await invite.get_by_label("Wat je deelt met de leidinggevende").fill(SHARED)
    await invite.get_by_role("button", name="Leidinggevende uitnodigen").click()
    await expect(page.get_by_text("De leidinggevende is uitgenodigd.")).to_be_visible()
    await assert_accessible(page, "the manager section with an invitation")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", name="The manager", level=2)).to_be_visible()
    await assert_accessible(page, "the manager section in English")
    await page.get_by_role("link", name="Nederlands").click()
    await page.get_by_role("button", name="Uitloggen").click()

    await _sign_in(page, url, "/console/uitgenodigd", "Inloggen als Leidinggevende")
    await assert_accessible(page, "the invitation list")
    await page.get_by_role("link", name=reference).click()
    await expect(page.get_by_text(SHARED)).to_be_visible()
    await expect(page.get_by_text(STORY)).to_have_count(0)
    await assert_accessible(page, "the manager's case page")
    await page.get_by_label("Niet gedaan").check()
    await page.get_by_label("Een notitie voor de coördinator (mag leeg blijven)").fill(
        "Volgende week."
    )
    await page.get_by_role("button", name="Versturen").click()
    await expect(page.get_by_text("Je antwoordde: Niet gedaan")).to_be_visible()
    await assert_accessible(page, "the manager's case page, answered")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_text("You answered: Not done")).to_be_visible()
    await assert_accessible(page, "the manager's case page in English")
    await page.get_by_role("link", name="Invited", exact=True).click()
    await assert_accessible(page, "the invitation list in English")
