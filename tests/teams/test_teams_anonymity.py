"""End to end on Teams: anonymous means anonymous.

One staff member, Sanne, uses every anonymous route from her personal chat with meldbot,
signed as Teams signs, against the real composition root and database: a consultation
that is answered, read back with the code, replied to and turned into an anonymous report
that a coordinator questions and she answers through the code; a direct anonymous report;
and a consultation with a notice, which arrives and whose contact goes when the
coordinator closes it. Then every table and column (sealed ones opened), every log line
(DEBUG and up) and everything the coordinators were shown are searched for her ids and
their hashes. A named report by her at the end shows that the search finds them.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import RUNTIME
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import TeamsBot
from tests.privacy import log_lines_holding
from tests.teams.anonymity_support import (
    SANNE,
    MakeClient,
    TeamsMeldbot,
    capture_logs,
    identifiers,
    receipt_code,
    signed_outbound,
    start,
    texts_holding,
)
from tests.teams.support import CHRIS, OUTBOUND_TOKEN, card_of, has_action, text_of
from tests.waiting import until

SITUATION = "Een klant zegt steeds dat hij weet waar ik woon. Is dat genoeg om te melden?"
ANSWER = "Ja, dat is genoeg. Je mag het anoniem melden."
REPLY = "Dank je. Hij stond gisteren ook bij de uitgang."
NARRATIVE = "Klant dreigt mij op te wachten na het werk; gisteren stond hij bij de uitgang."
QUESTION = "Op welke dagen gebeurt dit meestal?"
HER_ANSWER = "Meestal op dinsdag en donderdag, rond sluitingstijd."
DIRECT = "Bij balie 4 werd een stoel naar een collega gegooid."
NOTIFIED = "Mijn leidinggevende lacht het weg als ik iets zeg over agressie. Wat kan ik doen?"
NOTIFIED_ANSWER = "Dat hoort niet zo. Kom gerust langs of bel de vertrouwenspersoon."


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    # Its access log would be Microsoft's, not meldbot's: off, so the logs searched are meldbot's.
    fake = FakeBotConnector(require_token=OUTBOUND_TOKEN, bot=TeamsBot(), access_log=False)
    async with fake as connector:
        yield connector


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as openid:
        yield openid


async def consult(bot: TeamsMeldbot, menu: dict[str, object], situation: str, notify: str) -> str:
    """``consult.start`` on the menu, the form sent; the receipt code she is shown."""
    opened = await bot.press(SANNE, menu, "consult.start")
    before = len(bot.chat(SANNE))
    await bot.fill(SANNE, menu, opened, {"situation": situation, "notify": notify})
    return receipt_code(await bot.new_message(SANNE, before, "Your receipt code"))


async def answer_in_channel(bot: TeamsMeldbot, root: dict[str, object], answer: str) -> None:
    opened = await bot.press(CHRIS, root, "consult.answer", in_channel=True)
    await bot.fill(CHRIS, root, opened, {"answer": answer}, in_channel=True)
    await bot.note_showing(root, answer)


async def reply_through_the_view(bot: TeamsMeldbot, view: dict[str, object], text: str) -> None:
    opened = await bot.press(SANNE, view, "consult.reply")
    before = len(bot.chat(SANNE))
    await bot.fill(SANNE, view, opened, {"text": text})
    await bot.new_message(SANNE, before, "Sent")


async def consultation_answered_replied_and_reported(
    bot: TeamsMeldbot, menu: dict[str, object]
) -> None:
    """(1) notify=no: answered, read with the code, replied to, made an anonymous report;
    the coordinator asks on the case, she answers through the code."""
    code = await consult(bot, menu, SITUATION, notify="no")
    root = await bot.root_showing(f"Consultation · Anonymous colleague · {code[:4]}")
    await bot.note_showing(root, SITUATION)
    await answer_in_channel(bot, root, ANSWER)
    assert not [m for m in bot.chat(SANNE) if "There is news" in text_of(card_of(m))]

    view = await bot.say(SANNE, f"status {code}", ANSWER)
    assert SITUATION in text_of(card_of(view))
    await reply_through_the_view(bot, view, REPLY)
    await bot.note_showing(root, REPLY)

    view = await bot.say(SANNE, f"status {code}", REPLY)
    opened = await bot.press(SANNE, view, "consult.report")
    before = len(bot.chat(SANNE))
    values = {"narrative": NARRATIVE, "identity": "anonymous", "danger": "no"}
    await bot.fill(SANNE, view, opened, values)
    confirmation = await bot.new_message(SANNE, before, "Your receipt code stays the same")
    found = re.search(r"M-\d{4}-\d{4}", text_of(card_of(confirmation)))
    assert found is not None
    case_root = await bot.root_showing(f"Report {found.group(0)}")
    assert f"Anonymous colleague · {code[:4]}" in text_of(card_of(case_root))
    await bot.note_showing(root, found.group(0))  # the consultation's thread points there

    opened = await bot.press(CHRIS, case_root, "case.ask", in_channel=True)
    await bot.fill(CHRIS, case_root, opened, {"question": QUESTION}, in_channel=True)
    await bot.note_showing(case_root, QUESTION)
    view = await bot.say(SANNE, code, QUESTION)  # the code alone, with its dashes
    await reply_through_the_view(bot, view, HER_ANSWER)
    await bot.note_showing(case_root, HER_ANSWER)


async def direct_anonymous_report(bot: TeamsMeldbot, menu: dict[str, object]) -> None:
    """(2) ``report.anonymous`` from the menu, notify=no."""
    opened = await bot.press(SANNE, menu, "report.anonymous")
    before = len(bot.chat(SANNE))
    values = {"narrative": DIRECT, "location": "Balie 4", "danger": "no", "notify": "no"}
    await bot.fill(SANNE, menu, opened, values)
    code = receipt_code(await bot.new_message(SANNE, before, "Your receipt code"))
    root = await bot.root_showing(f"Anonymous colleague · {code[:4]}")
    await bot.note_showing(root, DIRECT)


async def consultation_with_a_notice(
    bot: TeamsMeldbot, menu: dict[str, object], ids: list[str]
) -> None:
    """(3) notify=yes: the sealed contact is her chat's reference until the coordinator
    closes; the notice reaches her chat and says nothing of the answer."""
    code = await consult(bot, menu, NOTIFIED, notify="yes")
    root = await bot.root_showing(f"Consultation · Anonymous colleague · {code[:4]}")
    chat_id = bot.teams.personal(SANNE)["id"]
    await settled(bot)  # the code's delivery wipes its sealed address from the outbox
    # While it is open, the contact holds her chat (and only that): the scan sees it.
    assert await bot.tables_holding(ids) == {"receipts.contact_sealed": [chat_id]}

    before = len(bot.chat(SANNE))
    await answer_in_channel(bot, root, NOTIFIED_ANSWER)
    notice = card_of(await bot.new_message(SANNE, before, "There is news"))
    assert NOTIFIED_ANSWER not in text_of(notice) and NOTIFIED not in text_of(notice)
    assert has_action(notice, "receipt.enter")

    await bot.press(CHRIS, root, "consult.close", in_channel=True)
    await until(
        lambda: "Closed" in text_of(card_of(bot.fake.activity(root["id"]))),
        "the consultation's card shown closed",
    )


async def settled(bot: TeamsMeldbot) -> None:
    """Nothing left to deliver, nothing still arriving at the connector."""
    await bot.app[RUNTIME].outbox.settle()
    await bot.fake.settle()


async def named_report(bot: TeamsMeldbot, menu: dict[str, object]) -> None:
    opened = await bot.press(SANNE, menu, "report.start")
    before = len(bot.chat(SANNE))
    await bot.fill(SANNE, menu, opened, {"narrative": "Met naam: ik werd uitgescholden."})
    await bot.new_message(SANNE, before, "has been received")
    await settled(bot)


async def test_anonymous_routes_on_teams_leave_no_trace_of_who_used_them(
    database_url: str,
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    capture_logs(caplog)
    signed_outbound(monkeypatch)
    bot = await start(tmp_path, fake, issuer, aiohttp_client, database_url)
    ids = identifiers(bot.teams, SANNE)
    # She installs meldbot for herself (Teams says so twice), then opens the menu.
    await bot.post(bot.teams.installation_update(user=SANNE))
    await bot.post(bot.teams.conversation_update(user=SANNE))
    menu = await bot.say(SANNE, "hoi", "Report anonymously")

    await consultation_answered_replied_and_reported(bot, menu)
    await direct_anonymous_report(bot, menu)
    await consultation_with_a_notice(bot, menu, ids)
    await settled(bot)

    # Teams named her in every activity it delivered, so each search below could fail.
    delivered = json.dumps(bot.inbound, ensure_ascii=False)
    assert [i for i in ids if i not in delivered] == []
    assert await bot.tables_holding(ids) == {}
    assert log_lines_holding(caplog.records, ids) == []
    assert texts_holding(bot.shown_to_others(SANNE), ids) == []
    # The log search saw meldbot's own loggers at DEBUG and the others' at INFO.
    assert {"bot", "dialogs", "adapters", "aiohttp"} <= {
        r.name.split(".")[0] for r in caplog.records
    }
    assert any(r.levelno == logging.DEBUG and r.name.startswith("adapters") for r in caplog.records)

    # The control: a report with her name is found, in the tables and the channel alike.
    await named_report(bot, menu)
    kept = await bot.tables_holding(ids)
    assert SANNE.aad_object_id in kept.get("platform_addresses.key_sealed", []), kept
    assert bot.teams.personal(SANNE)["id"] in kept.get("platform_addresses.reference_sealed", [])
    assert texts_holding(bot.shown_to_others(SANNE), [SANNE.aad_object_id]) != []
