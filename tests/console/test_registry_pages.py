"""The registry export for analysts and admins: the page, the CSV of a known set of cases
(exact cells), a tombstone, a restricted case left out, formula injection, roles, headers
and the audit entry — over HTTP on the real application, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import expect
from sqlalchemy import text

from bot.aangifte.models import FiledBy
from bot.access.models import Principal, Role
from bot.case.models import Case, Category, MeasureKind, NewReport, Reporter
from bot.measures.models import Plan, Step
from storage.sealing import Sealer
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

FATIMA = Principal("local:fatima", "Fatima", frozenset({Role.COORDINATOR}))
STAFF = Reporter("web", "staff-1", "Sanne de Vries")
NARRATIVE = "De bezoeker sloeg Sanne met een stoel bij de balie."
HEADER = [
    "maand",
    "categorie",
    "kanaal",
    "afdeling",
    "urgentie",
    "maatregelen",
    "aangifte",
    "aangifte_door",
    "uren_tot_eerste_contact",
    "status",
]
MARCH = "van=2026-03-01&tot=2026-03-31"


@pytest.fixture
def open_console(aiohttp_client: MakeClient, database_url: str, tmp_path: Path) -> Opener:
    return Opener(aiohttp_client, database_url, tmp_path)


async def _cases(desk: Console, persona: str) -> list[Case]:
    """Four March cases (one restricted, one purged to a tombstone) and one in April."""
    runtime, clock = desk.site.runtime, desk.site.clock
    cases = runtime.cases
    violence = await cases.report(
        NewReport(
            NARRATIVE,
            category=Category.PHYSICAL_VIOLENCE,
            department="Burgerzaken",
            danger_now=True,
        ),
        STAFF,
    )
    clock.advance(hours=2, minutes=30)
    await cases.claim(FATIMA, violence.id)
    measure = await runtime.measures.advise(
        FATIMA, violence.id, Plan(MeasureKind.ORDER_TALK, "Teamleider Burgerzaken")
    )
    await runtime.measures.step(FATIMA, violence.id, measure.id, Step.AGREED)
    assert runtime.aangifte is not None
    await runtime.aangifte.record(
        FATIMA, violence.id, date(2026, 3, 2), FiledBy.EMPLOYER, "PV-2026-998877"
    )
    formula = await cases.report(
        NewReport("Iemand belde dreigend.", category=Category.THREAT, department="=1+1"), STAFF
    )
    hidden = await cases.report(
        NewReport("Een collega intimideert.", category=Category.INTIMIDATION), STAFF
    )
    await cases.restrict(FATIMA, hidden.id, frozenset({FATIMA.key}))
    purged = await cases.report(
        NewReport("Schelden aan de telefoon.", category=Category.VERBAL_AGGRESSION), STAFF
    )
    await cases.close(FATIMA, purged.id, "Besproken met Sanne.", None)
    # What retention leaves of a purged case: the row with its narrative and names
    # blanked, its events gone (another lane purges; the export must not need them).
    await desk.settle()
    blank = Sealer(runtime.settings.seal_key or "").seal("")
    async with runtime.database.engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE cases SET narrative_sealed = :blank, location_sealed = NULL, "
                "reporter_name_sealed = NULL WHERE id = :id"
            ),
            {"id": purged.id, "blank": blank},
        )
        await connection.execute(
            text("DELETE FROM case_events WHERE case_id = :id"), {"id": purged.id}
        )
    clock.advance(days=31)
    later = await cases.report(NewReport("April.", category=Category.OTHER), STAFF)
    await desk.settle()
    await desk.sign_in(persona)  # a month on: the session has ended
    return [violence, formula, hidden, purged, later]


def _parsed(body: bytes) -> list[list[str]]:
    assert body.startswith("\ufeff".encode()), "a byte order mark, for Excel"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


async def test_the_file_has_one_row_per_case_and_nothing_that_tells(open_console: Opener) -> None:
    desk = await open_console("analist")
    cases = await _cases(desk, "analist")
    response = await desk.site.client.get(f"/console/registratie/export?{MARCH}")
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="meldbot-registratie-2026-03-01-2026-03-31.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    body = await response.read()
    assert _parsed(body) == [
        HEADER,
        [
            "2026-03",
            "physical_violence",
            "web",
            "Burgerzaken",
            "spoed",
            "order_talk",
            "ja",
            "werkgever",
            "2,5",
            "in_behandeling",
        ],
        ["2026-03", "threat", "web", "'=1+1", "normaal", "", "nee", "", "", "nieuw"],
        ["2026-03", "verbal_aggression", "web", "", "normaal", "", "nee", "", "", "afgesloten"],
    ], "the restricted case is left out; the tombstone is there"
    decoded = body.decode("utf-8-sig")
    for secret in ("stoel", "Sanne", "PV-2026", "Teamleider", cases[0].reference, "intimideert"):
        assert secret not in decoded
    [entry] = [e for e in await desk.audit() if e.action == "registry.export"]
    assert (entry.actor, entry.actor_name) == ("console:local:analist", "Analist")
    assert entry.detail == "2026-03-01..2026-03-31: 3 rows, 1 restricted left out"


async def test_the_page_says_how_many_cases_and_how_many_are_left_out(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    await _cases(desk, "beheerder")
    status, html = await desk.site.page("/console/registratie")
    assert status == 200 and 'action="/console/registratie"' in html
    assert "Export voor de registratie" in html and "<table" not in html
    status, html = await desk.site.page(f"/console/registratie?{MARCH}")
    assert status == 200
    assert "Zaken in het bestand: 3." in html
    assert "Afgeschermde zaken die er niet in staan: &lt;5." in html
    assert 'action="/console/registratie/export"' in html
    assert not [e for e in await desk.audit() if e.action == "registry.export"], "only the file"


async def test_only_analysts_and_admins_export(open_console: Opener) -> None:
    desk = await open_console()
    for persona in ("fatima", "sanne"):
        await desk.sign_in(persona)
        for path in ("/console/registratie", f"/console/registratie/export?{MARCH}"):
            status, html = await desk.site.page(path)
            assert status == 403 and "Hier heb je geen toegang toe" in html, (persona, path)
        assert not [e for e in await desk.audit() if e.action == "registry.export"]


async def test_bad_periods_get_the_form_again_with_a_reason(open_console: Opener) -> None:
    desk = await open_console("analist")
    for query, reason in (
        ("van=2026-03-01", "Vul beide datums in"),
        ("van=2026-02-30&tot=2026-03-01", "Vul beide datums in"),
        ("van=2026-03-02&tot=2026-03-01", "hoogstens een jaar"),
        ("van=2025-01-01&tot=2026-03-01", "hoogstens een jaar"),
    ):
        for path in ("/console/registratie", "/console/registratie/export"):
            status, html = await desk.site.page(f"{path}?{query}")
            assert status == 400 and reason in html, (path, query)
            assert 'aria-invalid="true"' in html
    assert not [e for e in await desk.audit() if e.action == "registry.export"]


@pytest.mark.browser
async def test_the_registry_page_in_chromium_is_accessible_in_dutch_and_english(
    aiohttp_server: MakeServer, tmp_path: Path
) -> None:
    served = await serve(aiohttp_server, tmp_path)
    await served.runtime.cases.report(NewReport(NARRATIVE, category=Category.THREAT), STAFF)
    async with chromium_tab(tmp_path) as tab:
        await sign_in(tab, served, "analist", "/console/registratie")
        await assert_accessible(tab, "the registry page")
        await tab.get_by_label("Van (eerste dag)").fill("2026-03-01")
        await tab.get_by_label("Tot en met (laatste dag)").fill("2026-03-31")
        await tab.get_by_role("button", name="Tonen").click()
        await expect(tab.get_by_role("status")).to_contain_text("Zaken in het bestand: 1.")
        await assert_accessible(tab, "the registry page with a period")
        async with tab.expect_download() as downloading:
            await tab.get_by_role("button", name="CSV downloaden").click()
        download = await downloading.value
        assert download.suggested_filename == "meldbot-registratie-2026-03-01-2026-03-31.csv"
        await in_english(tab)
        await tab.get_by_label("To (last day)").fill("2026-02-01")
        await tab.get_by_role("button", name="Show").click()
        await expect(tab.get_by_role("alert")).to_contain_text("at most a year")
        await assert_accessible(tab, "a refused period, in English")
