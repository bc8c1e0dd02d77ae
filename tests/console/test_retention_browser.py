"""Bewaren en vernietigen in headless Chromium: the list of cases coming due and the
extension form work without JavaScript, a refusal comes back at the form, and axe-core
(WCAG 2.1 AA) finds no violation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

from bot.app import RUNTIME, create_app
from bot.case.models import Category, NewReport, Reporter
from bot.events import Actor
from tests.core.conftest import Clock, make_settings
from tests.core.retention import years_later
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import free_port
from tests.web.axe import assert_accessible

pytestmark = pytest.mark.browser
MakeServer = Callable[..., Awaitable[TestServer]]
JAN = Actor("slack", "U-JAN", "Jan Jansen")
PAGE = "/console/bewaren"


async def _served(tmp_path: Path, aiohttp_server: MakeServer) -> tuple[str, str]:
    """meldbot with a closed case ten days before it is due."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        tmp_path,
        public_url=url,
        web_coordinators=["fatima", "coordinator"],
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    runtime = app[RUNTIME]
    runtime.messengers["slack"] = FakeMessenger("slack", coordinators={"U-JAN"})
    report = NewReport("Een klant sloeg op de balie.", category=Category.THREAT)
    case = await runtime.cases.report(report, Reporter("slack", "U-SANNE", "Sanne de Vries"))
    closed = await runtime.cases.close(JAN, case.id, "Afgehandeld.", None)
    await runtime.outbox.settle()
    assert closed.closed_at is not None
    clock.now = years_later(closed.closed_at, 2) - timedelta(days=10)
    await aiohttp_server(app, port=port)
    return url, case.reference


async def test_the_list_and_the_extension_work_and_are_accessible(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    url, reference = await _served(tmp_path, aiohttp_server)
    await page.goto(url + PAGE)
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(url + PAGE)
    await expect(page.get_by_role("rowheader", name=reference)).to_be_visible()
    await assert_accessible(page, "the cases coming due")

    keep = page.get_by_role("button", name="Langer bewaren")
    await keep.click()  # the browser asks for the reason first: required
    await expect(page.get_by_role("rowheader", name=reference)).to_be_visible()
    await page.get_by_label("Waarom de zaak langer bewaard moet worden").fill("   ")
    await keep.click()
    await expect(page.get_by_role("alert")).to_contain_text("Schrijf op waarom")
    await assert_accessible(page, "a refused extension")
    reason = page.get_by_label("Waarom de zaak langer bewaard moet worden")
    await reason.fill("Het bezwaar loopt nog.")
    await page.get_by_role("button", name="Langer bewaren").click()
    await expect(page.get_by_text("De zaak wordt langer bewaard.")).to_be_visible()
    await expect(
        page.get_by_text("Er wordt de komende 30 dagen geen zaak vernietigd.")
    ).to_be_visible()
    assert await page.evaluate("window.__csp") == []
