"""The named route of the staff page over HTTP, signed in (the demo sign-in here; the real
OpenID provider in test_browser): the sign-in offer, the session's CSRF, and a message
with a photo that becomes a report, with the chat's own file limits."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from html import unescape

import aiohttp
import pytest
from sqlalchemy import text

from tests.files import EXE, PNG
from tests.privacy import tables_holding
from tests.staffpage.conftest import REFERENCE, STEP, MakeStaff, Page, Staff

CSRF = re.compile(r'name="_csrf" value="([^"]*)"')


@pytest.fixture
async def signed_in(make_staff: MakeStaff) -> AsyncIterator[tuple[Staff, aiohttp.ClientSession]]:
    staff = await make_staff(attachment_max_mb=1)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
        async with browser.get(staff.url + "/signin") as answer:
            pre = CSRF.findall(await answer.text())[-1]
        form = {"_csrf": pre, "persona": "sanne", "next": "/melden/melding"}
        async with browser.post(staff.url + "/signin/local", data=form) as answer:
            assert answer.status == 200 and str(answer.url).endswith("/melden/melding")
        yield staff, browser


async def _get(staff: Staff, browser: aiohttp.ClientSession) -> Page:
    async with browser.get(staff.url + "/melden/melding") as answer:
        return Page(answer.status, answer.headers, await answer.text())


async def _post(staff: Staff, browser: aiohttp.ClientSession, data: aiohttp.FormData) -> Page:
    async with browser.post(staff.url + "/melden/melding", data=data) as answer:
        return Page(answer.status, answer.headers, await answer.text())


def _write_form(page: Page, message: str, files: list[tuple[str, bytes, str]]) -> aiohttp.FormData:
    """The "write to meldbot" form of ``page``, filled in."""
    section = page.html[page.html.index('id="schrijven-titel"') :]
    data = aiohttp.FormData()
    data.add_field("_step", unescape(STEP.search(section).group(1)))  # type: ignore[union-attr]
    data.add_field("_csrf", CSRF.search(section).group(1))  # type: ignore[union-attr]
    data.add_field("_return", "/melden/melding")
    data.add_field("text", message)
    for name, content, kind in files:
        data.add_field("files", content, filename=name, content_type=kind)
    return data


def _button(page: Page, label: str) -> aiohttp.FormData:
    found = re.search(
        r'name="_step" value="([^"]*)">\s*<input type="hidden" name="_csrf" value="([^"]*)">'
        r"[^<]*<input[^>]*>\s*<button[^>]*>" + re.escape(label) + "<",
        page.html,
    )
    assert found, page.html
    data = aiohttp.FormData()
    data.add_field("_step", unescape(found.group(1)))
    data.add_field("_csrf", found.group(2))
    return data


async def test_not_signed_in_the_page_offers_sign_in_and_the_anonymous_routes(
    staff: Staff,
) -> None:
    page = await staff.get("/melden/melding")
    assert page.status == 200
    assert 'href="/signin?next=/melden/melding"' in page.html
    assert "Inloggen om met je naam te melden" in page.text()
    assert 'href="/melden/anoniem"' in page.html and 'href="/melden/overleggen"' in page.html


async def test_a_message_with_a_photo_becomes_a_report_with_the_photo(
    signed_in: tuple[Staff, aiohttp.ClientSession],
) -> None:
    staff, browser = signed_in
    page = await _get(staff, browser)
    assert page.status == 200 and "Ingelogd als Sanne de Vries" in page.text()
    story = "Een man sloeg met zijn vuist op de balie en riep dat hij terugkomt."
    written = await _post(
        staff, browser, _write_form(page, story, [("balie.png", PNG, "image/png")])
    )
    assert written.status == 200, written.text()
    conversation = written.html[written.html.index('id="gesprek-titel"') :]
    assert story in unescape(conversation) and "balie.png" in conversation
    sent = await _post(staff, browser, _button(written, "Melding versturen"))
    assert sent.status == 200, sent.text()
    reference = REFERENCE.search(sent.text())
    assert reference is not None, sent.text()
    await staff.runtime.outbox.settle()
    assert reference.group(0) in staff.coordinators_see()
    async with staff.runtime.database.engine.connect() as connection:
        stored = await connection.scalar(text("SELECT count(*) FROM attachments"))
    assert stored == 1


@pytest.mark.parametrize(
    ("file", "words"),
    [
        (("virus.jpg", EXE, "image/jpeg"), "foto’s (JPG, PNG, HEIC…) en PDF’s"),
        (("groot.png", PNG + b"\0" * (1024 * 1024 + 10), "image/png"), "te groot"),
    ],
)
async def test_a_wrong_or_too_large_file_is_refused_and_the_text_stays(
    signed_in: tuple[Staff, aiohttp.ClientSession], file: tuple[str, bytes, str], words: str
) -> None:
    staff, browser = signed_in
    page = await _get(staff, browser)
    story = "Iemand gooide koffie over mijn bureau."
    refused = await _post(staff, browser, _write_form(page, story, [file]))
    assert refused.status == 400
    assert words in refused.text()
    assert f">{story}</textarea>" in refused.html
    async with staff.runtime.database.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM attachments")) == 0
        assert await connection.scalar(text("SELECT count(*) FROM cases")) == 0


async def test_a_signed_in_post_needs_the_sessions_token(
    signed_in: tuple[Staff, aiohttp.ClientSession],
) -> None:
    staff, browser = signed_in
    page = await _get(staff, browser)
    data = _write_form(page, "Zonder sessietoken.", [])
    forged = aiohttp.FormData()
    forged.add_field("_step", unescape(STEP.search(page.html).group(1)))  # type: ignore[union-attr]
    forged.add_field("_csrf", "nep")
    forged.add_field("text", "Zonder sessietoken.")
    refused = await _post(staff, browser, forged)
    assert refused.status == 403
    assert "niet van meldbot" in refused.text() or "verlopen" in refused.text()
    # An anonymous page's token is no token here, and the reverse.
    anonymous = await staff.get("/melden/anoniem")
    other = aiohttp.FormData()
    other.add_field("_step", anonymous.token())
    other.add_field("_csrf", CSRF.search(page.html).group(1))  # type: ignore[union-attr]
    assert (await _post(staff, browser, other)).status == 403
    assert (await _post(staff, browser, data)).status == 200


async def test_a_text_typed_when_the_session_ran_out_comes_back(
    signed_in: tuple[Staff, aiohttp.ClientSession],
) -> None:
    staff, browser = signed_in
    page = await _get(staff, browser)
    staff.clock.advance(minutes=31)  # idle: the session ran out while they typed
    story = "Een bezoeker bleef na sluitingstijd staan en wilde niet weg."
    data = _write_form(page, story, [])
    async with browser.post(staff.url + "/melden/melding", data=data, allow_redirects=False) as a:
        assert a.status == 303 and a.headers["Location"].startswith("/signin")
    async with browser.get(staff.url + "/signin") as answer:
        pre = CSRF.findall(await answer.text())[-1]
    form = {"_csrf": pre, "persona": "sanne", "next": "/melden/melding"}
    async with browser.post(staff.url + "/signin/local", data=form) as answer:
        back = await answer.text()
    assert f">{story}</textarea>" in back
    async with staff.runtime.database.engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM cases")) == 0


async def test_a_signed_in_visitor_is_nobody_on_an_anonymous_page(
    signed_in: tuple[Staff, aiohttp.ClientSession],
) -> None:
    staff, browser = signed_in
    database = staff.runtime.database
    names = ["sanne", "Sanne de Vries"]
    before = await tables_holding(database.engine, database._sealer, names)
    async with browser.get(staff.url + "/melden/anoniem") as answer:
        opened = Page(answer.status, answer.headers, await answer.text())
    assert "Sanne" not in opened.html and "Set-Cookie" not in opened.headers
    story = "Er werd gescholden bij de receptie."
    data = {"_anon": opened.token(), "narrative": story, "danger": "no"}
    async with browser.post(staff.url + "/melden/anoniem", data=data) as answer:
        sent = Page(answer.status, answer.headers, await answer.text())
    assert sent.status == 200 and REFERENCE.search(sent.text()), sent.text()
    assert "Sanne" not in sent.html and "Set-Cookie" not in sent.headers
    await staff.runtime.outbox.settle()
    # Nothing new holds who she is: the anonymous report is not tied to her sign-in.
    assert await tables_holding(database.engine, database._sealer, names) == before
