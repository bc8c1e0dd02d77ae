"""The admins' inzage and erasure page: who may use it, CSRF on every step, the zip's
headers and contents, the confirmation step, the audit entries; SQLite and PostgreSQL,
and once in headless Chromium with axe-core."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.async_api import expect

from bot.access.models import Principal, Role
from bot.case.models import NewReport, Reporter
from tests.console.more import Console, MakeClient, MakeServer, Opener, chromium_tab, serve, sign_in
from tests.privacy import tables_holding
from tests.web.axe import assert_accessible

FATIMA = Principal("local:fatima", "Fatima", frozenset({Role.COORDINATOR}))
SANNE = Reporter("slack", "U7SANNE", "Sanne de Vries")
STORY = "Een bezoeker dreigde bij loket Vuurtoren met een paraplu."
PAGE = "/console/privacy"
WHO = {"rol": "reporter", "sleutel": "slack:U7SANNE"}


@pytest.fixture
def open_console(aiohttp_client: MakeClient, database_url: str, tmp_path: Path) -> Opener:
    return Opener(aiohttp_client, database_url, tmp_path)


async def _closed_report(desk: Console) -> None:
    cases = desk.site.runtime.cases
    case = await cases.report(NewReport(STORY), SANNE)
    await cases.close(FATIMA, case.id, "Afgerond.", None)
    await desk.settle()


async def test_an_admin_sees_the_counts_and_downloads_the_inzage(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    await _closed_report(desk)
    status, html = await desk.site.page(PAGE)
    assert status == 200 and "Inzage en verwijderen" in html and "Wat meldbot bewaart" not in html
    token = await desk.token(PAGE)
    shown = await desk.post(PAGE, WHO, token)
    html = await shown.text()
    assert shown.status == 200 and "Wat meldbot bewaart over slack:U7SANNE" in html
    assert "Zaken: 1" in html and "Vuurtoren" not in html, "counts, never content"
    answer = await desk.post(PAGE + "/inzage", WHO, token)
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/zip"
    assert answer.headers["Cache-Control"] == "no-store"
    disposition = answer.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="meldbot-inzage-') and ".zip" in disposition
    archive = zipfile.ZipFile(io.BytesIO(await answer.read()))
    [data_name] = [n for n in archive.namelist() if n.endswith(".json")]
    [text_name] = [n for n in archive.namelist() if n.endswith("-samenvatting.txt")]
    assert json.loads(archive.read(data_name))["cases"][0]["narrative"] == STORY
    assert "Wat meldbot over jou bewaart" in archive.read(text_name).decode("utf-8")
    audited = [(e.actor, e.action, e.detail) for e in await desk.audit()]
    mine = [a for a in audited if a[1].startswith("privacy.")]
    assert [a[:2] for a in mine] == [
        ("console:local:beheerder", "privacy.look"),
        ("console:local:beheerder", "privacy.export"),
    ]
    assert all("U7SANNE" not in (a[2] or "") for a in mine), "the log names no one"


async def test_the_erasure_asks_for_a_tick_first(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    await _closed_report(desk)
    token = await desk.token(PAGE)
    untick = await desk.post(PAGE + "/wissen", WHO, token)
    html = await untick.text()
    assert untick.status == 400 and "Vink het vakje aan" in html and 'aria-invalid="true"' in html
    database = desk.site.runtime.database
    assert await tables_holding(database.engine, database._sealer, ["U7SANNE", "Vuurtoren"])
    done = await desk.post(PAGE + "/wissen", WHO | {"bevestigen": "ja"}, token)
    assert done.status == 200 and "Verwijderd voor slack:U7SANNE" in await done.text()
    left = await tables_holding(database.engine, database._sealer, ["U7SANNE", "Vuurtoren"])
    assert left == {}
    [erased] = [e for e in await desk.audit() if e.action == "privacy.erase"]
    assert erased.actor == "console:local:beheerder" and erased.detail is not None
    assert erased.detail.startswith("reporter: cases 1")


async def test_a_restricted_case_is_not_exported_to_an_admin_who_may_not_read_it(
    open_console: Opener,
) -> None:
    desk = await open_console("beheerder")
    cases = desk.site.runtime.cases
    case = await cases.report(NewReport(STORY), SANNE)
    await cases.restrict(FATIMA, case.id, frozenset({FATIMA.key}))
    token = await desk.token(PAGE)
    answer = await desk.post(PAGE + "/inzage", WHO, token)
    html = await answer.text()
    assert answer.status == 403 and answer.headers["Content-Type"].startswith("text/html")
    assert f"alleen de genoemde coördinatoren mogen lezen ({case.reference})" in html
    assert "Vuurtoren" not in html
    assert not [e for e in await desk.audit() if e.action == "privacy.export"]
    shown = await desk.post(PAGE, WHO, token)
    assert shown.status == 200 and "Zaken: 1" in await shown.text(), "counts tell nothing"


async def test_bad_keys_get_the_form_again_and_csrf_is_required(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    token = await desk.token(PAGE)
    bad = await desk.post(PAGE, {"rol": "reporter", "sleutel": "U7SANNE"}, token)
    html = await bad.text()
    assert bad.status == 400 and "platform:id" in html and 'value="U7SANNE"' in html
    odd = await desk.post(PAGE, {"rol": "burger", "sleutel": "slack:U1"}, token)
    assert odd.status == 400
    for path in (PAGE, PAGE + "/inzage", PAGE + "/wissen"):
        forged = await desk.post(path, WHO | {"bevestigen": "ja"}, None)
        assert forged.status == 403, path
    assert not [e for e in await desk.audit() if e.action.startswith("privacy.")]


async def test_only_admins_reach_the_page(open_console: Opener) -> None:
    desk = await open_console("beheerder")
    await _closed_report(desk)
    for persona in ("fatima", "analist", "sanne"):
        await desk.sign_in(persona)
        status, _html = await desk.site.page(PAGE)
        assert status == 403, persona
        token = await desk.token("/koppelen")
        for path in (PAGE, PAGE + "/inzage", PAGE + "/wissen"):
            answer = await desk.post(path, WHO | {"bevestigen": "ja"}, token)
            assert answer.status == 403, (persona, path)
    assert not [e for e in await desk.audit() if e.action.startswith("privacy.")]
    database = desk.site.runtime.database
    assert await tables_holding(database.engine, database._sealer, ["Vuurtoren"]), "kept"


@pytest.mark.browser
async def test_the_privacy_page_in_chromium_is_accessible(
    aiohttp_server: MakeServer, tmp_path: Path
) -> None:
    served = await serve(aiohttp_server, tmp_path)
    case = await served.runtime.cases.report(NewReport(STORY), SANNE)
    await served.runtime.cases.close(FATIMA, case.id, "Afgerond.", None)
    async with chromium_tab(tmp_path) as tab:
        await sign_in(tab, served, "beheerder", PAGE)
        await assert_accessible(tab, "the privacy page")
        await tab.get_by_label("De sleutel van de persoon").fill("slack:U7SANNE")
        await tab.get_by_role("button", name="Laat zien wat meldbot bewaart").click()
        await expect(tab.get_by_role("heading", level=2).first).to_contain_text("slack:U7SANNE")
        await assert_accessible(tab, "what meldbot holds, and the erasure")
        await tab.get_by_role("button", name="Verwijderen").click()
        await expect(tab.get_by_role("alert")).to_contain_text("Vink het vakje aan")
        await assert_accessible(tab, "an erasure without the tick")
        await tab.get_by_label("Ik heb dit gecontroleerd").check()
        await tab.get_by_role("button", name="Verwijderen").click()
        await expect(tab.get_by_role("status").last).to_contain_text("Verwijderd voor")
        await assert_accessible(tab, "the erasure done")
