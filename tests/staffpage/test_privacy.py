"""The privacy scan after the anonymous flows of the staff page: every table (sealed
columns opened), every captured log line and every message meldbot posted holds nothing
of the visitor — not the address their browser came from, not its name, not the visit's
id or token, nor any hash of them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from html import unescape

import pytest

from bot.consultation.throttle import guesser_hash, guesser_key
from tests.privacy import log_lines_holding, tables_holding
from tests.staffpage.conftest import CODE, TOKEN, Staff, hardened

FAKE_IP = "203.0.113.77"
AGENT = "Mozilla/5.0 (MeldProbe 7f3a9c) Chromium/999.0"
VISITOR = {"X-Forwarded-For": FAKE_IP, "X-Real-IP": FAKE_IP, "User-Agent": AGENT}


def _session_of(token: str) -> str:
    payload = token.split(".")[0]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))[0])


async def test_nothing_of_an_anonymous_visitor_is_kept(
    staff: Staff, caplog: pytest.LogCaptureFixture
) -> None:
    # meldbot's own loggers at their most talkative; libraries as a deployment runs them
    # (a driver's debug output of SQL parameters is not a log meldbot keeps).
    caplog.set_level(logging.INFO)
    for name in ("adapters", "bot", "dialogs", "storage", "aiohttp"):
        caplog.set_level(logging.DEBUG, logger=name)
    tokens: list[str] = []

    async def step(path: str, data: dict[str, str] | None = None) -> str:
        page = await (staff.post(path, data, **VISITOR) if data else staff.get(path, **VISITOR))
        hardened(page)
        assert page.status == 200, page.text()
        tokens.extend(unescape(t) for t in TOKEN.findall(page.html))
        return page.html

    await step("/melden")
    html = await step("/melden/overleggen")
    situation = "Mijn teamleider maakt grappen over collega's. Is dat iets?"
    html = await step("/melden/overleggen", {"_anon": tokens[-1], "situation": situation})
    code = CODE.search(html)
    assert code is not None
    await staff.runtime.outbox.settle()
    await staff.answer_consultation("Dat is zeker iets. Wil je er een melding van maken?")
    await step("/melden/code")
    wrong = await staff.post("/melden/code", {"_anon": tokens[-1], "code": "K7Q2-ABCD"}, **VISITOR)
    assert wrong.status == 400 and "ontvangstcode" in wrong.text()
    tokens.extend(unescape(t) for t in TOKEN.findall(wrong.html))
    await step("/melden/code", {"_anon": tokens[-1], "code": code.group(0)})
    await step("/melden/anoniem")
    story = "Iemand zette mijn collega klem bij de uitgang."
    await step("/melden/anoniem", {"_anon": tokens[-1], "narrative": story, "danger": "no"})
    await staff.runtime.outbox.settle()

    sessions = {_session_of(t) for t in tokens}
    assert len(sessions) >= 3  # every page opened a visit of its own
    seal_key = staff.runtime.settings.seal_key or ""
    guesser = guesser_key(seal_key)
    identifiers = [FAKE_IP, AGENT, "MeldProbe 7f3a9c", *tokens]
    for session in sessions:
        user_id = f"anon-{session}"
        identifiers += [session, user_id, f"web:{user_id}", f"dm:{user_id}"]
        identifiers.append(guesser_hash(guesser, f"web:{user_id}"))
        keyed = hmac.new(seal_key.encode(), session.encode(), hashlib.sha256)
        identifiers.append(keyed.hexdigest())
    database = staff.runtime.database
    assert await tables_holding(database.engine, database._sealer, identifiers) == {}
    assert log_lines_holding(caplog.records, identifiers) == []
    posted = "\n".join(
        f"{entry.conversation} {entry.author_name} {entry.message!r}"
        for entry in staff.conversations
    )
    assert [i for i in identifiers if i.casefold() in posted.casefold()] == []
    assert not [e for e in staff.conversations if e.conversation.startswith("dm:anon-")]
