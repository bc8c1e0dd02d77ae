"""The case page's content and refusals over HTTP: integrity reports restricted by default,
legal clocks, files as downloads, the vertrouwenspersoon's own case, a form kept over an
expired session, the list's filters and order — SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import text

from bot.case.models import Addressee, Category, NewReport, Reporter
from bot.confidant.config import Confidant, ConfidantPlace
from bot.events import IncomingFile
from tests import files
from tests.console.conftest import Console, console_with
from tests.site.conftest import MakeSite

HACKER = Reporter("slack", "U-HACK", '<img src=x onerror="alert(1)">Kees')


async def test_an_integrity_report_is_for_the_integrity_coordinators_only(
    make_site: MakeSite,
) -> None:
    console = await console_with(make_site, integrity_coordinators=["console:local:coordinator"])
    case = await console.report("Een collega neemt geld aan.", category=Category.INTEGRITY)
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    status, html = await console.get(page)
    assert status == 404 and "geld" not in html
    _status, html = await console.get("/console/?weergave=all")
    assert case.reference not in html
    await console.sign_in("coordinator")
    status, html = await console.get(page)
    assert status == 200 and "Een collega neemt geld aan." in html
    assert "Afgeschermd" in html
    for duty in (
        "Eerste contact met de melder",
        "Ontvangst bevestigen aan de melder",
        "Melder laten weten wat er gebeurt",
    ):
        assert duty in html, duty


async def test_a_file_downloads_as_its_checked_type_and_is_audited(console: Console) -> None:
    attachments = console.cases.attachments
    assert attachments is not None
    [held] = await attachments.hold(
        [IncomingFile("<schade>.pdf", "image/png", len(files.PDF), files.PDF, None)]
    )
    assert held.id is not None
    case = await console.report("Zie de bijlage.", attachments=(held.id,))
    await console.sign_in("fatima")
    _status, html = await console.get(f"/console/zaken/{case.reference}")
    link = f"/console/zaken/{case.reference}/bijlagen/{held.id}"
    assert f'href="{link}"' in html and "&lt;schade&gt;.pdf" in html
    response = await console.site.client.get(link)
    assert response.status == 200 and await response.read() == files.PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert (await console.site.client.get(link + "0")).status == 404
    assert (
        await console.site.client.get(f"/console/zaken/{case.reference}/bijlagen/x")
    ).status == 404
    async with console.site.runtime.database.engine.connect() as connection:
        actions = (await connection.scalars(text("SELECT action FROM audit_log ORDER BY id"))).all()
    assert "download" in actions


async def test_the_vertrouwenspersoon_works_their_own_case(make_site: MakeSite) -> None:
    confidant = Confidant(
        name="Els Bakker",
        slack=ConfidantPlace(channel="C-VP", people=["U-ELS"]),
        web=ConfidantPlace(people=["sanne"]),
    )
    console = await console_with(make_site, confidant=confidant)
    case = await console.report(
        "Ik durf dit niet aan mijn team te vertellen.", addressee=Addressee.CONFIDANT
    )
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("sanne")
    status, html = await console.get(page)
    assert status == 200 and "Voor de vertrouwenspersoon" in html
    assert f'action="{page}/doorgeven"' in html and f'action="{page}/afschermen"' not in html
    asked = await console.post(f"{page}/doorgeven")
    assert asked.status == 303
    _status, html = await console.get(f"{page}?gedaan=doorgeven")
    assert "We vragen de melder of het meldpunt deze melding mag krijgen." in html
    await console.sign_in("fatima")
    status, html = await console.get(page)
    assert status == 403 and "durf" not in html


async def test_a_note_typed_when_the_session_ran_out_is_there_after_signing_in(
    console: Console,
) -> None:
    case = await console.report()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    token = await console.site.token(page, f'action="{page}/notitie"')
    console.site.clock.advance(minutes=45)
    parked = await console.post(
        f"{page}/notitie", {"notitie": "Bijna kwijt <geraakt>"}, token=token
    )
    assert parked.status == 303 and parked.headers["Location"].startswith("/signin")
    await console.site.sign_in_locally("fatima", back=page)
    status, html = await console.get(page)
    assert status == 200 and "Bijna kwijt &lt;geraakt&gt;</textarea>" in html
    assert html.count("Bijna kwijt") == 1, "kept in the form, not sent"


async def test_the_list_filters_by_department_platform_and_orders_by_urgency(
    make_site: MakeSite,
) -> None:
    console = await console_with(make_site, departments=["Burgerzaken", "Sociaal domein"])
    desk = await console.report("Geschreeuw aan de balie.", department="Burgerzaken")
    home = await console.report("Dreiging bij een huisbezoek.", department="Sociaal domein")
    knife = await console.report("Iemand met een mes.", danger_now=True)
    await console.sign_in("fatima")
    _status, html = await console.get("/console/?afdeling=Burgerzaken")
    assert desk.reference in html and home.reference not in html and knife.reference not in html
    status, _html = await console.get("/console/?afdeling=Onbekend")
    assert status == 400
    _status, html = await console.get("/console/?platform=slack")
    assert all(case.reference in html for case in (desk, home, knife))
    _status, html = await console.get("/console/?platform=teams")
    assert "Hier staan geen zaken." in html
    status, _html = await console.get("/console/?platform=fax")
    assert status == 400
    _status, html = await console.get("/console/?volgorde=most_urgent")
    assert html.index(knife.reference) < html.index(desk.reference) < html.index(home.reference)
    _status, html = await console.get("/console/?volgorde=newest")
    assert html.index(knife.reference) < html.index(home.reference) < html.index(desk.reference)


async def test_a_name_full_of_markup_shows_literally_and_case_pages_are_not_kept(
    console: Console,
) -> None:
    case = await console.cases.report(NewReport("Hij <em>schold</em> en sloeg."), HACKER)
    await console.settle()
    await console.sign_in("fatima")
    response = await console.site.client.get(f"/console/zaken/{case.reference}")
    html = await response.text()
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;Kees" in html
    assert "Hij &lt;em&gt;schold&lt;/em&gt; en sloeg." in html
    assert "<img" not in html and "<em>" not in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    _status, listed = await console.get("/console/")
    assert "Hij &lt;em&gt;schold&lt;/em&gt; en sloeg." in listed and "<em>" not in listed
    missing = await console.post(
        f"/console/zaken/{case.reference}/verzinsel", token=await console.site.token("/koppelen")
    )
    assert missing.status == 404


async def test_an_anonymous_reporter_shows_by_their_pseudonym_and_can_be_asked(
    console: Console,
) -> None:
    consultations = console.site.runtime.consultations
    case, issued = await consultations.report(
        NewReport("Iemand volgde me naar de fietsenstalling."), platform="slack", contact=None
    )
    await console.settle()
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    _status, html = await console.get(page)
    assert f"Anonieme collega · {issued.pseudonym}" in html
    assert "Sanne" not in html and "U-SANNE" not in html
    asked = await console.post(f"{page}/vragen", {"vraag": "Hoe laat was dat?"})
    assert asked.status == 303
    assert case.receipt is not None
    followed = await consultations.follow(case.receipt.id)
    asked_texts = [event.text for event in followed.case_events]
    assert "Hoe laat was dat?" in asked_texts, "the reporter reads it with their code"
