"""A burst far above what meldbot handles per second: 2,000 people write to it in the same
moment while 200 others send a report. Every request is acked (bolt's own 3 s: a form not
acked in time gets no 200), every report is stored once, every answer is sent once.

The real slack-bolt stack, composition root, dialogs and database (SQLite and PostgreSQL),
the fake Slack Web API at the edge.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import text

from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import dm_message, event_callback
from tests.slack.anonymity_support import text_of
from tests.slack.intake_support import MakeClient, Meldbot, start_meldbot
from tests.waiting import until

WRITERS = [f"UWRITER{n:04d}" for n in range(2000)]
REPORTERS = [f"UREPORTER{n:03d}" for n in range(200)]
STORY = "{user}: een bezoeker schreeuwde en gooide een stoel om bij de balie."
RECEIVED = "Je melding is ontvangen"
SAVING = "Wat je stuurde wordt opgeslagen"


def top_level_counts(fake: FakeSlack) -> Counter[str]:
    """How many messages each channel holds (not thread replies, not ephemeral)."""
    return Counter(
        m.channel for m in fake.messages if not m.ephemeral and m.thread_ts in (None, m.ts)
    )


def reference_in(shown: str) -> str:
    return next(word.strip(".,:") for word in shown.split() if word.startswith("M-"))


async def cases_stored(bot: Meldbot) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM cases"))).scalar_one())


async def test_a_burst_far_above_capacity_loses_nothing_and_answers_once(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    forms = [await bot.command(user) for user in REPORTERS]
    await bot.settle()

    async def write(n: int, user: str) -> int:
        body = event_callback(dm_message(user, "hoi", f"1700000500.{n:06d}"), f"EvBurst{n}")
        return (await bot.sender.post(body)).status

    async def report(user: str, form: tuple[dict[str, Any], str]) -> dict[str, Any]:
        return await bot.submit(user, form, {"narrative": STORY.format(user=user), "danger": "no"})

    started = time.monotonic()
    writes = [write(n, user) for n, user in enumerate(WRITERS)]
    reports = [report(user, form) for user, form in zip(REPORTERS, forms, strict=True)]
    statuses, answers = await asyncio.gather(asyncio.gather(*writes), asyncio.gather(*reports))
    acked = time.monotonic()
    assert statuses == [200] * len(WRITERS), "every DM acked"
    # Each form was acked in time (``submit`` asserts the 200), with the receipt or with
    # "being saved", never anything else.
    for answer in answers:
        shown = text_of(answer["view"]["blocks"])
        assert answer["response_action"] == "update" and (RECEIVED in shown or SAVING in shown)

    def every_one_answered() -> bool:
        counts = top_level_counts(fake_slack)
        return all(counts["D" + user] for user in [*WRITERS, *REPORTERS])

    await until(every_one_answered, "an answer in every DM", seconds=600)
    answered = time.monotonic()
    await bot.settle()
    counts = top_level_counts(fake_slack)
    assert {counts["D" + user] for user in [*WRITERS, *REPORTERS]} == {1}, "answered once"
    assert await cases_stored(bot) == len(REPORTERS), "every report stored once"
    cards = "\n".join(text_of(card.blocks) for card in bot.cards())
    assert len(bot.cards()) == len(REPORTERS), "one card per report"
    for user, answer in zip(REPORTERS, answers, strict=True):
        [receipt] = bot.dm(user)
        assert RECEIVED in receipt.text
        reference = reference_in(text_of(receipt.blocks))
        assert cards.count(reference) == 1, "its card, once"
        shown = text_of(answer["view"]["blocks"])
        assert SAVING in shown or reference_in(shown) == reference, "the same report"
    late = sum(SAVING in text_of(a["view"]["blocks"]) for a in answers)
    print(
        f"\nmeldbot burst: {len(WRITERS)} DMs + {len(REPORTERS)} reports acked in "
        f"{acked - started:.1f} s ({late} reports acked as being saved); every DM answered "
        f"{answered - started:.1f} s after the start"
    )
