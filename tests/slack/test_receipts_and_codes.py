"""End to end over Slack: a receipt code is never kept or shown where it does not belong,
and every receipt and code that is owed reaches its DM exactly once, even while Slack fails.

The real slack-bolt stack, composition root, dialogs and database (SQLite and PostgreSQL),
the fake Slack Web API at the edge, meldbot in Dutch.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.fakes.slack_api import FakeSlack, Posted
from tests.privacy import log_lines_holding, tables_holding
from tests.slack.anonymity_support import buttons, text_of
from tests.slack.intake_support import MakeClient, Meldbot, code_in, squeezed, start_meldbot
from tests.slack.support import COORDINATOR_CHANNEL
from tests.waiting import until

CODE = "E6ES-QGYQ-JF8K-PP02"
# What colleagues typed in the chat instead of their anonymous code, exactly as shown.
CODE_VARIANTS = [
    "E6ES QGYQ JF8K PP02",
    "e6es-qgyq-jf8k-pp02",
    "E6ESQGYQJF8KPP02",
    "E6ES-QGYQ-JF8K-PP0",  # one too few
    "E6ES-QGYQ-JF8K-PP021",  # one too many
    "mijn code is E6ES-QGYQ-JF8K-PP02",
    "Hoi, hier is mijn code: e6es qgyq jf8k pp02. Is er al nieuws?",
    "E6ES.QGYQ.JF8K.PPO2",  # O for 0
]
SAVING = "Wat je stuurde wordt opgeslagen"
CODE_SHAPE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")
CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
DOUBT = "Een klant belt steeds en zegt dat hij weet waar ik woon. Moet ik dat melden?"
DRAFT_BUTTONS = {"report.send", "report.urgent", "held.add", "held.answer", "held.report"}


def variants_of(code: str) -> list[str]:
    spaced = code.lower().replace("-", " ")
    return [
        f"mijn code is {code}",
        f"Hoi, hier is mijn code: {spaced}. Is er al nieuws?",
        code.replace("-", ""),
    ]


def secret_of(code: str) -> str:
    """The part of a code only its owner knows (the first group is its public pseudonym),
    one character short so that a code typed one too few is found as well."""
    return squeezed(code)[4:-1]


async def test_a_code_in_any_form_is_kept_nowhere_and_never_reaches_the_coordinators(
    database_url: str,
    tmp_path: Path,
    fake_slack: FakeSlack,
    aiohttp_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    # Anna has a report with a coordinator's question open: whatever she types next would
    # be her answer in the coordinators' thread.
    await bot.press("UANNA", await bot.say("UANNA", CALM), "report.send")
    card = await bot.card(1)
    await bot.ask(card, "Wat zei hij precies?", "UANNA")
    # And she consulted anonymously before: a real code.
    await bot.press("UANNA", await bot.say("UANNA", "hoi"), "consult.start")
    issued = await bot.submit("UANNA", await bot.opened_form(), {"situation": DOUBT})
    real = code_in(issued["view"])
    await bot.card(2)
    # Bob has a draft waiting: whatever he types next would be asked to join it.
    await bot.say("UBOB", CALM)
    await bot.settle()
    thread = len(bot.thread(card))

    for typed in CODE_VARIANTS:
        for user in ("UANNA", "UBOB"):
            answer = await bot.say(user, typed)
            assert "code" in answer.text.lower(), (user, typed, answer.text)
            assert not DRAFT_BUTTONS & set(buttons(answer.blocks)), (user, typed)
    for typed in variants_of(real):
        seen = len(bot.dm("UANNA"))
        await bot.say("UANNA", typed)

        def opened(seen: int = seen) -> bool:
            return any(DOUBT in text_of(m.blocks) for m in bot.dm("UANNA")[seen:])

        await until(opened, f"the consultation opened with {typed!r}")
    await bot.settle()

    assert len(bot.thread(card)) == thread, "nothing was passed on as Anna's answer"
    shown = squeezed(bot.shown_in(COORDINATOR_CHANNEL))
    assert secret_of(CODE) not in shown and secret_of(real) not in shown
    stored = squeezed(await bot.stored_texts())
    assert secret_of(CODE) not in stored and secret_of(real) not in stored
    typed_all = [*CODE_VARIANTS, *variants_of(real), CODE, real]
    database = bot.runtime.database
    assert await tables_holding(database.engine, database._sealer, typed_all) == {}
    assert log_lines_holding(caplog.records, typed_all) == []
    # Control: the search finds what was typed; the question is still open for an answer.
    assert "Wat zei hij precies?" in await bot.stored_texts()
    answered = await bot.say("UANNA", "Dat weet ik niet meer precies.")
    assert "je antwoord is doorgegeven" in text_of(answered.blocks)
    await bot.in_thread(card, "Dat weet ik niet meer precies.")


def shows(message: Posted) -> str:
    return text_of(message.blocks)


REPORTERS = [f"UREPORTER{n}" for n in range(1, 6)]
COLLEAGUES = [f"UCOLLEAGUE{n}" for n in range(1, 4)]


async def undelivered(bot: Meldbot) -> tuple[int, int, int]:
    """Messages still to deliver, given up, and delivered ones still holding a payload."""
    async with bot.runtime.database.engine.connect() as connection:
        counts = await connection.execute(
            text(
                "SELECT"
                " sum(CASE WHEN sent_at IS NULL AND NOT abandoned THEN 1 ELSE 0 END),"
                " sum(CASE WHEN abandoned THEN 1 ELSE 0 END),"
                " sum(CASE WHEN payload_sealed IS NOT NULL THEN 1 ELSE 0 END)"
                " FROM outbox"
            )
        )
        waiting, abandoned, payloads = counts.one()
    return int(waiting or 0), int(abandoned or 0), int(payloads or 0)


async def test_every_receipt_and_code_reaches_its_dm_once_while_slack_fails(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    forms = {user: await bot.command(user) for user in REPORTERS}
    for user in COLLEAGUES:
        await bot.press(user, await bot.say(user, "hoi"), "consult.start")
        forms[user] = await bot.opened_form()
    await bot.settle()

    # Slack fails: HTTP 500 for 4 s, then 429 with Retry-After for 3 s (the 25 s
    # and 20 s, shortened).
    outage = fake_slack.outage(server_error=4.0, rate_limited=3.0)
    story = "{user}: een klant schreeuwde tegen me en sloeg met zijn vuist op de balie."
    answers = await asyncio.gather(
        *(
            bot.submit(user, forms[user], {"narrative": story.format(user=user), "danger": "no"})
            for user in REPORTERS
        ),
        *(
            bot.submit(user, forms[user], {"situation": DOUBT, "notify": "no"})
            for user in COLLEAGUES
        ),
    )
    answered = time.monotonic()
    assert answered < outage.ends, "every form was answered while Slack was failing"
    assert all(a["response_action"] == "update" for a in answers), "answered in place"
    # In place: the receipt or code itself, or (when saving took longer than Slack waits)
    # that it is being saved; never anything else, and the DM has it either way.
    shown = {
        user: text_of(answer["view"])
        for user, answer in zip([*REPORTERS, *COLLEAGUES], answers, strict=True)
    }
    for user in REPORTERS:
        assert "Je melding is ontvangen" in shown[user] or SAVING in shown[user]
    for user in COLLEAGUES:
        assert CODE_SHAPE.search(shown[user]) or SAVING in shown[user]

    def receipt_of(user: str) -> str | None:
        found = [m for m in bot.dm(user) if "Je melding is ontvangen" in shows(m)]
        return next(w for w in shows(found[0]).split() if w.startswith("M-")) if found else None

    def code_of(user: str) -> str | None:
        found = [CODE_SHAPE.search(shows(m)) for m in bot.dm(user)]
        return next((f.group() for f in found if f), None)

    def arrived() -> bool:
        receipts = all(receipt_of(u) for u in REPORTERS)
        return receipts and all(code_of(u) for u in COLLEAGUES)

    await until(arrived, "every receipt and code in its DM", seconds=60)
    delivered = time.monotonic()
    references = {user: str(receipt_of(user)) for user in REPORTERS}
    codes = {user: str(code_of(user)) for user in COLLEAGUES}
    for user in REPORTERS:
        assert SAVING in shown[user] or references[user] in shown[user], "the same report"
    for user in COLLEAGUES:
        assert SAVING in shown[user] or codes[user] in shown[user], "the same code"
    deadline = delivered + 60
    while await undelivered(bot) != (0, 0, 0):
        assert time.monotonic() < deadline, f"still undelivered: {await undelivered(bot)}"
        await asyncio.sleep(0.2)
    await bot.settle()
    print(
        f"\nmeldbot slack outage: 8 forms answered in place {answered - outage.start:.1f} s "
        f"into it; every DM reached {delivered - outage.ends:+.1f} s after it ended; "
        f"{sum(1 for c in fake_slack.calls if not c.ok)} calls failed"
    )

    for user in REPORTERS:
        [receipt] = bot.dm(user)
        assert references[user] in shows(receipt) and "Je melding is ontvangen" in receipt.text
    for user in COLLEAGUES:
        menu, issued = bot.dm(user)
        assert code_in(issued) == codes[user] and "consult.start" in buttons(menu.blocks)
    cards = "\n".join(text_of(c.blocks) for c in bot.cards())
    assert len(bot.cards()) == 8, "one card per report and per consultation"
    assert all(cards.count(references[u]) == 1 for u in REPORTERS)
    assert all(cards.count(f"· {codes[u][:4]}") == 1 for u in COLLEAGUES)
    failed = {(c.method, c.status) for c in fake_slack.calls if not c.ok}
    assert {("chat.postMessage", 500), ("chat.postMessage", 429)} <= failed
    assert {("conversations.open", 500)} <= failed or {("conversations.open", 429)} <= failed
