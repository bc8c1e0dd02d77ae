"""The manager loop on Teams, end to end through the Microsoft 365 Agents SDK with the Bot
Connector faked at its HTTP edge (signed as Teams signs): the reporter's consent by
Action.Execute in their chat, the manager's invitation in their personal chat (minimal:
the measure, its guidance and a link, not what was shared), "Hoe ging het?" at its moment
and answered in its form card; someone else's answer is refused and nothing is saved."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.app import RUNTIME, create_app
from bot.case.models import EventKind, MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.manager.models import Invitee
from bot.measures.models import Plan
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsBot, TeamsUser
from tests.teams.anonymity_support import MakeClient, TeamsMeldbot, signed_outbound
from tests.teams.support import CHRIS, OUTBOUND_TOKEN, card_of, has_action, make_settings, text_of
from tests.waiting import until

ANNA = TeamsUser("29:1AnnaMerelQ8wz", "Anna Merelzang", "aad-anna-merel-0007")
MAX = TeamsUser("29:1MaxBuizerd3kd", "Max Buizerd", "aad-max-buizerd-0008")
NOOR = TeamsUser("29:1NoorSperwer9xx", "Noor Sperwer", "aad-noor-sperwer-0009")
SHARED = "De klant bij de buizerdbalie was boos; nodig hem uit voor een gesprek."
PUBLIC_URL = "https://meldbot.example.org"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(require_token=OUTBOUND_TOKEN, bot=TeamsBot()) as connector:
        yield connector


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as openid:
        yield openid


def _showing(bot: TeamsMeldbot, user: TeamsUser, words: str) -> list[dict[str, Any]]:
    return [m for m in bot.chat(user) if words in text_of(card_of(m))]


async def test_the_manager_loop_on_teams(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_outbound(monkeypatch)
    settings = make_settings(
        fake,
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        public_url=PUBLIC_URL,
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    bot = TeamsMeldbot(await aiohttp_client(app), app, fake, issuer)
    runtime = app[RUNTIME]
    for user in (ANNA, MAX, NOOR):  # meldbot may write to them later
        await bot.say(user, "hoi", "Report")
    case = await runtime.cases.report(
        NewReport("De klant sloeg op de buizerdbalie."),
        Reporter("teams", ANNA.aad_object_id, ANNA.name),
    )
    assert runtime.measures is not None and runtime.managers is not None
    chris = Actor("teams", CHRIS.aad_object_id, CHRIS.name)
    plan = Plan(MeasureKind.ORDER_TALK, "Leidinggevende", planned_on=date(2026, 3, 4))
    measure = await runtime.measures.advise(chris, case.id, plan)
    await runtime.managers.ask_consent(chris, case.id)
    await runtime.outbox.settle()

    [question] = await until(
        lambda: _showing(bot, ANNA, "Niets gebeurt zonder jouw ja"), "the question"
    )
    assert has_action(card_of(question), "consent.yes")
    answered = await bot.press(ANNA, question, "consent.yes")
    assert "coordinator may now involve your manager" in str(answered)
    manager = Invitee(f"teams:{MAX.aad_object_id}", MAX.name)
    invitation = await runtime.managers.invite(chris, case.id, measure.id, manager, SHARED)
    await runtime.outbox.settle()
    [invited] = await until(
        lambda: _showing(bot, MAX, "You are asked to carry out a measure"), "the invitation"
    )
    said = text_of(card_of(invited))
    assert "Talk with the citizen (ordegesprek)" in said and "Tips for you" in said
    assert "buizerd" not in said, "minimal: what was shared stays in meldbot"
    assert f"{PUBLIC_URL}/console/zaken/{case.reference}" in str(card_of(invited))

    clock.now = datetime(2026, 3, 5, 9, 1, tzinfo=UTC)
    await runtime.scheduler.tick()
    await runtime.outbox.settle()
    [how] = await until(lambda: _showing(bot, MAX, "How did it go?"), "Hoe ging het?")
    opened = await bot.press(MAX, how, "manager.not_done")
    assert opened["type"] == "application/vnd.microsoft.card.adaptive", opened
    note = "De burger kwam niet opdagen bij de buizerdafspraak."
    await bot.fill(NOOR, how, opened, {"answer": "not_done", "note": note})
    await until(lambda: _showing(bot, NOOR, "This question was not for you"), "the refusal")
    async with runtime.database.transaction() as tx:
        kinds = [e.kind for e in await tx.cases.events(case.id)]
    assert EventKind.MANAGER_NOT_DONE not in kinds, "someone else's answer saves nothing"
    await bot.fill(MAX, how, opened, {"answer": "not_done", "note": note})
    await until(lambda: _showing(bot, MAX, "your answer is with the meldpunt"), "the thanks")
    [stored] = await runtime.managers.invitations(chris, case.id)
    assert (stored.id, stored.answer_note) == (invitation.id, note)
