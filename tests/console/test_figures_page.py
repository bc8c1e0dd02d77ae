"""The figures page for analysts and admins: a month's aggregates with the trend report's
small-number suppression, and its chart — over HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import expect

from bot.case.models import Category, NewReport, Reporter
from tests.console.more import (
    Console,
    MakeClient,
    MakeServer,
    Opener,
    chromium_tab,
    in_english,
    serve,
    sign_in,
)
from tests.web.axe import assert_accessible

FEBRUARY = datetime(2026, 2, 10, 9, tzinfo=UTC)


@pytest.fixture
def open_console(aiohttp_client: MakeClient, database_url: str, tmp_path: Path) -> Opener:
    return Opener(aiohttp_client, database_url, tmp_path)


async def _february(desk: Console, threats: int = 7, verbal: int = 2) -> list[str]:
    """Reports in February 2026 (the site's clock stands at 2 March); their references."""
    clock, cases = desk.site.clock, desk.site.runtime.cases
    now, clock.now = clock.now, FEBRUARY
    references = []
    for category, count in ((Category.THREAT, threats), (Category.VERBAL_AGGRESSION, verbal)):
        for n in range(count):
            report = NewReport(f"Melding {n} over <i>iemand</i>", category=category)
            case = await cases.report(report, Reporter("web", f"staff-{n}", "Sanne"))
            references.append(case.reference)
    clock.now = now
    return references


def _row(html: str, caption: str, label: str) -> str:
    table = html[html.index(f'<caption class="utrecht-table__caption">{caption}</caption>') :]
    table = table[: table.index("</table>")]
    found = re.search(
        rf'scope="row">{re.escape(label)}</th><td class="utrecht-table__cell">([^<]*)<', table
    )
    assert found, (caption, label)
    return found.group(1)


async def test_an_analyst_sees_a_month_in_numbers_with_small_counts_hidden(
    open_console: Opener,
) -> None:
    desk = await open_console("analist")
    references = await _february(desk)
    status, html = await desk.site.page("/console/cijfers")
    assert status == 200, "the previous month by default"
    assert "De cijfers van februari 2026" in html
    assert _row(html, "Meldingen", "Meldingen") == "9"
    assert _row(html, "Per soort", "Bedreiging") == "7"
    assert _row(html, "Per soort", "Verbale agressie") == "&lt;5"
    assert "2" not in _row(html, "Per soort", "Verbale agressie")
    assert _row(html, "Meldingen per maand tot en met februari 2026", "februari 2026") == "9"
    assert _row(html, "Meldingen per maand tot en met februari 2026", "januari 2026") == "0"
    for reference in references:
        assert reference not in html
    assert "/console/zaken" not in html and "iemand" not in html, "never a case"
    [read] = [e for e in await desk.audit() if e.action == "figures.read"]
    assert (read.actor, read.detail, read.reference) == ("console:local:analist", "2026-02", None)


async def test_a_month_of_few_reports_hides_its_total_too(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    await _february(desk, threats=2, verbal=1)
    status, html = await desk.site.page("/console/cijfers?maand=2026-02")
    assert status == 200
    assert _row(html, "Meldingen", "Meldingen") == "&lt;5"
    assert _row(html, "Per soort", "Bedreiging") == "&lt;5"
    assert _row(html, "Meldingen per maand tot en met februari 2026", "februari 2026") == "&lt;5"
    assert '<option value="2026-02" selected>februari 2026</option>' in html


async def test_the_chart_is_a_png_with_its_words_beside_it(open_console: Opener) -> None:
    desk = await open_console("analist")
    await _february(desk)
    _status, html = await desk.site.page("/console/cijfers?maand=2026-02&taal=en")
    [alt] = re.findall(
        r'<img class="meldbot-chart" src="/console/cijfers/2026-02.png" alt="([^"]*)"', html
    )
    assert alt.startswith("Bar chart of the reports per month, Mar 2025 to Feb 2026")
    assert "Feb 2026: 9" in alt
    picture = await desk.site.client.get("/console/cijfers/2026-02.png")
    assert picture.status == 200 and picture.headers["Content-Type"] == "image/png"
    assert (await picture.read()).startswith(b"\x89PNG\r\n\x1a\n")


async def test_a_month_that_is_not_one_gets_the_chooser_and_a_reason(open_console: Opener) -> None:
    desk = await open_console("analist")
    for month in ("2026-13", "maart", "2026-04", "1999-12", "2026-3"):
        status, html = await desk.site.page(f"/console/cijfers?maand={month}")
        assert status == 400, month
        assert "Kies een maand die al begonnen is, bijvoorbeeld 2026-03." in html, month
        assert '<select class="utrecht-select' in html and 'aria-invalid="true"' in html
    for path in ("/console/cijfers/2026-13.png", "/console/cijfers/2026-04.png"):
        assert (await desk.site.client.get(path)).status in {400, 404}, path
    status, _html = await desk.site.page("/console/cijfers?maand=2026-03")
    assert status == 200, "the month that has begun"


async def test_coordinators_and_staff_get_no_figures(open_console: Opener) -> None:
    desk = await open_console()
    await _february(desk)
    for persona in ("fatima", "sanne"):
        await desk.sign_in(persona)
        for path in (
            "/console/cijfers",
            "/console/cijfers?maand=2026-02",
            "/console/cijfers/2026-02.png",
        ):
            status, html = await desk.site.page(path)
            assert status == 403 and "Hier heb je geen toegang toe" in html, (persona, path)
    assert not [e for e in await desk.audit() if e.action == "figures.read"]


@pytest.mark.browser
async def test_the_figures_page_in_chromium_is_accessible_in_dutch_and_english(
    aiohttp_server: MakeServer, tmp_path: Path
) -> None:
    served = await serve(aiohttp_server, tmp_path)
    served.clock.now = FEBRUARY
    for n in range(6):
        report = NewReport(f"Melding {n}", category=Category.THREAT)
        await served.runtime.cases.report(report, Reporter("web", f"staff-{n}", "Sanne"))
    served.clock.now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    async with chromium_tab(tmp_path) as tab:
        await sign_in(tab, served, "analist", "/console/cijfers")
        await expect(tab.get_by_role("heading", level=2).first).to_have_text(
            "De cijfers van februari 2026"
        )
        chart = tab.get_by_role("img")
        await expect(chart).to_have_attribute("alt", re.compile("^Staafdiagram|^Bar chart"))
        assert await chart.evaluate("img => img.complete && img.naturalWidth") == 1000
        await assert_accessible(tab, "the figures page")
        await tab.get_by_label("Maand", exact=True).select_option("2026-01")
        await tab.get_by_role("button", name="Tonen", exact=True).click()
        await expect(tab.get_by_role("heading", level=2).first).to_have_text(
            "De cijfers van januari 2026"
        )
        await in_english(tab)
        await expect(tab.get_by_role("heading", level=2).first).to_have_text(
            "The figures of January 2026"
        )
        await assert_accessible(tab, "the figures page in English")
        await tab.goto(served.url + "/console/cijfers?maand=2027-01")
        chooser = tab.get_by_label("Month", exact=True)
        await expect(chooser).to_have_attribute("aria-invalid", "true")
        await assert_accessible(tab, "a month not begun, in English")
