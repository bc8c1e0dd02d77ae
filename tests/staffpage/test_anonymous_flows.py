"""The anonymous routes of the staff page over real HTTP: a consultation answered and read
back with its code, an anonymous report that reaches the coordinators, and every answer
without a cookie, with the page's hardening, on the same address throughout."""

from __future__ import annotations

import re

from sqlalchemy import text

from tests.staffpage.conftest import CODE, REFERENCE, Staff, hardened


async def test_a_consultation_is_answered_and_read_back_with_its_code(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    hardened(opened)
    assert opened.status == 200
    assert 'action="/melden/overleggen"' in opened.html  # the address does not change
    assert 'autocomplete="off"' in opened.html
    # Nobody to notify: an anonymous visitor is not offered a notice.
    assert 'name="notify"' not in opened.html and "seintje" not in opened.html
    sent = await staff.post(
        "/melden/overleggen",
        {"_anon": opened.token(), "situation": "Een klant dreigde. Is dat al een melding?"},
    )
    hardened(sent)
    assert sent.status == 200, sent.text()
    code = CODE.search(sent.text())
    assert code is not None, sent.text()
    await staff.runtime.outbox.settle()
    assert "Anonieme collega" in staff.coordinators_see() or "consult" in staff.coordinators_see()

    await staff.answer_consultation("Ja, meld het maar. Bel me gerust.")

    asked = await staff.get("/melden/code")
    hardened(asked)
    read = await staff.post("/melden/code", {"_anon": asked.token(), "code": code.group(0)})
    hardened(read)
    assert read.status == 200, read.text()
    assert "Ja, meld het maar. Bel me gerust." in read.text()
    assert "Een klant dreigde." in read.text()

    # Reply, through the button the core showed, on the same page.
    tokens = re.findall(r'name="_anon" value="([^"]*)"[^<]*\s*<button[^>]*>Reageren<', read.html)
    assert tokens, read.html
    reply_form = await staff.post("/melden/code", {"_anon": tokens[0]})
    hardened(reply_form)
    assert 'name="text"' in reply_form.html
    replied = await staff.post(
        "/melden/code", {"_anon": reply_form.token(), "text": "Dank je, dat doe ik."}
    )
    hardened(replied)
    assert replied.status == 200 and "Verstuurd" in replied.text(), replied.text()


async def test_an_anonymous_report_reaches_the_coordinators_with_a_receipt(staff: Staff) -> None:
    opened = await staff.get("/melden/anoniem")
    hardened(opened)
    assert 'name="notify"' not in opened.html
    story = "Bij de balie werd een collega geduwd door een bezoeker."
    sent = await staff.post(
        "/melden/anoniem",
        {"_anon": opened.token(), "narrative": story, "danger": "no", "category": ""},
    )
    hardened(sent)
    assert sent.status == 200, sent.text()
    code = CODE.search(sent.text())
    reference = REFERENCE.search(sent.text())
    assert code is not None and reference is not None, sent.text()
    await staff.runtime.outbox.settle()
    assert reference.group(0) in staff.coordinators_see()
    async with staff.runtime.database.engine.connect() as connection:
        references = list(await connection.scalars(text("SELECT reference FROM cases")))
    assert references == [reference.group(0)]

    asked = await staff.get("/melden/code")
    read = await staff.post("/melden/code", {"_anon": asked.token(), "code": code.group(0)})
    hardened(read)
    assert reference.group(0) in read.text()

    # Adding information later, with the code, on the same page.
    label = "Reageren of informatie toevoegen"
    tokens = re.findall(r'name="_anon" value="([^"]*)"[^<]*\s*<button[^>]*>' + label, read.html)
    assert tokens, read.html
    form = await staff.post("/melden/code", {"_anon": tokens[0]})
    added = "Hij had ook een tas bij zich met een logo erop."
    sent = await staff.post("/melden/code", {"_anon": form.token(), "text": added})
    hardened(sent)
    assert sent.status == 200 and "Verstuurd" in sent.text(), sent.text()
    await staff.runtime.outbox.settle()
    again = await staff.get("/melden/code")
    read = await staff.post("/melden/code", {"_anon": again.token(), "code": code.group(0)})
    assert added in read.text()


async def test_the_start_page_says_what_meldbot_cannot_hide(staff: Staff) -> None:
    start = await staff.get("/melden")
    hardened(start)
    words = start.text()
    assert "netwerk" in words and "geschiedenis" in words
    for path in ("/melden/melding", "/melden/anoniem", "/melden/overleggen", "/melden/code"):
        assert f'href="{path}"' in start.html
    english = await staff.get("/melden?taal=en")
    hardened(english)  # the language stays in the address, never in a cookie
    assert "What meldbot can and cannot hide" in english.text()
