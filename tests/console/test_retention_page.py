"""Bewaren en vernietigen in the console: the cases coming due, the once-only extension
(CSRF, roles, refusals in plain sentences, 403/404), the destruction list as CSV for
admins — over HTTP on the real application, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.case.models import Case, Category, NewReport, Reporter
from bot.events import Actor
from tests.console.more import Console, MakeClient, Opener
from tests.core.retention import years_later

PAGE = "/console/bewaren"
FATIMA = Actor("web", "fatima", "Fatima")
COORD = Actor("web", "coord-1", "Coördinator")  # a coordinator in the faked chat
REASON = "Het bezwaar van de klant loopt nog."


@pytest.fixture
def open_console(aiohttp_client: MakeClient, database_url: str, tmp_path: Path) -> Opener:
    return Opener(aiohttp_client, database_url, tmp_path)


async def _closed(desk: Console, narrative: str = "Een klant gooide een stoel om.") -> Case:
    cases = desk.site.runtime.cases
    case = await cases.report(
        NewReport(narrative, category=Category.THREAT), Reporter("web", "sanne", "Sanne")
    )
    await desk.settle()
    closed = await cases.close(COORD, case.id, "Afgehandeld.", None)
    await desk.settle()
    return closed


async def _near_due(desk: Console, case: Case, persona: str = "fatima") -> None:
    """Ten days before it is due; signed in again (a session does not last two years)."""
    assert case.closed_at is not None
    desk.site.clock.now = years_later(case.closed_at, 2) - timedelta(days=10)
    await desk.sign_in(persona)


async def test_a_coordinator_sees_the_case_coming_due_and_extends_it_once(
    open_console: Opener,
) -> None:
    desk = await open_console()
    case = await _closed(desk)
    await _near_due(desk, case)
    status, html = await desk.site.page(PAGE)
    assert status == 200 and case.reference in html and "Bewaren en vernietigen" in html
    assert "Een klant gooide" not in html and "Sanne" not in html
    action = f"{PAGE}/{case.reference}/verlengen"
    assert f'action="{action}"' in html
    assert "Vernietigingslijst" not in html  # the list is for admins

    blank = await desk.post(action, {"reason": "  "}, await desk.token(PAGE))
    assert blank.status == 400 and "Schrijf op waarom" in await blank.text()
    forged = await desk.post(action, {"reason": REASON}, None)
    assert forged.status == 403
    done = await desk.post(action, {"reason": REASON}, await desk.token(PAGE))
    assert done.status == 303 and done.headers["Location"] == f"{PAGE}?gedaan=bewaren-verlengd"
    status, html = await desk.site.page(done.headers["Location"])
    assert status == 200 and "De zaak wordt langer bewaard." in html
    assert case.reference not in html  # due a year later: not in the next 30 days
    assert case.closed_at is not None
    desk.site.clock.now = years_later(case.closed_at, 3) - timedelta(days=10)
    await desk.sign_in("fatima")
    status, html = await desk.site.page(PAGE)
    assert status == 200 and case.reference in html and "Al een keer verlengd." in html
    assert f'action="{action}"' not in html
    twice = await desk.post(action, {"reason": "Nog eens."}, await desk.token(PAGE))
    assert twice.status == 400 and "niet nog een keer" in await twice.text()
    extended = [e for e in await desk.audit() if e.action == "retention.extend"]
    assert [(e.actor, e.reference) for e in extended] == [("console:local:fatima", case.reference)]
    assert REASON not in str(extended)


async def test_an_unknown_restricted_or_open_case_is_refused(open_console: Opener) -> None:
    desk = await open_console()
    secret = await _closed(desk, "Een collega neemt geld aan.")
    cases = desk.site.runtime.cases
    await cases.reopen(FATIMA, secret.id)
    await cases.restrict(FATIMA, secret.id, frozenset({"web:coord-1"}))
    secret = await cases.close(COORD, secret.id, "Ok.", None)
    still_open = await desk.site.runtime.cases.report(
        NewReport("Een klant schold.", category=Category.THREAT), Reporter("web", "sanne", "S")
    )
    await _near_due(desk, secret)
    status, html = await desk.site.page(PAGE)
    assert status == 200 and secret.reference not in html
    token = await desk.token(PAGE)
    for reference, status in (
        (secret.reference, 404),
        ("M-2099-0001", 404),
        (still_open.reference, 400),
    ):
        sent = await desk.post(f"{PAGE}/{reference}/verlengen", {"reason": REASON}, token)
        assert sent.status == status, reference
    bad = await desk.post(f"{PAGE}/zomaar/verlengen", {"reason": REASON}, token)
    assert bad.status == 404


@pytest.mark.parametrize("persona", ["sanne", "analist"])
async def test_staff_and_analysts_get_403(open_console: Opener, persona: str) -> None:
    desk = await open_console(persona)
    status, _html = await desk.site.page(PAGE)
    assert status == 403


async def test_an_admin_downloads_the_destruction_list_and_it_is_audited(
    open_console: Opener,
) -> None:
    desk = await open_console("beheerder")
    case = await _closed(desk)
    assert case.closed_at is not None
    desk.site.clock.now = years_later(case.closed_at, 2)
    await desk.sign_in("beheerder")
    retention = desk.site.runtime.retention
    assert retention is not None
    assert [one.reference for one in (await retention.run()).purged] == [case.reference]
    status, html = await desk.site.page(PAGE)
    assert status == 200 and "Vernietigingslijst" in html
    day = desk.site.clock().date().isoformat()
    response = await desk.site.client.get(f"{PAGE}/vernietigd?van={day}&tot={day}")
    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    header, row = (await response.text()).splitlines()
    assert header.startswith("reference,category,month,outcome,rule")
    assert row.startswith(f"{case.reference},threat,")
    bad = await desk.site.client.get(f"{PAGE}/vernietigd?van={day}&tot=gisteren")
    assert bad.status == 400
    backwards = await desk.site.client.get(f"{PAGE}/vernietigd?van={day}&tot=2000-01-01")
    assert backwards.status == 400
    actions = [e.action for e in await desk.audit()]
    assert actions.count("retention.destroyed") == 1


async def test_a_coordinator_may_not_download_the_destruction_list(open_console: Opener) -> None:
    desk = await open_console()
    response = await desk.site.client.get(f"{PAGE}/vernietigd?van=2026-01-01&tot=2026-01-31")
    assert response.status == 403


async def test_a_purged_case_is_listed_nowhere_and_its_page_says_it_was_destroyed(
    open_console: Opener,
) -> None:
    desk = await open_console()
    case = await _closed(desk)
    assert case.closed_at is not None
    desk.site.clock.now = years_later(case.closed_at, 2) + timedelta(days=1)
    assert desk.site.runtime.retention is not None
    await desk.site.runtime.retention.run()
    await desk.sign_in("fatima")

    status, html = await desk.site.page("/console/?weergave=all")
    assert status == 200 and case.reference not in html
    status, html = await desk.site.page(f"/console/zaken/{case.reference}")
    assert status == 404 and "Deze zaak is vernietigd" in html
