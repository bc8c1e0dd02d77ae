"""The case page's parts for the reporter's say, the aangifte and external reports in
headless Chromium: each form works without JavaScript, a refusal comes back at its form,
and axe-core (WCAG 2.1 AA) finds no violation, in Dutch and in English."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, create_app
from bot.case.models import Category, MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.measures.models import Plan
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import free_port
from tests.web.axe import assert_accessible

pytestmark = pytest.mark.browser
MakeServer = Callable[..., Awaitable[TestServer]]
STAFF = Reporter("slack", "U-SANNE", "Sanne de Vries")
JAN = Actor("slack", "U-JAN", "Jan Jansen")


async def _served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, str]:
    """meldbot with a trafficking signal that has aangifte and a talk advised."""
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
    signal = NewReport(
        "Busjes met arbeiders, elke ochtend om vijf uur.", category=Category.TRAFFICKING
    )
    case = await runtime.cases.report(signal, STAFF)
    assert runtime.measures is not None
    for kind in (MeasureKind.ORDER_TALK, MeasureKind.POLICE_REPORT):
        await runtime.measures.advise(JAN, case.id, Plan(kind, "Leidinggevende"))
    await runtime.outbox.settle()
    await aiohttp_server(app, port=port)
    return url, case.reference


async def test_the_say_the_aangifte_and_external_reports_work_and_are_accessible(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    url, reference = await _served(tmp_path, aiohttp_server)
    await page.goto(url + "/console/zaken/" + reference)
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(url + "/console/zaken/" + reference)
    await expect(page.get_by_text("Ga niet zelf op onderzoek uit.")).to_be_visible()
    await assert_accessible(page, "a trafficking case with aangifte advised")

    ask = page.get_by_role("button", name="Leg het voor aan de melder").first
    await ask.click()
    await expect(page.get_by_text("Het voorstel is onderweg naar de melder.")).to_be_visible()
    await expect(page.get_by_text("Nog geen antwoord")).to_be_visible()

    record = page.locator("form", has=page.get_by_role("button", name="Aangifte vastleggen"))
    await record.get_by_label("Datum van de aangifte").fill("2026-03-09")
    await record.get_by_label("Registratienummer van de politie").fill("PL0900-77")
    await record.get_by_role("button", name="Aangifte vastleggen").click()
    await expect(page.locator("#fout-aangifte")).to_contain_text("in de toekomst")
    await assert_accessible(page, "a refused aangifte record")
    await record.get_by_label("Datum van de aangifte").fill("2026-03-02")
    await record.get_by_role("button", name="Aangifte vastleggen").click()
    await expect(page.get_by_text("De aangifte is vastgelegd.")).to_be_visible()
    await expect(page.get_by_text("PL0900-77")).to_be_visible()

    report = page.locator("form", has=page.get_by_role("button", name="Externe melding vastleggen"))
    await report.get_by_label("Gemeld bij").select_option(label="CoMensha")
    await report.get_by_label("Datum van de melding").fill("2026-03-02")
    await report.get_by_label("Gedaan door").fill("Fatima, namens de organisatie")
    await report.get_by_role("button", name="Externe melding vastleggen").click()
    await expect(page.get_by_text("De externe melding is vastgelegd.")).to_be_visible()
    await expect(page.get_by_role("cell", name="CoMensha")).to_be_visible()
    await assert_accessible(page, "a case page with the say, the aangifte and a report")

    await page.get_by_role("link", name="English").click()
    await expect(page.get_by_text("Do not go and investigate yourself.")).to_be_visible()
    await expect(page.get_by_role("heading", name="Trafficking: external reports")).to_be_visible()
    await assert_accessible(page, "the same case page in English")
    assert await page.evaluate("window.__csp") == []
