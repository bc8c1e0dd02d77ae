"""A letter reaches the invited manager on Teams, through the Microsoft 365 Agents SDK with
the Bot Connector faked at its HTTP edge. Teams lets a bot put a file in a personal chat
only through the file consent card and the user's OneDrive, so even with
``channel_content = "full"`` the manager gets a download link served by meldbot — one
Adaptive Card, no attachment — and never the letter's text."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.app import RUNTIME, create_app
from bot.case.models import MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.letters.config import LetterSettings
from bot.letters.values import Filled
from bot.manager.models import Invitee
from bot.measures.models import Plan
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsBot, TeamsUser
from tests.teams.anonymity_support import MakeClient, TeamsMeldbot, signed_outbound
from tests.teams.support import CHRIS, OUTBOUND_TOKEN, card_of, make_settings, text_of
from tests.waiting import until

ANNA = TeamsUser("29:1AnnaMerelQ8wz", "Anna Merelzang", "aad-anna-merel-0007")
MAX = TeamsUser("29:1MaxBuizerd3kd", "Max Buizerd", "aad-max-buizerd-0008")
EXCERPT = "De klant riep bij de buizerdbalie: ik weet waar je woont."
PUBLIC_URL = "https://meldbot.example.org"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(require_token=OUTBOUND_TOKEN, bot=TeamsBot()) as connector:
        yield connector


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as openid:
        yield openid


async def test_full_on_teams_is_a_download_link(
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
        channel_content="full",
        organisation="Gemeente Voorbeeld",
        letters=LetterSettings(address="Markt 1", house_rules="Respect.", objection="-"),
    )
    app = await create_app(settings)
    bot = TeamsMeldbot(await aiohttp_client(app), app, fake, issuer)
    runtime = app[RUNTIME]
    for user in (ANNA, MAX):  # meldbot may write to them later
        await bot.say(user, "hoi", "Report")
    report = NewReport(f"{EXCERPT} Toen sloeg hij.", manager_consent=True)
    case = await runtime.cases.report(report, Reporter("teams", ANNA.aad_object_id, ANNA.name))
    assert runtime.measures and runtime.managers and runtime.letter_sending
    chris = Actor("teams", CHRIS.aad_object_id, CHRIS.name)
    plan = Plan(MeasureKind.WARNING_LETTER, "Leidinggevende")
    measure = await runtime.measures.advise(chris, case.id, plan)
    manager = Invitee(f"teams:{MAX.aad_object_id}", MAX.name)
    invitation = await runtime.managers.invite(chris, case.id, measure.id, manager, "-")
    filled = Filled(EXCERPT, incident_on=date(2026, 2, 27))
    await runtime.letter_sending.send(chris, case.id, measure.id, filled, secrets.token_urlsafe(24))
    await runtime.outbox.settle()

    [letter] = await until(
        lambda: [m for m in bot.chat(MAX) if "A letter for you to send" in text_of(card_of(m))],
        "the letter's card in Max's chat",
    )
    card = card_of(letter)
    assert f"{PUBLIC_URL}/console/uitgenodigd/{invitation.id}/brief" in str(card)
    assert EXCERPT not in str(letter), "the letter's text stays in the file"
    assert all(
        a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        for a in letter.get("attachments", [])
    ), "no file attachment: Teams would need the file consent card"
