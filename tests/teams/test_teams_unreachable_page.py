"""On Teams, meldbot cannot write first to someone it has no conversation reference for:
a page to such an on-call person is said in the case thread at once, escalates at once,
and is counted."""

from __future__ import annotations

from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.app import create_app
from bot.oncall.rota import OnCallPerson, OnCallRota
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID
from tests.teams.anonymity_support import MakeClient, signed_outbound
from tests.teams.support import CHRIS, NOOR, card_of, make_settings, text_of
from tests.teams.test_teams_minimal_channel import Clock, Coordination, urgent_report


def _pages(body: str) -> dict[str, float]:
    return {
        sample.labels["outcome"]: sample.value
        for family in text_string_to_metric_families(body)
        if family.name == "meldbot_pages"
        for sample in family.samples
    }


async def test_a_page_to_someone_meldbot_cannot_reach_is_said_in_the_thread_and_escalates(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_outbound(monkeypatch)
    # Neither Chris (on call) nor Noor (backup) has ever chatted with meldbot.
    rota = OnCallRota(
        rotation=[OnCallPerson(id=CHRIS.aad_object_id, name="Chris")],
        backup=OnCallPerson(id=NOOR.aad_object_id, name="Noor"),
    )
    settings = make_settings(
        fake,
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        public_url="https://meldbot.example.org",
        oncall=rota,
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    bot = Coordination(await aiohttp_client(app), app, fake, issuer)
    bot.clock = clock
    reference = await urgent_report(bot)
    root = await bot.root_showing(f"Report {reference}")

    # No clock moves: all of this comes at once, not when the escalation timer is due.
    failed = await bot.note_showing(root, "could not be delivered. meldbot pages the backup")
    said = text_of(card_of(failed))
    assert "Call" in said and "by phone" in said
    assert "only to someone who has chatted with it once" in said
    assert "does not let meldbot notify everyone in a channel" in said
    await bot.note_showing(root, "Nobody has answered the page.")
    backup = await bot.note_showing(root, "The page to the backup")
    assert "could not be delivered either" in text_of(card_of(backup))
    assert bot.chat(CHRIS) == [] and bot.chat(NOOR) == [], "no personal chat was made up"

    ready = await bot.sender.client.get("/readyz")  # a token from the authority: Teams is up
    assert (await ready.json())["checks"] == {"database": "ok", "teams": "ok"}
    answer = await bot.sender.client.get("/metrics")
    pages = _pages(await answer.text())
    assert pages["failed"] == 2 and pages["escalated"] == 1 and pages["sent"] == 0
