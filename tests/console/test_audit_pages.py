"""The admins' audit pages: the log of one case by reference, and a period as CSV — over
HTTP on the real application, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.async_api import expect
from sqlalchemy import text

from bot.access.models import Principal, Role
from bot.case.models import Case, NewReport, Reporter
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

NARRATIVE = "Geheime <b>inhoud</b>: de bezoeker sloeg met een stoel."
FATIMA = Principal("local:fatima", "Fatima", frozenset({Role.COORDINATOR}))
HEADER = "at,actor,actor_name,action,reference,case_id,detail"


@pytest.fixture
def open_console(aiohttp_client: MakeClient, database_url: str, tmp_path: Path) -> Opener:
    return Opener(aiohttp_client, database_url, tmp_path)


async def _read_case(desk: Console) -> Case:
    """A case, opened and claimed by a coordinator: two entries in its log."""
    cases = desk.site.runtime.cases
    case = await cases.report(NewReport(NARRATIVE), Reporter("web", "staff-1", "Sanne"))
    await cases.read(FATIMA, case.id)
    await cases.claim(FATIMA, case.id)
    return case


async def test_an_admin_reads_the_log_of_one_case_without_its_content(
    open_console: Opener,
) -> None:
    desk = await open_console("beheerder")
    case = await _read_case(desk)
    status, html = await desk.site.page("/console/audit")
    assert status == 200 and "Het log van één zaak" in html and "<table" not in html
    status, html = await desk.site.page(f"/console/audit?zaak={case.reference.lower()}")
    assert status == 200
    assert f"Het log van {case.reference}, oudste eerst" in html
    assert html.index("Opende de zaak") < html.index("Pakte de zaak op")
    assert "Fatima (console:local:fatima)" in html
    assert "stoel" not in html and "inhoud" not in html.split("<h2")[1], "never the narrative"
    [read] = [e for e in await desk.audit() if e.action == "audit.read"]
    assert (read.actor, read.reference) == ("console:local:beheerder", case.reference)


async def test_the_log_outlives_the_case_and_an_unknown_reference_has_no_entries(
    open_console: Opener,
) -> None:
    desk = await open_console("beheerder")
    case = await _read_case(desk)
    async with desk.site.runtime.database.engine.begin() as connection:
        await connection.execute(text("DELETE FROM cases WHERE id = :id"), {"id": case.id})
    status, html = await desk.site.page(f"/console/audit?zaak={case.reference}")
    assert status == 200 and "Opende de zaak" in html and "Pakte de zaak op" in html
    status, html = await desk.site.page("/console/audit?zaak=M-2099-9999")
    assert status == 200 and "Er staat niets in het log voor M-2099-9999." in html
    status, html = await desk.site.page("/console/audit?zaak=" + "M" * 31)
    assert status == 400 and "hoogstens 30 tekens" in html and 'value="' + "M" * 31 in html


async def test_the_export_is_a_csv_file_of_the_period_and_is_audited(
    open_console: Opener,
) -> None:
    desk = await open_console("beheerder")
    case = await _read_case(desk)
    response = await desk.site.client.get(
        "/console/audit/export?van=2026-03-01&tot=2026-03-02", allow_redirects=False
    )
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="meldbot-audit-2026-03-01-2026-03-02.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    body = (await response.read()).decode("utf-8")
    assert body.startswith(HEADER + "\r\n")
    rows = list(csv.reader(io.StringIO(body)))
    assert [(r[1], r[3], r[4]) for r in rows[1:]] == [
        ("console:local:beheerder", "signin", ""),
        ("console:local:fatima", "open", case.reference),
        ("console:local:fatima", "claim", case.reference),
    ]
    assert "stoel" not in body and "inhoud" not in body
    [export] = [e for e in await desk.audit() if e.action == "audit.export"]
    assert export.detail == "2026-02-28..2026-03-02: 3 rows", "local days, as UTC bounds"
    before = await desk.site.client.get("/console/audit/export?van=2026-02-01&tot=2026-02-28")
    assert (await before.read()).decode() == HEADER + "\r\n", "nothing before the period"


async def test_bad_periods_get_the_form_again_with_a_reason(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    for query, reason in (
        ("van=2026-03-01", "Vul beide datums in"),
        ("van=gisteren&tot=vandaag", "Vul beide datums in"),
        ("van=2026-02-30&tot=2026-03-01", "Vul beide datums in"),
        ("van=2026-03-02&tot=2026-03-01", "hoogstens een jaar"),
        ("van=2025-01-01&tot=2026-03-01", "hoogstens een jaar"),
        ("van=99999-01-01&tot=2026-03-01", "Vul beide datums in"),
    ):
        status, html = await desk.site.page(f"/console/audit/export?{query}")
        assert status == 400 and reason in html, query
        assert 'action="/console/audit/export"' in html and 'aria-invalid="true"' in html
    assert not [e for e in await desk.audit() if e.action == "audit.export"]
    leap_year = await desk.site.client.get("/console/audit/export?van=2024-01-01&tot=2024-12-31")
    assert leap_year.status == 200, "a whole year is not over a year"


async def test_only_admins_reach_the_audit_pages(open_console: Opener) -> None:
    desk = await open_console()
    case = await _read_case(desk)
    for persona in ("fatima", "analist", "sanne"):
        await desk.sign_in(persona)
        for path in (
            "/console/audit",
            f"/console/audit?zaak={case.reference}",
            "/console/audit/export?van=2026-03-01&tot=2026-03-02",
        ):
            status, html = await desk.site.page(path)
            assert status == 403 and "Hier heb je geen toegang toe" in html, (persona, path)
    assert not [e for e in await desk.audit() if e.action.startswith("audit.")]


@pytest.mark.browser
async def test_the_audit_page_in_chromium_is_accessible_in_dutch_and_english(
    aiohttp_server: MakeServer, tmp_path: Path
) -> None:
    served = await serve(aiohttp_server, tmp_path)
    cases = served.runtime.cases
    case = await cases.report(NewReport(NARRATIVE), Reporter("web", "staff-1", "Sanne"))
    await cases.read(FATIMA, case.id)
    async with chromium_tab(tmp_path) as tab:
        await sign_in(tab, served, "beheerder", "/console/audit")
        await assert_accessible(tab, "the audit page")
        await tab.get_by_label("Referentie").fill(case.reference.lower())
        await tab.get_by_role("button", name="Toon het log").click()
        await expect(tab.get_by_role("table")).to_contain_text("Opende de zaak")
        assert "stoel" not in await tab.content()
        await assert_accessible(tab, "the audit page with the log of a case")
        await in_english(tab)
        await expect(tab.get_by_role("table")).to_contain_text("Opened the case page")
        await assert_accessible(tab, "the audit page with a log, in English")
        await tab.get_by_label("From (first day)").fill("2026-03-02")
        await tab.get_by_label("To (last day)").fill("2026-03-01")
        await tab.get_by_role("button", name="Download CSV").click()
        await expect(tab.get_by_role("alert")).to_contain_text("at most a year")
        await assert_accessible(tab, "a refused export, in English")
        await tab.get_by_label("To (last day)").fill("2026-03-02")
        async with tab.expect_download() as downloading:
            await tab.get_by_role("button", name="Download CSV").click()
        download = await downloading.value
        assert download.suggested_filename == "meldbot-audit-2026-03-02-2026-03-02.csv"
