"""End to end: the real meldbot (composition root, dialogs, SQLite) against a fake Bot Connector.

A report from a personal chat produces the root card in the coordinator channel (a new
conversation there), its thread and the reporter's feedback, as the Slack scenario does;
a claim by someone who is not a coordinator is refused and changes nothing. Only a named
reporter's personal chat reaches the database; someone who merely talks to meldbot leaves
no trace there.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, cast

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import RUNTIME, create_app
from bot.events import Platform
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_payloads import TeamsBot, TeamsPayloads, TeamsUser
from tests.teams.support import (
    BRAM,
    CHRIS,
    COORDINATION,
    COORDINATOR_CHANNEL,
    MIA,
    NOOR,
    TeamsSender,
    action,
    card_of,
    has_action,
    make_settings,
    submit,
    text_of,
)
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
NARRATIVE = "Een klant schreeuwde **<at>iedereen</at>** & dreigde [hier](https://evil.example) mee."


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(bot=TeamsBot()) as connector:
        yield connector


class Meldbot:
    """One running meldbot and the Teams people who talk to it."""

    def __init__(self, sender: TeamsSender, fake: FakeBotConnector, app: web.Application):
        self.sender, self.fake, self.app = sender, fake, app
        self.teams = TeamsPayloads(fake.url)

    async def say(self, user: TeamsUser, words: str) -> None:
        response = await self.sender.post(self.teams.personal_message(words, user=user))
        assert response.status in (200, 202)

    async def press(
        self, user: TeamsUser, data: dict[str, Any], verb: str, card_id: str, in_channel: bool
    ) -> dict[str, Any]:
        conversation = (
            self.teams.channel_thread(COORDINATOR_CHANNEL, card_id) if in_channel else None
        )
        invoke = self.teams.card_action_invoke(
            data,
            verb,
            card_id,
            conversation=conversation,
            user=user,
            team=COORDINATION,
            channel=COORDINATOR_CHANNEL if in_channel else None,
        )
        response = await self.sender.post(invoke)
        assert response.status == 200
        body: dict[str, Any] = await response.json()
        assert body["statusCode"] == 200
        return body

    def chat(self, user: TeamsUser) -> list[dict[str, Any]]:
        return self.fake.activities(self.teams.personal(user)["id"])

    def roots(self) -> list[dict[str, Any]]:
        """The root cards in the coordinator channel, as they stand now (updates applied)."""
        posts = self.fake.activities(COORDINATOR_CHANNEL.id)
        return [post for post in posts if self.fake.thread(post["id"])[:1] == [post]]

    def thread(self, root: dict[str, Any]) -> list[dict[str, Any]]:
        return self.fake.thread(root["id"])[1:]


async def start(
    tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient, **overrides: Any
) -> Meldbot:
    settings = make_settings(
        fake,
        database_url=overrides.pop("database_url", None)
        or f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=overrides.pop("seal_key", None) or new_key(),
        **overrides,
    )
    app = await create_app(settings)
    return Meldbot(TeamsSender(await aiohttp_client(app)), fake, app)


@pytest.fixture
async def meldbot(tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient) -> Meldbot:
    """The channel shows the content ("full"): these tests show how it is shown there."""
    return await start(tmp_path, fake, aiohttp_client, channel_content="full")


async def report_through_the_form(meldbot: Meldbot, user: TeamsUser, story: str) -> str:
    """Types 'meld', fills in the form card, sends it; returns the receipt's reference."""
    await meldbot.say(user, "meld")
    form = card_of((await until(lambda: meldbot.chat(user), "the report form"))[-1])
    form_message = meldbot.chat(user)[-1]["id"]
    answer = await meldbot.press(
        user,
        submit(form, {"narrative": story, "location": "Balie stadhuis"}),
        action(form, "form")["verb"],
        form_message,
        in_channel=False,
    )
    # The form is closed in place, so it cannot be sent twice.
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "meldbot.form" not in str(answer["value"])
    receipt = await until(
        lambda: [m for m in meldbot.chat(user) if "has been received" in text_of(card_of(m))],
        "the receipt",
    )
    found = re.search(r"M-\d{4}-\d{4}", text_of(card_of(receipt[0])))
    assert found is not None
    return found.group(0)


async def test_report_from_a_personal_chat_reaches_the_channel_and_comes_back(
    meldbot: Meldbot,
) -> None:
    started = time.perf_counter()
    reference = await report_through_the_form(meldbot, MIA, NARRATIVE)

    [root] = await until(meldbot.roots, "the root card in the coordinator channel")
    alerted = (time.perf_counter() - started) * 1000
    print(f"\nmeldbot teams: form submit → channel alert in {alerted:.0f} ms")
    card = card_of(root)
    assert reference in text_of(card)
    assert NARRATIVE in text_of(card)  # shown literally ...
    assert "<at>iedereen" not in json.dumps(card, ensure_ascii=False)  # ... never as a tag
    mentions = card.get("msteams", {}).get("entities", [])
    assert [m["mentioned"]["id"] for m in mentions] == [MIA.aad_object_id]  # ... only Mia tagged
    [full] = await until(lambda: meldbot.thread(root), "the full report in the thread")
    assert NARRATIVE in text_of(card_of(full))

    claimed = await meldbot.press(
        CHRIS,
        action(card, "button", "case.claim")["data"],
        "meldbot.button",
        root["id"],
        in_channel=True,
    )
    assert claimed["type"] == "application/vnd.microsoft.card.adaptive"
    updated = await until(
        lambda: meldbot.fake.updates and meldbot.roots()[0], "the root card updated in place"
    )
    assert not has_action(card_of(updated), "case.claim")
    assert "Chris" in text_of(card_of(updated))
    notes = await until(lambda: meldbot.thread(root)[1:], "the claim note in the thread")
    assert "claimed this case" in text_of(card_of(notes[0]))
    feedback = await until(
        lambda: [m for m in meldbot.chat(MIA) if "picked up your report" in text_of(card_of(m))],
        "feedback in Mia's personal chat",
    )
    assert reference in text_of(card_of(feedback[0]))


async def test_a_typed_story_becomes_a_draft_that_one_button_sends(meldbot: Meldbot) -> None:
    await meldbot.say(BRAM, "Iemand volgde mij naar mijn auto.")
    [draft] = await until(lambda: meldbot.chat(BRAM), "the draft")
    send = action(card_of(draft), "button", "report.send")
    answer = await meldbot.press(BRAM, send["data"], send["verb"], draft["id"], in_channel=False)
    assert "has been received" in text_of(answer["value"])  # the draft replaced by the receipt
    [root] = await until(meldbot.roots, "the root card")
    [full] = await until(lambda: meldbot.thread(root), "the story in the thread")
    assert "Iemand volgde mij naar mijn auto." in text_of(card_of(full))


async def test_a_non_coordinator_cannot_claim(meldbot: Meldbot) -> None:
    await report_through_the_form(meldbot, MIA, "Ik werd uitgescholden.")
    [root] = await until(meldbot.roots, "the root card")
    await until(lambda: meldbot.thread(root), "the thread")
    await meldbot.fake.settle()
    calls, chat = len(meldbot.fake.calls), len(meldbot.chat(MIA))

    refused = await meldbot.press(
        NOOR,
        action(card_of(root), "button", "case.claim")["data"],
        "meldbot.button",
        root["id"],
        in_channel=True,
    )

    # Only Noor sees the refusal (the invoke answer); nothing is posted or changed.
    assert refused["type"] == "application/vnd.microsoft.activity.message"
    assert "Only coordinators can handle reports" in refused["value"]
    await meldbot.fake.settle(0.4)
    assert meldbot.fake.calls[calls:] == [] and meldbot.fake.updates == []
    assert len(meldbot.thread(root)) == 1 and len(meldbot.chat(MIA)) == chat


async def test_without_a_conversation_reference_the_thread_says_call_the_reporter(
    tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient
) -> None:
    key = new_key()
    first = await start(tmp_path, fake, aiohttp_client, seal_key=key)
    await report_through_the_form(first, MIA, "Er werd met een stoel gegooid.")
    [root] = await until(first.roots, "the root card")
    # Let the first instance finish its deliveries: a notification it holds when it stops
    # stays leased (and the case's later ones wait behind it) for a minute.
    await until(lambda: first.thread(root), "the full report in the thread")
    database = first.app[RUNTIME].database
    async with database.engine.begin() as connection:
        rows = await connection.execute(text("SELECT key_hash, key_sealed FROM platform_addresses"))
        people = [h for h, sealed in rows if database._sealer.unseal(sealed).startswith("user:")]
        for key_hash in people:
            await connection.execute(
                text("DELETE FROM platform_addresses WHERE key_hash = :h"), {"h": key_hash}
            )
    # A restart on the same database: nothing about Mia is cached any more.
    await first.sender.client.close()
    second = await start(tmp_path, fake, aiohttp_client, seal_key=key)

    await second.press(
        CHRIS,
        action(card_of(root), "button", "case.claim")["data"],
        "meldbot.button",
        root["id"],
        in_channel=True,
    )

    warning = await until(
        lambda: [n for n in second.thread(root) if "could not" in text_of(card_of(n)).lower()],
        "the undelivered-feedback note in the thread",
    )
    assert warning


async def test_bot_added_to_a_team_records_the_team_and_its_channels(meldbot: Meldbot) -> None:
    meldbot.fake.add_team(COORDINATION, members=[CHRIS, NOOR])
    update = meldbot.teams.conversation_update(team=COORDINATION, user=CHRIS)
    assert (await meldbot.sender.post(update)).status in (200, 202)
    database = meldbot.app[RUNTIME].database

    async def recorded() -> dict[str, Any] | None:
        return await database.recall("teams", f"team:{COORDINATION.id}")

    deadline = time.monotonic() + 5
    team: dict[str, Any] | None = None
    while time.monotonic() < deadline and not (team and team.get("channels")):
        team = await recorded()
    assert team is not None
    assert team["name"] == "Meldpunt" and team["service_url"] == meldbot.fake.url
    assert COORDINATOR_CHANNEL.id in [c["id"] for c in team["channels"]]


async def addresses(meldbot: Meldbot) -> dict[str, str]:
    """Every row of ``platform_addresses``: its key and its reference, unsealed, as text."""
    database = meldbot.app[RUNTIME].database
    async with database.engine.connect() as connection:
        rows = await connection.execute(text("SELECT platform, key_sealed FROM platform_addresses"))
        keys = [(cast(Platform, p), database._sealer.unseal(key) or "") for p, key in rows]
    return {key: json.dumps(await database.recall(platform, key)) for platform, key in keys}


def traces(rows: dict[str, str], meldbot: Meldbot, user: TeamsUser) -> list[str]:
    ids = (user.aad_object_id, user.id, meldbot.teams.personal(user)["id"])
    return [key for key, reference in rows.items() if any(i in key + reference for i in ids)]


async def test_only_a_named_reporter_is_kept_and_reached_after_a_restart(
    tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient, database_url: str
) -> None:
    key = new_key()
    first = await start(tmp_path, fake, aiohttp_client, seal_key=key, database_url=database_url)
    await first.say(BRAM, "Iemand volgde mij naar mijn auto.")
    await until(lambda: first.chat(BRAM), "Bram's draft")
    reference = await report_through_the_form(first, MIA, "Er werd met een stoel gegooid.")
    [root] = await until(first.roots, "the root card")
    await until(lambda: first.thread(root), "the full report in the thread")

    rows = await addresses(first)
    assert traces(rows, first, BRAM) == []  # Bram only talked to meldbot
    assert f"user:{MIA.aad_object_id}" in rows  # Mia reported by name: feedback must reach her
    # A restart on the same database: nothing held in memory survives.
    await first.sender.client.close()
    second = await start(tmp_path, fake, aiohttp_client, seal_key=key, database_url=database_url)

    await second.press(
        CHRIS,
        action(card_of(root), "button", "case.claim")["data"],
        "meldbot.button",
        root["id"],
        in_channel=True,
    )

    feedback = await until(
        lambda: [m for m in second.chat(MIA) if "picked up your report" in text_of(card_of(m))],
        "feedback in Mia's personal chat",
    )
    assert reference in text_of(card_of(feedback[0]))
    rows = await addresses(second)
    assert traces(rows, second, BRAM) == []
    assert f"conversation:{COORDINATOR_CHANNEL.id}" in rows  # where Chris pressed the button
