"""The consultation page: one anonymous consultation, its entries, answering and closing
it — over HTTP on the real application, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import expect

from bot.events import MessageRef
from bot.text import MESSAGE_MAX
from tests.console.more import (
    NOT_COORDINATORS,
    Console,
    MakeClient,
    MakeServer,
    Opener,
    chromium_tab,
    in_english,
    serve,
    sign_in,
)
from tests.fakes.messenger import Sent
from tests.text import text_of
from tests.waiting import until
from tests.web.axe import assert_accessible

QUESTION = 'Een klant zegt <script>alert("x")</script> dat hij <b>weet</b> waar ik woon.\nWat nu?'


@pytest.fixture
def open_console(aiohttp_client: MakeClient, database_url: str, tmp_path: Path) -> Opener:
    return Opener(aiohttp_client, database_url, tmp_path)


async def test_a_coordinator_reads_a_consultation_literally_and_the_read_is_audited(
    open_console: Opener,
) -> None:
    desk = await open_console()
    consultation_id = await desk.consultation(QUESTION)
    status, html = await desk.site.page(f"/console/overleg/{consultation_id}")
    assert status == 200
    assert re.search(r"Overleg · Anonieme collega · [A-Z0-9]{4}", html)
    assert "<script>alert" not in html and "<b>weet</b>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; dat hij &lt;b&gt;weet&lt;/b&gt;" in html
    assert "waar ik woon.<br>Wat nu?" in html, "line breaks kept, as written"
    assert "De collega schreef:" in html and "Open" in html
    reads = [e for e in await desk.audit() if e.action == "consultation.read"]
    assert [(e.actor, e.actor_name, e.consultation_id) for e in reads] == [
        ("console:local:fatima", "Fatima", consultation_id)
    ]
    assert reads[0].detail is None and reads[0].reference is None


async def test_an_answer_lands_in_the_consultation_and_reaches_the_colleague(
    open_console: Opener,
) -> None:
    desk = await open_console(chat="slack")
    consultation_id = await desk.consultation(QUESTION)
    page = f"/console/overleg/{consultation_id}"
    token = await desk.token(page)
    answer = "Meld het gerust.\nBel me als je wilt: <i>toestel 12</i>."
    sent = await desk.post(f"{page}/antwoord", {"text": answer}, token)
    assert sent.status == 303 and sent.headers["Location"] == f"{page}?gedaan=beantwoord"
    status, html = await desk.site.page(sent.headers["Location"])
    assert status == 200 and "Je antwoord is bewaard" in html
    assert "Fatima antwoordde:" in html
    assert "Meld het gerust.<br>Bel me als je wilt: &lt;i&gt;toestel 12&lt;/i&gt;." in html
    await desk.settle()
    [notice] = await until(lambda: desk.platform.dms("sanne"), "the notice to the colleague")
    assert "Er is nieuws over wat je anoniem hebt gevraagd" in text_of(notice.message)
    assert answer not in text_of(notice.message), "the answer itself is read with the code"
    [root] = desk.platform.roots()
    answered = "Fatima antwoordde — lees het in meldbot."
    last = await until(lambda: _last_saying(desk, root.ref, answered), "the thread note")
    note = text_of(last.message)
    assert "Fatima antwoordde — lees het in meldbot." in note, "minimal channel content"
    assert "toestel 12" not in note and page in str(last.message)
    actions = [e.action for e in await desk.audit() if e.consultation_id == consultation_id]
    assert actions == ["consultation.read", "consultation.answer", "consultation.read"]


async def test_closing_ends_the_consultation_and_its_forms(open_console: Opener) -> None:
    desk = await open_console()
    consultation_id = await desk.consultation(QUESTION)
    page = f"/console/overleg/{consultation_id}"
    closed = await desk.post(f"{page}/sluiten", {}, await desk.token(page))
    assert closed.status == 303 and closed.headers["Location"] == f"{page}?gedaan=gesloten"
    status, html = await desk.site.page(closed.headers["Location"])
    assert status == 200 and "Het overleg is gesloten." in html
    assert "Fatima heeft dit overleg gesloten." in html
    assert "/antwoord" not in html and "/sluiten" not in html
    again = await desk.post(f"{page}/antwoord", {"text": "Toch nog"}, await desk.token(page))
    assert again.status == 400, "a closed consultation takes no answer"
    await desk.settle()
    await until(
        lambda: any("Status: Afgesloten" in text_of(m) for _ref, m in desk.platform.updates),
        "the card",
    )


async def test_an_empty_or_too_long_answer_comes_back_with_what_was_typed(
    open_console: Opener,
) -> None:
    desk = await open_console()
    consultation_id = await desk.consultation(QUESTION)
    page = f"/console/overleg/{consultation_id}"
    blank = await desk.post(f"{page}/antwoord", {"text": " \u200b "}, await desk.token(page))
    assert blank.status == 400 and "Typ je antwoord." in await blank.text()
    long = "<u>lang</u> " * (MESSAGE_MAX // 10 + 1)
    refused = await desk.post(f"{page}/antwoord", {"text": long}, await desk.token(page))
    html = await refused.text()
    assert refused.status == 400 and "Houd het onder de 3000 tekens." in html
    assert "&lt;u&gt;lang&lt;/u&gt; &lt;u&gt;lang" in html, "nothing typed is lost"
    assert 'aria-invalid="true"' in html
    kinds = [e.action for e in await desk.audit() if e.action == "consultation.answer"]
    assert kinds == [], "nothing was saved"


async def test_a_post_without_the_form_token_is_refused(open_console: Opener) -> None:
    desk = await open_console()
    consultation_id = await desk.consultation(QUESTION)
    page = f"/console/overleg/{consultation_id}"
    for action, data in (("antwoord", {"text": "Hallo"}), ("sluiten", {})):
        for token in (None, "vals"):
            refused = await desk.post(f"{page}/{action}", data, token)
            assert refused.status == 403, (action, token)
    status, html = await desk.site.page(page)
    assert status == 200 and "Hallo" not in html and "/sluiten" in html
    actions = {e.action for e in await desk.audit() if e.consultation_id == consultation_id}
    assert actions == {"consultation.read"}


async def test_an_answer_typed_while_the_session_ran_out_is_kept(open_console: Opener) -> None:
    desk = await open_console()
    consultation_id = await desk.consultation(QUESTION)
    page = f"/console/overleg/{consultation_id}"
    token = await desk.token(page)
    desk.site.clock.advance(minutes=31)  # idle: the session ran out while typing
    answer = "Bel me gerust, <b>ik</b> ben er tot vijf uur."
    parked = await desk.post(f"{page}/antwoord", {"text": answer}, token)
    assert parked.status == 303 and parked.headers["Location"].startswith("/signin?next=")
    await desk.site.sign_in_locally("fatima", back=page)
    status, html = await desk.site.page(page)
    assert status == 200 and "Bel me gerust, &lt;b&gt;ik&lt;/b&gt; ben er tot vijf uur." in html
    actions = {e.action for e in await desk.audit() if e.consultation_id == consultation_id}
    assert "consultation.answer" not in actions, "nothing is sent until pressed again"


async def test_only_coordinators_see_or_answer_consultations(open_console: Opener) -> None:
    desk = await open_console()
    consultation_id = await desk.consultation(QUESTION)
    page = f"/console/overleg/{consultation_id}"
    for persona in NOT_COORDINATORS:
        await desk.sign_in(persona)
        for path in (page, "/console/overleg"):
            status, html = await desk.site.page(path)
            assert status == 403 and QUESTION[:20] not in html, (persona, path)
        token = await desk.token()
        for action, data in (("antwoord", {"text": "Hallo"}), ("sluiten", {})):
            refused = await desk.post(f"{page}/{action}", data, token)
            assert refused.status == 403, (persona, action)
    assert [e.action for e in await desk.audit() if e.consultation_id] == []


async def test_an_unknown_consultation_is_404(open_console: Opener) -> None:
    desk = await open_console()
    token = await desk.token("/console/overleg")
    for path in ("/console/overleg/999", "/console/overleg/abc", "/console/overleg/99999999999"):
        status, html = await desk.site.page(path)
        assert status == 404 and "Deze pagina bestaat niet" in html, path
    status, html = await desk.site.page("/console/overleg/999")
    assert "Dit overleg bestaat niet meer." in html
    refused = await desk.post("/console/overleg/999/antwoord", {"text": "Hallo"}, token)
    assert refused.status == 404
    assert (await desk.post("/console/overleg/999/sluiten", {}, token)).status == 404


async def test_the_list_shows_open_consultations_newest_first_without_their_text(
    open_console: Opener,
) -> None:
    desk = await open_console()
    first = await desk.consultation("Eerste vraag over een klant")
    desk.site.clock.advance(minutes=5)
    second = await desk.consultation("Tweede vraag over een collega")
    closed = await desk.consultation("Derde vraag, al klaar")
    await desk.post(f"/console/overleg/{closed}/sluiten", {}, await desk.token())
    status, html = await desk.site.page("/console/overleg")
    assert status == 200
    links = re.findall(r'href="/console/overleg/(\d+)"', html)
    assert links == [str(second), str(first)]
    assert "vraag" not in html, "the list never shows what was written"


def _last_saying(desk: Console, root: MessageRef, text: str) -> Sent | None:
    thread = desk.platform.thread(root)
    return thread[-1] if thread and text in text_of(thread[-1].message) else None


@pytest.mark.browser
async def test_the_consultation_pages_in_chromium_are_accessible_in_dutch_and_english(
    aiohttp_server: MakeServer, tmp_path: Path
) -> None:
    served = await serve(aiohttp_server, tmp_path)
    consultation, _code = await served.runtime.consultations.start(
        QUESTION, platform="web", language="nl", contact=None
    )
    page = f"/console/overleg/{consultation.id}"
    async with chromium_tab(tmp_path) as tab:
        await sign_in(tab, served, "fatima", page)
        await expect(tab.get_by_role("heading", level=1)).to_contain_text("Overleg · Anonieme")
        await expect(tab.locator("blockquote")).to_contain_text('<script>alert("x")</script>')
        await assert_accessible(tab, "the consultation page")
        await tab.get_by_label("Je antwoord").fill("Meld het gerust.")
        await tab.get_by_role("button", name="Antwoord versturen").click()
        await expect(tab.get_by_role("status")).to_contain_text("Je antwoord is bewaard")
        await assert_accessible(tab, "the consultation page after an answer")
        await tab.get_by_role("button", name="Antwoord versturen").click()
        await expect(tab.get_by_label("Je antwoord")).to_be_focused()  # required: not sent
        await in_english(tab)
        await expect(tab.get_by_role("heading", level=1)).to_contain_text("Consultation")
        await assert_accessible(tab, "the consultation page in English")
        await tab.get_by_role("link", name="All open consultations").click()
        await expect(tab.get_by_role("table")).to_contain_text("Anonymous colleague")
        await assert_accessible(tab, "the open consultations in English")
        await tab.get_by_role("link", name="Nederlands").click()
        await expect(tab.get_by_role("heading", level=1)).to_have_text("Open overleg")
        await assert_accessible(tab, "the open consultations")
        await tab.get_by_role("link", name=re.compile("Anonieme collega")).click()
        await tab.get_by_role("button", name="Sluiten").click()
        await expect(tab.get_by_role("status")).to_contain_text("Het overleg is gesloten.")
        await assert_accessible(tab, "a closed consultation")
