"""Onboarding through Teams: the real meldbot behind the Agents SDK, the fake Bot Connector.

A ``conversationUpdate`` with ``membersAdded`` in a team configured for onboarding makes
meldbot open a personal chat with the newcomer (``POST /v3/conversations`` with the
member's id and the tenant; Teams allows it because meldbot is installed in the team) and
send one welcome there. Joining again, other teams and bots get nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from bot.schedule.config import OnboardingChannel
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_payloads import TENANT_ID, Team, TeamsBot, TeamsPayloads, TeamsUser
from tests.privacy import tables_holding
from tests.teams.support import (
    BRAM,
    MIA,
    TeamsSender,
    card_of,
    make_settings,
    text_of,
)
from tests.teams.support import action as card_action
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
BALIE = Team(id="19:balie-general@thread.tacv2", name="Balie", aad_group_id="aad-team-balie")
KANTINE = Team(id="19:kantine-general@thread.tacv2", name="Kantine", aad_group_id="aad-kantine")
POLLY = TeamsBot(app_id="00000000-0000-4000-8000-0000000p0116", name="Pollbot")


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(bot=TeamsBot()) as connector:
        yield connector


class Meldbot:
    def __init__(self, sender: TeamsSender, fake: FakeBotConnector, app: web.Application):
        self.sender, self.fake, self.app = sender, fake, app
        self.teams = TeamsPayloads(fake.url)

    async def joined(self, team: Team, *members: TeamsUser | TeamsBot) -> None:
        update = self.teams.conversation_update(members_added=members, team=team, user=MIA)
        assert (await self.sender.post(update)).status in (200, 202)

    def welcomes(self, user: TeamsUser) -> list[dict[str, Any]]:
        chat = self.fake.activities(self.teams.personal(user)["id"])
        return [m for m in chat if "Welkom" in text_of(card_of(m))]

    def chats_opened(self) -> list[dict[str, Any]]:
        return [body for body in self.fake.created if not body.get("isGroup")]


@pytest.fixture
async def meldbot(tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient) -> Meldbot:
    settings = make_settings(
        fake,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        language="nl",
        onboarding=[OnboardingChannel(platform="teams", channel=BALIE.id)],
    )
    app = await create_app(settings)
    return Meldbot(TeamsSender(await aiohttp_client(app)), fake, app)


async def test_a_newcomer_in_a_configured_team_gets_one_welcome(meldbot: Meldbot) -> None:
    await meldbot.joined(BALIE, BRAM)
    [welcome] = await until(lambda: meldbot.welcomes(BRAM), "the welcome in Bram's chat")

    [opened] = meldbot.chats_opened()
    assert opened["members"] == [{"id": BRAM.id}]
    assert opened["tenantId"] == TENANT_ID
    card = card_of(welcome)
    assert "Twijfel je? Overleg gewoon" in text_of(card) and '"melden"' in text_of(card)
    assert card_action(card, "button", "report.start")
    assert card_action(card, "button", "consult.start")

    # joining again (a new team member event for the same person): nothing more
    await meldbot.joined(BALIE, BRAM)
    await meldbot.fake.settle(0.4)
    await meldbot.app[RUNTIME].outbox.settle()
    assert len(meldbot.welcomes(BRAM)) == 1
    assert len(meldbot.chats_opened()) == 1  # the chat is known now

    # the newcomer's chat is not kept once the welcome went out
    database = meldbot.app[RUNTIME].database
    chat_id = meldbot.teams.personal(BRAM)["id"]
    identifiers = [BRAM.id, BRAM.aad_object_id, chat_id]
    assert await tables_holding(database.engine, database._sealer, identifiers) == {}


async def test_other_teams_and_bots_get_nothing(meldbot: Meldbot) -> None:
    await meldbot.joined(KANTINE, BRAM)
    await meldbot.joined(BALIE, POLLY)
    await meldbot.joined(BALIE, TeamsBot())  # meldbot itself installed in the team
    await meldbot.fake.settle(0.4)
    await meldbot.app[RUNTIME].outbox.settle()
    assert meldbot.chats_opened() == []
    assert meldbot.fake.sent == []
