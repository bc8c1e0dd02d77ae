"""The console in headless Chromium, keyboard first: sign in (demo), list, filter, search
by reference, open, claim, ask, note, close, sign out — and axe-core (WCAG 2.1 AA) with
no violation on every console page, in Dutch and English, without a CSP violation."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, create_app
from bot.case.models import Category, NewReport, Reporter
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import free_port
from tests.web.axe import assert_accessible

pytestmark = pytest.mark.browser
MakeServer = Callable[..., Awaitable[TestServer]]
STAFF = Reporter("slack", "U-SANNE", "Sanne de Vries")


async def _served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, list[str]]:
    """meldbot with a faked Slack and three cases: one urgent, one anonymous-free calm one,
    one flagged for self-harm; their references."""
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
    reports = [
        NewReport("Een klant schreeuwde aan de <b>balie</b>.", category=Category.VERBAL_AGGRESSION),
        NewReport("Hij staat nu met een mes bij de ingang.", danger_now=True),
        NewReport("Een bezoeker zei dat hij zichzelf iets wil aandoen.", self_harm=True),
    ]
    references = [(await runtime.cases.report(report, STAFF)).reference for report in reports]
    await runtime.outbox.settle()
    await aiohttp_server(app, port=port)
    return url, references


async def _no_csp_violations(tab: Page) -> None:
    assert await tab.evaluate("window.__csp") == []


async def test_a_coordinator_works_a_case_with_the_keyboard(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    url, [calm, urgent, flagged] = await _served(tmp_path, aiohttp_server)
    await page.goto(url + "/console/zaken/" + calm)
    await page.keyboard.press("Tab")
    await expect(page.get_by_role("link", name="Naar de inhoud")).to_be_focused()
    await page.get_by_role("button", name="Inloggen als Fatima").focus()
    await page.keyboard.press("Enter")
    await page.wait_for_url(url + "/console/zaken/" + calm)
    await page.get_by_role("link", name="Zaken", exact=True).click()
    await page.wait_for_url(url + "/console/")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Zaken: Open")
    await expect(page.get_by_role("link", name=urgent)).to_be_visible()
    await expect(page.locator("tr", has_text=urgent).get_by_text("Nu gevaar")).to_be_visible()
    await assert_accessible(page, "the case list")
    for view in ("Mijn zaken", "Niet opgepakt", "Spoed", "Te laat", "Afgesloten", "Alle"):
        await page.get_by_role("link", name=view, exact=True).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(f"Zaken: {view}")
        await assert_accessible(page, f"the list: {view}")
    await page.get_by_label("Soort").select_option(label="Verbale agressie")
    await page.get_by_role("button", name="Tonen").click()
    await expect(page.get_by_role("link", name=calm)).to_be_visible()
    await expect(page.get_by_role("link", name=urgent)).to_have_count(0)
    await page.get_by_label("Soort").select_option(label="Alle soorten")
    await page.get_by_label("Zoek op referentie of woorden").fill(flagged)
    await page.keyboard.press("Enter")
    await page.wait_for_url(url + f"/console/zaken/{flagged}")
    await expect(page.get_by_text("zichzelf iets wil aandoen")).to_be_visible()
    await expect(page.get_by_text("113 Zelfmoordpreventie", exact=False)).to_be_visible()
    await assert_accessible(page, "a flagged case page")
    await page.goto(url + f"/console/zaken/{calm}")
    await expect(page.get_by_text("Een klant schreeuwde aan de <b>balie</b>.")).to_be_visible()
    await assert_accessible(page, "an open case page")
    await page.get_by_role("button", name="Oppakken").first.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_text("Je hebt deze zaak opgepakt.")).to_be_visible()
    await page.get_by_label("Je vraag").fill("Was er iemand bij?")
    await page.get_by_role("button", name="Vraag aan melder").click()
    await expect(page.get_by_text("Je vraag is onderweg naar de melder.")).to_be_visible()
    await page.get_by_label("Notitie", exact=True).fill("Bekende bezoeker.")
    await page.get_by_role("button", name="Bewaar de notitie").click()
    await expect(page.get_by_text("Bekende bezoeker.")).to_be_visible()
    await page.get_by_label("Samenvatting voor het dossier").fill("   ")
    await page.get_by_role("button", name="Sluit de zaak").click()  # only spaces: refused
    await expect(page.get_by_role("alert")).to_contain_text("Schrijf eerst iets.")
    await page.get_by_role("link", name="Naar het formulier").click()
    await expect(page.locator("#fout-sluiten")).to_be_focused()
    await assert_accessible(page, "a refused form on the case page")
    await page.get_by_label("Samenvatting voor het dossier").fill("Gesprek gehad, opgelost.")
    await page.get_by_role("button", name="Sluit de zaak").click()
    await expect(page.get_by_text("De zaak is gesloten.")).to_be_visible()
    await assert_accessible(page, "a closed case page")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(f"Report {calm}")
    await assert_accessible(page, "a closed case page in English")
    await page.goto(url + f"/console/zaken/{urgent}")
    await page.get_by_label("Coördinator", exact=True).check()
    await page.get_by_label("Fatima", exact=True).check()
    await page.get_by_role("button", name="Restrict").click()
    await expect(page.get_by_text("Restricted", exact=True).first).to_be_visible()
    await assert_accessible(page, "a restricted case page in English")
    await page.goto(url + "/console/?weergave=all")
    await assert_accessible(page, "the list in English")
    await page.goto(url + f"/console/zaken/{flagged}")
    await assert_accessible(page, "an open case page in English")
    await page.goto(url + "/console/zaken/M-2026-9999")
    await assert_accessible(page, "the 404 page in English")
    await page.get_by_role("link", name="Nederlands").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Deze pagina bestaat niet")
    await assert_accessible(page, "the 404 page")
    await page.get_by_role("link", name="English").click()
    await page.get_by_role("button", name="Sign out").click()
    await page.goto(url + f"/console/zaken/{calm}")
    await page.get_by_role("button", name=re.compile(r"^Sign in as Anal(ist|yst)$")).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("You have no access to this")
    await assert_accessible(page, "the 403 page in English")
    await _no_csp_violations(page)


async def test_the_measures_section_works_without_javascript_and_is_accessible(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    url, [calm, _urgent, _flagged] = await _served(tmp_path, aiohttp_server)
    await page.goto(url + "/console/zaken/" + calm)
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(url + "/console/zaken/" + calm)
    await expect(page.get_by_role("heading", name="Maatregelen", level=2)).to_be_visible()
    await assert_accessible(page, "a case page without measures")
    advise = page.locator("form", has=page.get_by_role("button", name="Maatregel adviseren"))
    await advise.get_by_label("Maatregel", exact=True).select_option(label="Pandverbod")
    await advise.get_by_label("Wie voert het uit").fill("Leidinggevende Burgerzaken")
    await advise.get_by_label("Verbod vanaf").fill("2026-03-10")
    await advise.get_by_label("Verbod tot en met").fill("2026-03-05")
    await advise.get_by_role("button", name="Maatregel adviseren").click()
    await expect(page.locator("#fout-maatregel")).to_contain_text("Het verbod stopt")
    await assert_accessible(page, "a refused measure")
    await advise.get_by_label("Verbod tot en met").fill("2026-09-10")
    await advise.get_by_role("button", name="Maatregel adviseren").click()
    await expect(page.get_by_text("De maatregel is opgeslagen.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Pandverbod · Geadviseerd")).to_be_visible()
    await page.get_by_text("Tips voor wie het uitvoert").click()
    await expect(page.get_by_text("Vertel het de receptie", exact=False)).to_be_visible()
    await assert_accessible(page, "a case page with a measure and its guidance")
    step = page.locator("form", has=page.get_by_role("button", name="Stap opslaan"))
    await step.get_by_label("Volgende stap").select_option(label="Gestopt")
    await step.get_by_role("button", name="Stap opslaan").click()
    await expect(page.locator("#fout-maatregel-stap")).to_contain_text("waarom de maatregel stopt")
    await assert_accessible(page, "a refused step")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_role("heading", name="Building ban · Advised")).to_be_visible()
    await page.get_by_text("Guidance for who carries it out").click()
    await assert_accessible(page, "a case page with a measure in English")
    await _no_csp_violations(page)
