"""The case page's "Brief opstellen" form over HTTP and in Chromium: the narrative prefilled
to cut down, the .docx download (attachment, no-store, audited), a refusal that keeps what
was typed, the role and CSRF checks, and axe-core with no violation in Dutch and English —
also with the "Naar de leidinggevende sturen" button and after sending."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from docx import Document
from playwright.async_api import Page, expect

from bot.app import RUNTIME, create_app
from bot.case.models import Category, NewReport
from bot.letters.config import LetterSettings
from tests.console.conftest import STAFF, Console, console_with
from tests.console.test_browser import MakeServer
from tests.core.conftest import Clock, make_settings
from tests.core.console import BEA
from tests.fakes.messenger import FakeMessenger
from tests.site.conftest import MakeSite, free_port
from tests.web.axe import assert_accessible

NORM = "Wij behandelen elkaar met respect."
LETTERS = LetterSettings(
    address="Markt 1\n1234 AB Voorbeeld",
    house_rules=NORM,
    objection="Schrijf ons binnen zes weken.",
)
STORY = "De klant riep: <ik kom terug> & sloeg op de balie. Daarna liep hij weg."
EXCERPT = "De klant riep: <ik kom terug> & sloeg op de balie."
BAN = {
    "soort": "building_ban",
    "uitvoerder": "Leidinggevende",
    "vanaf": "2026-03-05",
    "tot": "2026-09-05",
}


def _letter_actions(html: str) -> list[str]:
    return re.findall(r'action="(/console/zaken/[^"]+/brieven/\d+)"', html)


async def _with_ban(console: Console, narrative: str = STORY, **fields: object) -> tuple[str, str]:
    """A case with a building ban advised by Fatima: the case page and the letter's form."""
    case = await console.report(narrative, **fields)
    page = f"/console/zaken/{case.reference}"
    await console.sign_in("fatima")
    assert (await console.post(f"{page}/maatregel", BAN)).status == 303
    _status, html = await console.get(page)
    [action] = _letter_actions(html)
    return page, action


@pytest.fixture
async def lettered(make_site: MakeSite) -> Console:
    return await console_with(make_site, organisation="Gemeente Voorbeeld", letters=LETTERS)


async def test_the_letter_form_is_prefilled_and_answers_with_the_docx(lettered: Console) -> None:
    page, action = await _with_ban(lettered)
    _status, html = await lettered.get(page)
    assert "Brief opstellen: Brief pandverbod" in html
    escaped = "De klant riep: &lt;ik kom terug&gt; &amp; sloeg op de balie. Daarna liep hij weg."
    assert f"{escaped}</textarea>" in html
    assert 'name="datum_voorval" value="2026-03-02"' in html, "reported just now: today"
    token = await lettered.site.token(page, f'action="{action}"')
    answer = await lettered.post(
        action, {"voorval": EXCERPT, "datum_voorval": "2026-03-01"}, token=token
    )
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert answer.headers["Cache-Control"] == "no-store"
    reference = page.rsplit("/", 1)[1]
    assert answer.headers["Content-Disposition"].startswith(
        f'attachment; filename="pandverbod-{reference}.docx"'
    )
    document = Document(io.BytesIO(await answer.read()))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert EXCERPT in body and "Daarna liep hij weg" not in body
    assert NORM in body and "tot en met 5 september 2026" in body and "1 maart 2026" in body
    entries = await lettered.site.runtime.audit.of_case(BEA, reference)
    [entry] = [e for e in entries if e.action == "letter.download"]
    assert entry.detail == "pandverbod" and entry.actor_name == "Fatima"


async def test_a_refusal_comes_back_at_the_letter_form_with_what_was_typed(
    make_site: MakeSite,
) -> None:
    console = await console_with(make_site, letters=LETTERS.model_copy(update={"address": ""}))
    page, action = await _with_ban(console)
    token = await console.site.token(page, f'action="{action}"')
    typed = {"voorval": "Alleen <dit> stuk.", "datum_voorval": "2026-02-27"}
    refused = await console.post(action, typed, token=token)
    html = await refused.text()
    assert refused.status == 400 and refused.content_type == "text/html"
    assert "Het adres van de organisatie ontbreekt." in html and 'id="fout-brief"' in html
    assert 'href="#fout-brief"' in html and '<details class="meldbot-details" open>' in html
    assert "Alleen &lt;dit&gt; stuk.</textarea>" in html and 'value="2026-02-27"' in html
    refused = await console.post(action, typed | {"datum_voorval": "gisteren"}, token=token)
    assert refused.status == 400 and "jaar-maand-dag" in await refused.text()
    entries = await console.site.runtime.audit.of_case(BEA, page.rsplit("/", 1)[1])
    assert not [e for e in entries if e.action == "letter.download"]


async def test_the_invitation_asks_when_and_where(lettered: Console) -> None:
    case = await lettered.report(STORY)
    page = f"/console/zaken/{case.reference}"
    await lettered.sign_in("fatima")
    talk = {"soort": "office_talk", "uitvoerder": "Leidinggevende"}
    assert (await lettered.post(f"{page}/maatregel", talk)).status == 303
    _status, html = await lettered.get(page)
    [action] = _letter_actions(html)
    assert 'type="time"' in html and "Plaats van het gesprek" in html
    token = await lettered.site.token(page, f'action="{action}"')
    typed = {"voorval": EXCERPT, "gesprek_datum": "2026-03-10", "gesprek_tijd": "half drie"}
    refused = await lettered.post(action, typed | {"gesprek_plaats": "Stadskantoor"}, token=token)
    assert refused.status == 400 and "14:30" in await refused.text()
    fine = typed | {"gesprek_tijd": "14:30", "gesprek_plaats": "Stadskantoor"}
    answer = await lettered.post(action, fine, token=token)
    document = Document(io.BytesIO(await answer.read()))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Tijd: 14:30 uur" in body and "Plaats: Stadskantoor" in body


async def test_a_measure_without_a_letter_gets_no_form(lettered: Console) -> None:
    case = await lettered.report(STORY)
    page = f"/console/zaken/{case.reference}"
    await lettered.sign_in("fatima")
    talk = {"soort": "order_talk", "uitvoerder": "Leidinggevende"}
    assert (await lettered.post(f"{page}/maatregel", talk)).status == 303
    _status, html = await lettered.get(page)
    assert _letter_actions(html) == [] and "Brief opstellen" not in html


async def test_an_analyst_is_refused_and_a_restricted_case_is_not_found(
    make_site: MakeSite,
) -> None:
    console = await console_with(
        make_site, letters=LETTERS, integrity_coordinators=["console:local:coordinator"]
    )
    page, action = await _with_ban(console)
    await console.sign_in("analist")
    token = await console.site.token("/console/cijfers")
    analyst = await console.post(action, {"voorval": EXCERPT}, token=token)
    assert analyst.status == 403 and "woont" not in await analyst.text()
    restricted = await console.report("Een collega neemt geld aan.", category=Category.INTEGRITY)
    restricted_page = f"/console/zaken/{restricted.reference}"
    await console.sign_in("coordinator")
    assert (await console.post(f"{restricted_page}/maatregel", BAN)).status == 303
    _status, html = await console.get(restricted_page)
    [restricted_action] = _letter_actions(html)
    await console.sign_in("fatima")
    token = await console.site.token(page)
    hidden = await console.post(restricted_action, {"voorval": "geld"}, token=token)
    assert hidden.status == 404 and "geld" not in await hidden.text()


async def test_a_letter_without_the_sessions_token_is_refused(lettered: Console) -> None:
    page, action = await _with_ban(lettered)
    forged = await lettered.post(
        action, {"voorval": EXCERPT, "datum_voorval": "2026-03-01"}, token="x"
    )
    assert forged.status == 403 and "attachment" not in forged.headers.get(
        "Content-Disposition", ""
    )
    reference = page.rsplit("/", 1)[1]
    entries = await lettered.site.runtime.audit.of_case(BEA, reference)
    assert not [e for e in entries if e.action == "letter.download"]


async def test_a_closed_case_offers_no_letter(lettered: Console) -> None:
    page, action = await _with_ban(lettered)
    token = await lettered.site.token(page, f'action="{action}"')
    closed = await lettered.post(f"{page}/sluiten", {"samenvatting": "Klaar."})
    assert closed.status == 303
    _status, html = await lettered.get(page)
    assert _letter_actions(html) == []
    late = await lettered.post(
        action, {"voorval": EXCERPT, "datum_voorval": "2026-03-01"}, token=token
    )
    assert late.status == 400 and "Heropen de zaak" in await late.text()


@pytest.mark.browser
async def test_the_letter_form_works_without_javascript_and_is_accessible(
    page: Page, tmp_path: Path, aiohttp_server: MakeServer
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = make_settings(
        f"sqlite+aiosqlite:///{tmp_path / 'letters.db'}",
        tmp_path,
        public_url=url,
        web_coordinators=["fatima"],
        letters=LETTERS,
    )
    app = await create_app(settings, clock=Clock())
    runtime = app[RUNTIME]
    runtime.messengers["slack"] = FakeMessenger("slack", coordinators={"U-JAN"})
    case = await runtime.cases.report(NewReport(STORY, manager_consent=True), STAFF)
    await runtime.outbox.settle()
    await aiohttp_server(app, port=port)
    await page.goto(url + "/console/zaken/" + case.reference)
    await page.get_by_role("button", name="Inloggen als Fatima").click()
    await page.wait_for_url(url + "/console/zaken/" + case.reference)
    advise = page.locator("form", has=page.get_by_role("button", name="Maatregel adviseren"))
    await advise.get_by_label("Maatregel", exact=True).select_option(label="Waarschuwingsbrief")
    await advise.get_by_role("button", name="Maatregel adviseren").click()
    await expect(page.get_by_text("De maatregel is opgeslagen.")).to_be_visible()
    await page.locator("#leidinggevende-waar").select_option("email")
    await page.locator("#leidinggevende-id").fill("max@example.org")
    await page.locator("#leidinggevende-delen").fill("Zie de brief.")
    await page.get_by_role("button", name="Leidinggevende uitnodigen").click()
    await expect(page.get_by_text("De leidinggevende is uitgenodigd.")).to_be_visible()
    await page.get_by_text("Brief opstellen: Waarschuwingsbrief").click()
    letter = page.locator("form", has=page.get_by_role("button", name="Download de brief"))
    await expect(letter.get_by_label("Wat er gebeurde, zo letterlijk mogelijk")).to_have_value(
        STORY
    )
    await assert_accessible(page, "a case page with the letter form")
    await letter.get_by_label("Datum van het voorval").fill("")
    await letter.get_by_role("button", name="Download de brief").click()
    await expect(page.locator("#fout-brief")).to_contain_text("datum van het voorval")
    await assert_accessible(page, "a refused letter")
    letter = page.locator("form", has=page.get_by_role("button", name="Download de brief"))
    await letter.get_by_label("Wat er gebeurde, zo letterlijk mogelijk").fill(EXCERPT)
    await letter.get_by_label("Datum van het voorval").fill("2026-03-01")
    async with page.expect_download() as downloading:
        await letter.get_by_role("button", name="Download de brief").click()
    download = await downloading.value
    assert download.suggested_filename == f"waarschuwingsbrief-{case.reference}.docx"
    saved = tmp_path / download.suggested_filename
    await download.save_as(saved)
    body = "\n".join(paragraph.text for paragraph in Document(str(saved)).paragraphs)
    assert EXCERPT in body and NORM in body
    await letter.get_by_role("button", name="Naar de leidinggevende sturen").click()
    await expect(page.get_by_text("De brief is onderweg naar de leidinggevende.")).to_be_visible()
    await assert_accessible(page, "a case page after the letter was sent to the manager")
    await page.get_by_role("link", name="English").click()
    await page.get_by_text("Draft the letter: Warning letter").click()
    await expect(page.get_by_role("button", name="Download the letter")).to_be_visible()
    await expect(page.get_by_role("button", name="Send to the manager")).to_be_visible()
    await assert_accessible(page, "a case page with the letter form in English")
