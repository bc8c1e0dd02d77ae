"""Bad input on the staff page: each gets words on the page and a 4xx, never a 5xx, and
what was typed stays in the box; nothing is sent twice, nothing forged gets through."""

from __future__ import annotations

import asyncio
import re
from html import unescape

import pytest
from sqlalchemy import text

from tests.staffpage.conftest import CODE, Staff, hardened

STORY = "Een bezoeker schreeuwde tegen mijn collega bij de balie."


async def _consultations(staff: Staff) -> int:
    async with staff.runtime.database.engine.connect() as connection:
        return int(await connection.scalar(text("SELECT count(*) FROM consultations")) or 0)


def _in_the_box(html: str, typed: str) -> bool:
    boxes = re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)
    return any(unescape(box) == typed for box in boxes)


async def _refused(staff: Staff, typed: str) -> str:
    opened = await staff.get("/melden/overleggen")
    sent = await staff.post("/melden/overleggen", {"_anon": opened.token(), "situation": typed})
    hardened(sent)
    assert sent.status == 400, sent.text()
    assert _in_the_box(sent.html, typed)
    assert await _consultations(staff) == 0
    return sent.text()


async def test_a_50000_character_story_is_refused_and_kept(staff: Staff) -> None:
    words = await _refused(staff, "Lang verhaal. " * 3572)  # 50,008 characters
    assert "50008 tekens" in words and "10000" in words


@pytest.mark.parametrize("typed", ["", "   \n\t ", "\u200b\u200b\u2060", "\u202e\u202d\u2066"])
async def test_empty_or_invisible_text_is_refused(staff: Staff, typed: str) -> None:
    words = await _refused(staff, typed)
    assert "niets in dat te lezen is" in words


async def test_html_and_chat_markup_are_kept_as_plain_text(staff: Staff) -> None:
    typed = (
        "<script>alert(1)</script> <!channel> <@U123> *vet* [link](https://evil.example) \u202eoops"
    )
    long = typed + "x" * 10_001  # refused, so the page shows it back
    opened = await staff.get("/melden/overleggen")
    sent = await staff.post("/melden/overleggen", {"_anon": opened.token(), "situation": long})
    assert sent.status == 400
    assert "<script>alert(1)</script>" not in sent.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in sent.html
    assert _in_the_box(sent.html, long)
    # Sent as it is, it reaches the coordinators as text, never as markup or a mention.
    opened = await staff.get("/melden/overleggen")
    sent = await staff.post("/melden/overleggen", {"_anon": opened.token(), "situation": typed})
    assert sent.status == 200, sent.text()
    await staff.runtime.outbox.settle()
    posted = staff.coordinators_see()
    assert "ChannelMention" not in posted and "Mention(" not in posted


async def test_invalid_utf8_is_a_400_in_words(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    body = b"_anon=" + opened.token().encode() + b"&situation=%FF%FE%FA+kapot"
    async with staff.session.post(
        staff.url + "/melden/overleggen",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ) as response:
        html = await response.text()
        assert 400 <= response.status < 500, html
        assert "Set-Cookie" not in response.headers
    assert "kon niet gelezen worden" in html
    assert re.search(r"<textarea[^>]*>[^<]* kapot</textarea>", html)  # what could be read stays


async def test_a_body_over_the_limit_is_a_413_in_words(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    huge = {"_anon": opened.token(), "situation": "x" * 300_000}
    sent = await staff.post("/melden/overleggen", huge)
    assert sent.status == 413
    assert "Set-Cookie" not in sent.headers
    assert "te veel" in sent.text()


async def test_a_forged_token_is_refused_in_words(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    token = opened.token()
    payload, mac = token.split(".")
    for forged in ("", "nonsense", payload + "." + "0" * len(mac), payload[:-2] + "AA." + mac):
        sent = await staff.post("/melden/overleggen", {"_anon": forged, "situation": STORY})
        hardened(sent)
        assert sent.status == 403 and "kwam niet van deze pagina" in sent.text()
    # A token of one page is no token on another.
    sent = await staff.post("/melden/anoniem", {"_anon": token, "narrative": STORY})
    assert sent.status == 403
    assert await _consultations(staff) == 0


async def test_an_expired_token_is_refused_and_the_text_stays(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    staff.clock.advance(hours=2)
    sent = await staff.post("/melden/overleggen", {"_anon": opened.token(), "situation": STORY})
    hardened(sent)
    assert sent.status == 403
    assert "te lang open" in sent.text()
    assert _in_the_box(sent.html, STORY)
    assert await _consultations(staff) == 0
    again = await staff.post("/melden/overleggen", {"_anon": sent.token(), "situation": STORY})
    assert again.status == 200 and CODE.search(again.text())


async def test_a_form_sent_twice_is_taken_once(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    form = {"_anon": opened.token(), "situation": STORY}
    first, second = await asyncio.gather(
        staff.post("/melden/overleggen", form), staff.post("/melden/overleggen", form)
    )
    assert sorted([first.status, second.status]) == [200, 409]
    assert await _consultations(staff) == 1
    replayed = await staff.post("/melden/overleggen", form)
    assert replayed.status == 409 and "al verstuurd" in replayed.text()
    assert await _consultations(staff) == 1


async def test_a_post_from_another_origin_is_refused(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    form = {"_anon": opened.token(), "situation": STORY}
    for headers in (
        {"Origin": "https://evil.example"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
    ):
        sent = await staff.post("/melden/overleggen", form, **headers)
        hardened(sent)
        assert sent.status == 403 and "andere website" in sent.text()
    assert await _consultations(staff) == 0
    # A browser's own form on this page (Origin null under no-referrer) is taken.
    sent = await staff.post(
        "/melden/overleggen", form, Origin="null", **{"Sec-Fetch-Site": "same-origin"}
    )
    assert sent.status == 200


async def test_a_foreign_or_missing_host_is_refused(staff: Staff) -> None:
    foreign = await staff.get("/melden/overleggen", Host="evil.example")
    assert foreign.status == 400 and "niet het adres van de meldpagina" in foreign.text()
    assert "Set-Cookie" not in foreign.headers
    port = int(staff.url.rsplit(":", 1)[1])
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /melden/overleggen HTTP/1.0\r\n\r\n")
    await writer.drain()
    answer = (await reader.read()).decode("utf-8", "replace")
    writer.close()
    status = int(answer.split(" ", 2)[1])
    assert 400 <= status < 500, answer[:500]
    assert "set-cookie" not in answer.lower()


async def test_too_many_posts_of_one_visit_do_not_lock_out_another(staff: Staff) -> None:
    opened = await staff.get("/melden/overleggen")
    token = opened.token()
    statuses = []
    for _ in range(31):
        sent = await staff.post("/melden/overleggen", {"_anon": token, "situation": ""})
        statuses.append(sent.status)
        token = sent.token()
    assert statuses[:30] == [400] * 30 and statuses[30] == 429
    assert "veel verstuurd" in sent.text()
    other = await staff.get("/melden/overleggen")
    taken = await staff.post("/melden/overleggen", {"_anon": other.token(), "situation": STORY})
    assert taken.status == 200
