"""End to end over Slack: anonymous means anonymous.

One staff member consults anonymously (answered, read back with her code, replied to,
turned into an anonymous report that a coordinator questions and she answers through the
code), reports anonymously, and consults once more asking for a notice, which a
coordinator answers and closes. Then every table and column (sealed ones opened), every
captured log line, and everything meldbot showed in the coordinator channel is searched
for her user id, handle, display name and DM channel id, and their hashes: none is found.
A named report by her at the end shows the same search does find them.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from storage.sealing import new_key
from tests.privacy import log_lines_holding, tables_holding
from tests.slack.anonymity_support import (
    STAFF_DM,
    STAFF_HANDLE,
    STAFF_ID,
    STAFF_IDS,
    Meldbot,
    StaffSlack,
    buttons,
    code_in,
    holding,
    staff_slack,
    text_of,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
OUR_LOGGERS = ("meldbot", "bot", "dialogs", "storage", "adapters")

QUESTION = "Een klant belt elke dag en zegt dat hij weet waar ik woon. Moet ik dat melden?"
ANSWER = "Ja, dat is bedreiging. Maak er gerust een melding van."
REPLY = "Dank je. Hij belt meestal rond de middag."
ASKED = "Belt hij naar je eigen nummer of naar de afdeling?"
ANSWERED = "Naar het algemene nummer van de afdeling."
DIRECT = "Bij de balie werd ik uitgescholden en met een stoel bedreigd."
NOTIFIED = "Een collega maakt steeds grappen over mijn afkomst. Is dat iets voor jullie?"
NOTIFIED_ANSWER = "Zeker. Bel of mail ons gerust, dan kijken we samen wat kan."


@pytest.fixture
async def fake() -> AsyncIterator[StaffSlack]:
    started = staff_slack()
    async with started:
        yield started


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """meldbot's own loggers at DEBUG, every other logger at INFO, from before the start."""
    caplog.set_level(logging.INFO)
    for name in OUR_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


@pytest.fixture
async def bot(
    logs: pytest.LogCaptureFixture,
    database_url: str,
    tmp_path: Path,
    fake: StaffSlack,
    aiohttp_client: MakeClient,
) -> Meldbot:
    # With the content in the channel ("full"): the most there is to scan for her name.
    settings = make_settings(
        fake,
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        channel_content="full",
    )
    app = await create_app(settings, clock=lambda: datetime.now(UTC))
    return Meldbot(SlackSender(await aiohttp_client(app)), fake, app[RUNTIME])


async def scan(bot: Meldbot, identifiers: Iterable[str] = STAFF_IDS) -> dict[str, list[str]]:
    database = bot.runtime.database
    return await tables_holding(database.engine, database._sealer, identifiers)


async def consultation_becomes_a_report(bot: Meldbot) -> None:
    home = await bot.open_home()
    assert {"consult.start", "report.anonymous", "receipt.enter"} <= set(buttons(home["blocks"]))
    seen = len(bot.dm())
    await bot.press("consult.start")
    await bot.fill("consult", {"situation": QUESTION, "notify": "no"})
    receipt = await bot.next_in_dm(seen, "the receipt code in Sanne's DM")
    code = code_in(receipt)
    card = await bot.card(1, "the consultation card")
    assert f"Anonymous colleague · {code[:4]}" in text_of(card.blocks)
    assert set(buttons(card.blocks)) == {"consult.answer", "consult.close"}
    await bot.in_thread(card, QUESTION)

    await bot.coordinator_press(card, "consult.answer")
    await bot.coordinator_fill("consult.answer", {"answer": ANSWER})
    await bot.in_thread(card, ANSWER)

    view = await bot.say(f"status {code}")
    assert QUESTION in text_of(view.blocks) and ANSWER in text_of(view.blocks)
    await bot.press("consult.reply", buttons(view.blocks)["consult.reply"], on=view)
    await bot.fill("consult.reply", {"text": REPLY})
    await bot.in_thread(card, REPLY)

    seen = len(bot.dm())
    view = await bot.say(code)  # the code alone, as shown
    assert REPLY in text_of(view.blocks)
    await bot.press("consult.report", buttons(view.blocks)["consult.report"], on=view)
    answers = {"narrative": QUESTION, "identity": "anonymous", "category": "threat"}
    await bot.fill("consult.report", answers | {"danger": "no"})
    received = await until(lambda: bot.dm()[seen + 1 :], "the anonymous report's receipt")
    assert "Your receipt code stays the same" in text_of(received[0].blocks)
    case = await bot.card(2, "the anonymous case card")
    assert f"Anonymous colleague · {code[:4]}" in text_of(case.blocks)
    await bot.in_thread(card, "turned this consultation into anonymous report")

    await bot.coordinator_press(case, "case.ask")
    await bot.coordinator_fill("case.question", {"question": ASKED})
    await bot.in_thread(case, ASKED)
    seen = len(bot.dm())
    await bot.press("receipt.enter", on=receipt)
    await bot.fill("receipt", {"code": code})
    view = await bot.next_in_dm(seen, "the case, opened with the code")
    assert ASKED in text_of(view.blocks)
    assert set(buttons(view.blocks)) == {"consult.reply"}
    await bot.press("consult.reply", buttons(view.blocks)["consult.reply"], on=view)
    await bot.fill("consult.reply", {"text": ANSWERED})
    await bot.in_thread(case, ANSWERED)


async def direct_anonymous_report(bot: Meldbot) -> None:
    seen = len(bot.dm())
    await bot.press("report.anonymous")
    answers = {"narrative": DIRECT, "category": "threat", "when": "yesterday", "danger": "no"}
    await bot.fill("report.anonymous", answers | {"location": "Balie 2", "notify": "no"})
    code = code_in(await bot.next_in_dm(seen, "the anonymous report's receipt code"))
    case = await bot.card(3, "the direct anonymous case card")
    assert f"Anonymous colleague · {code[:4]}" in text_of(case.blocks)
    await bot.in_thread(case, DIRECT)
    await bot.coordinator_press(case, "case.claim")
    await until(lambda: "case.claim" not in buttons(case.blocks), "the card claimed")
    view = await bot.say(f"status {code}")
    assert "picked up your report" in text_of(view.blocks)


async def consultation_with_a_notice(bot: Meldbot) -> None:
    menu = await bot.say("hoi")
    await bot.press("consult.start", on=menu)
    seen = len(bot.dm())
    await bot.fill("consult", {"situation": NOTIFIED, "notify": "yes"})
    code = code_in(await bot.next_in_dm(seen, "the receipt code"))
    card = await bot.card(4, "the consultation card")
    assert f"Anonymous colleague · {code[:4]}" in text_of(card.blocks)
    await bot.in_thread(card, NOTIFIED)

    seen = len(bot.dm())
    await bot.coordinator_press(card, "consult.answer")
    await bot.coordinator_fill("consult.answer", {"answer": NOTIFIED_ANSWER})
    notice = await bot.next_in_dm(seen, "the notice in Sanne's DM")
    assert "There is news" in text_of(notice.blocks)
    assert NOTIFIED_ANSWER not in text_of(notice.blocks), "the notice carries no content"
    assert set(buttons(notice.blocks)) == {"receipt.enter"}
    await bot.settle()
    # Control: while the notice is wanted, her id is kept sealed, and the scanner finds it.
    assert await scan(bot) == {"receipts.contact_sealed": [STAFF_ID]}

    await bot.coordinator_press(card, "consult.close")
    await until(lambda: "Closed" in text_of(card.blocks), "the card closed")
    await bot.in_thread(card, "closed this consultation")


async def test_nothing_meldbot_keeps_logs_or_shows_names_the_anonymous_colleague(
    bot: Meldbot, logs: pytest.LogCaptureFixture
) -> None:
    await consultation_becomes_a_report(bot)
    await direct_anonymous_report(bot)
    await consultation_with_a_notice(bot)
    await bot.settle()

    posted = unquote_plus("\n".join(bot.inbound))
    assert holding(posted) == list(STAFF_IDS), "every identifier reached meldbot"
    sent_to = {call.params["channel"] for call in bot.fake.calls_to("chat.postMessage")}
    assert sent_to == {COORDINATOR_CHANNEL, STAFF_DM} and len(bot.dm()) == 12
    assert len(bot.cards()) == 4

    assert await scan(bot) == {}
    # The fake Slack's access log is among the records: an id in a request's URL shows too.
    assert log_lines_holding(logs.records, STAFF_IDS) == []
    assert bot.identifiers_shown_to_coordinators() == {}
    assert len(bot.coordinator_forms) == 3 and len(bot.shown_to_coordinators()) > 20
    assert any(r.name.startswith("adapters.slack") for r in logs.records), "logs were captured"

    # The receipt codes were shown to her once and are kept, logged or shown nowhere else.
    codes = bot.codes()
    assert len(codes) == 3
    assert await scan(bot, codes) == {}
    assert log_lines_holding(logs.records, codes) == []
    assert bot.identifiers_shown_to_coordinators(codes) == {}

    # Control: a report with her name is found by the very same searches.
    await bot.command()
    await bot.fill("report", {"narrative": DIRECT})
    await bot.card(5, "the named case card")
    await bot.settle()
    assert await scan(bot) == {
        "cases.reporter_sealed": [STAFF_ID],
        "cases.reporter_name_sealed": [STAFF_HANDLE],
        # Where its receipt went, for retention to delete it (storage/posts.py).
        "case_posts.ref_sealed": [STAFF_DM],
    }
    assert any(STAFF_ID in ids for ids in bot.identifiers_shown_to_coordinators().values())
