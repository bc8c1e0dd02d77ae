"""The ban part of the case page in headless Chromium, without JavaScript help: the outcome
of a re-evaluation refused and then saved, the police informed, the reaction clock among
the clocks — axe-core (WCAG 2.1 AA) with no violation, in Dutch and English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.app import RUNTIME, create_app
from bot.case.models import Category, MeasureKind, NewReport
from bot.events import Actor
from bot.measures.models import Plan, Step
from tests.console.test_browser import STAFF, MakeServer, _no_csp_violations
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import free_port
from tests.web.axe import assert_accessible

pytestmark = pytest.mark.browser
JAN = Actor("slack", "U-JAN", "Jan Jansen")


async def _served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, str]:
    """meldbot with a faked Slack and one case with a pandverbod carried out."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'bans.db'}",
        tmp_path,
        public_url=url,
        web_coordinators=["fatima", "coordinator"],
    )
    app = await create_app(settings, clock=Clock())
    runtime = app[RUNTIME]
    runtime.messengers["slack"] = FakeMessenger("slack", coordinators={"U-JAN"})
    case = await runtime.cases.report(
        NewReport("Hij schopte tegen de balie.", category=Category.THREAT), STAFF
    )
    assert runtime.measures is not None
    plan = Plan(
        MeasureKind.BUILDING_BAN,
        "Leidinggevende",
        starts_on=date(2026, 3, 5),
        ends_on=date(2026, 4, 13),
    )
    ban = await runtime.measures.advise(JAN, case.id, plan)
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await runtime.measures.step(JAN, case.id, ban.id, step)
    await runtime.outbox.settle()
    await aiohttp_server(app, port=port)
    return url, case.reference


async def test_the_ban_outcome_and_the_police_work_without_javascript_and_are_accessible(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    url, reference = await _served(tmp_path, aiohttp_server)
    await page.goto(url + "/console/zaken/" + reference)
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(url + "/console/zaken/" + reference)
    await expect(page.get_by_role("rowheader", name="Reactie naar de pleger")).to_be_visible()
    await assert_accessible(page, "a case page with a ban in force")
    outcome = page.locator("form", has=page.get_by_role("button", name="Uitkomst opslaan"))
    await outcome.get_by_label("Verlengen").check()
    await outcome.get_by_label("Nieuwe einddatum").fill("2026-06-01")
    await outcome.get_by_role("button", name="Uitkomst opslaan").click()
    await expect(page.locator("#fout-verbod-uitkomst")).to_contain_text("langer duurt")
    await assert_accessible(page, "a refused ban outcome")
    await outcome.get_by_label("Reden").fill("Hij belde opnieuw.")
    await outcome.get_by_role("button", name="Uitkomst opslaan").click()
    await expect(page.get_by_text("De uitkomst voor het verbod is opgeslagen.")).to_be_visible()
    await expect(page.get_by_text("Verlengd tot 1 juni 2026", exact=False)).to_be_visible()
    police = page.locator("form", has=page.get_by_role("button", name="De politie is ingelicht"))
    await police.get_by_label("Notitie").fill("Wijkagent De Boer.")
    await police.get_by_role("button", name="De politie is ingelicht").click()
    await expect(page.get_by_text("Vastgelegd: de politie is ingelicht.")).to_be_visible()
    await assert_accessible(page, "a case page with an extended ban, the police informed")
    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_text("Extended until 1 June 2026", exact=False)).to_be_visible()
    await expect(page.get_by_role("button", name="Save the outcome")).to_be_visible()
    await assert_accessible(page, "a case page with a ban in English")
    await _no_csp_violations(page)
