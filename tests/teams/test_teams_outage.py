"""End to end on Teams: nothing is lost while Microsoft's Bot Connector is down.

The fake connector answers every request with 503 for a few seconds, then with 429 and a
Retry-After for a few more (the issue's 25 s + 20 s, shortened). Meanwhile five staff
members send the report form and three colleagues the anonymous consultation form. Each
form is answered in its own place, in the invoke's answer, which needs no connector; each
receipt and each code then reaches its person's chat through the outbox once the connector
is back, exactly once, and every case and consultation has exactly one card.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from tests.fakes.teams_payloads import TeamsUser
from tests.teams.anonymity_support import CODE, TeamsMeldbot, receipt_code
from tests.teams.conftest import MakeBot
from tests.teams.intake_support import holds_code, reference_in, settled, unsealed
from tests.teams.support import card_of, text_of
from tests.waiting import until

UNAVAILABLE_SECONDS = 4.0  # HTTP 503
THROTTLED_SECONDS = 4.0  # then HTTP 429 with Retry-After
RETRY_AFTER = 1
REPORTERS = [TeamsUser(f"29:melder{i}", f"Melder {i}", f"aad-melder-000{i}") for i in range(5)]
COLLEAGUES = [TeamsUser(f"29:collega{i}", f"Collega {i}", f"aad-collega-00{i}") for i in range(3)]


def chat_id(bot: TeamsMeldbot, user: TeamsUser) -> str:
    return str(bot.teams.personal(user)["id"])


def showing(bot: TeamsMeldbot, user: TeamsUser, words: str) -> list[dict[str, Any]]:
    return [m for m in bot.chat(user) if words in text_of(card_of(m))]


async def report(bot: TeamsMeldbot, user: TeamsUser, menu: dict[str, Any]) -> str:
    """The report form from the menu, sent; the reference its answer shows in its place."""
    opened = await bot.press(user, menu, "report.start")
    story = {"narrative": f"{user.name}: een klant schold mij uit aan de balie."}
    answer = await bot.fill(user, menu, opened, story)
    assert "Je melding is ontvangen" in text_of(answer["value"])
    return reference_in(text_of(answer["value"]))


async def consult(bot: TeamsMeldbot, user: TeamsUser, menu: dict[str, Any]) -> str:
    """The consultation form from the menu, sent; the code its answer shows in its place."""
    opened = await bot.press(user, menu, "consult.start")
    question = {"situation": "Een klant blijft bellen. Is dat erg genoeg?", "notify": "no"}
    answer = await bot.fill(user, menu, opened, question)
    found = CODE.search(text_of(answer["value"]))
    assert found is not None, answer
    return found.group(0)


async def test_every_receipt_and_code_reaches_its_chat_once_after_an_outage(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot()
    menus = {u.id: await bot.say(u, "hoi", "Anoniem melden") for u in REPORTERS + COLLEAGUES}
    await settled(bot)
    mark, began = len(bot.fake.calls), time.monotonic()
    bot.fake.fail_for(503, UNAVAILABLE_SECONDS)
    bot.fake.fail_for(429, THROTTLED_SECONDS, after=UNAVAILABLE_SECONDS, retry_after=RETRY_AFTER)

    # Everyone at once, as in a busy hour.
    sent = await asyncio.gather(
        *(report(bot, u, menus[u.id]) for u in REPORTERS),
        *(consult(bot, u, menus[u.id]) for u in COLLEAGUES),
    )
    answered = time.monotonic() - began
    references = {u.id: found for u, found in zip(REPORTERS, sent[: len(REPORTERS)], strict=True)}
    codes = {u.id: found for u, found in zip(COLLEAGUES, sent[len(REPORTERS) :], strict=True)}
    # The forms were answered while the connector was refusing everything.
    assert [u.name for u in REPORTERS + COLLEAGUES if bot.chat(u) != [menus[u.id]]] == []

    def delivered() -> bool:
        receipts = all(showing(bot, u, references[u.id]) for u in REPORTERS)
        return receipts and all(showing(bot, u, codes[u.id]) for u in COLLEAGUES)

    await until(delivered, "every receipt and code in its chat", seconds=60)
    arrived = time.monotonic() - began
    await settled(bot)
    statuses = [call.status for call in bot.fake.calls[mark:]]
    print(
        f"\nmeldbot teams outage: {len(REPORTERS) + len(COLLEAGUES)} forms answered in place "
        f"in {answered:.1f} s; all in their chats after {arrived:.1f} s "
        f"(503 ×{statuses.count(503)}, 429 ×{statuses.count(429)})"
    )

    for user in REPORTERS:
        [receipt] = showing(bot, user, "Je melding is ontvangen")
        assert references[user.id] in text_of(card_of(receipt))
    for user in COLLEAGUES:
        [message] = showing(bot, user, codes[user.id])
        assert receipt_code(message) == codes[user.id]
    assert statuses.count(503) and statuses.count(429), "both kinds of outage were met"
    for user in REPORTERS + COLLEAGUES:
        sends = [c.status for c in bot.fake.calls[mark:] if c.conversation_id == chat_id(bot, user)]
        assert sends.count(201) == 1, (user.name, sends)  # the connector took one message
    shown = [text_of(card_of(root)) for root in bot.roots()]
    for reference in references.values():
        assert len([s for s in shown if f"Melding {reference}" in s]) == 1
    for code in codes.values():
        assert len([s for s in shown if f"Anonieme collega · {code[:4]}" in s]) == 1
    kept = await unsealed(bot)
    assert [c for c in codes.values() if holds_code(kept, c.split("-")[1:])] == [], (
        "a code's sealed copy is wiped once it reached the chat"
    )
