"""Which conversation references reach the database: channels and teams always, people only
when meldbot must write to them later (anyone may talk to meldbot anonymously)."""

from __future__ import annotations

import json
from typing import Any

from adapters.teams.adapter import TeamsAdapter
from bot.ui import Message, Text
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsPayloads, TeamsUser
from tests.slack.support import StubCore
from tests.teams.conftest import MemoryBook
from tests.teams.support import (
    CHRIS,
    COORDINATION,
    COORDINATOR_CHANNEL,
    MIA,
    StaticTokens,
    TeamsSender,
    make_settings,
)

HELLO = Message("Hallo", [Text.of("Hallo")])


def traces_of(user: TeamsUser, payloads: TeamsPayloads, book: MemoryBook) -> list[str]:
    """The book's keys whose key or reference names this person or their personal chat."""
    ids = (user.aad_object_id, user.id, payloads.personal(user)["id"])
    return [
        key
        for (_platform, key), reference in book.entries.items()
        if any(i in key or i in json.dumps(reference) for i in ids)
    ]


async def post(teams: TeamsSender, issuer: OpenIdIssuer, activity: dict[str, Any]) -> None:
    signed = issuer.authorization(BOT_APP_ID, service_url=activity["serviceUrl"])
    response = await teams.post(activity, signed)
    assert response.status in (200, 202)


def restarted(
    fake: FakeBotConnector, issuer: OpenIdIssuer, core: StubCore, book: MemoryBook
) -> TeamsAdapter:
    """A new adapter over the same book: nothing held in memory survives."""
    settings = make_settings(
        fake, teams_client_id=BOT_APP_ID, teams_openid_metadata=issuer.metadata_url
    )
    return TeamsAdapter(settings, core, book, connections=StaticTokens())


async def test_a_personal_chat_leaves_nothing_in_the_book_but_is_answered(
    adapter: TeamsAdapter,
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
    book: MemoryBook,
) -> None:
    await post(teams, issuer, payloads.personal_message("hallo", user=MIA))
    await post(teams, issuer, payloads.conversation_update(user=MIA))  # installed 1:1
    await core.wait(2)

    assert traces_of(MIA, payloads, book) == []
    # Held in memory, so this process can still answer her.
    chat = await adapter.messenger.personal_address(MIA.aad_object_id)
    await adapter.messenger.send(chat, HELLO)
    assert [m["summary"] for m in fake.activities(payloads.personal(MIA)["id"])] == ["Hallo"]


async def test_a_kept_person_is_reached_after_a_restart(
    adapter: TeamsAdapter,
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
    book: MemoryBook,
) -> None:
    await post(teams, issuer, payloads.personal_message("meld", user=MIA))
    await core.wait()

    await adapter.messenger.keep_address(MIA.aad_object_id)

    chat_id = payloads.personal(MIA)["id"]
    kept = book.entries[("teams", f"user:{MIA.aad_object_id}")]
    assert kept == {
        "service_url": fake.url,
        "tenant_id": payloads.tenant_id,
        "conversation": chat_id,
    }
    assert book.entries[("teams", f"conversation:{chat_id}")]["service_url"] == fake.url
    second = restarted(fake, issuer, core, book)
    await second.messenger.send(await second.messenger.personal_address(MIA.aad_object_id), HELLO)
    assert [m["summary"] for m in fake.activities(chat_id)] == ["Hallo"]


async def test_keeping_a_person_twice_writes_once(
    adapter: TeamsAdapter,
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    payloads: TeamsPayloads,
    core: StubCore,
    book: MemoryBook,
) -> None:
    await post(teams, issuer, payloads.personal_message("meld", user=MIA))
    await core.wait()

    await adapter.messenger.keep_address(MIA.aad_object_id)
    await post(teams, issuer, payloads.personal_message("nog een", user=MIA))
    await core.wait(2)
    await adapter.messenger.keep_address(MIA.aad_object_id)

    chat_id = payloads.personal(MIA)["id"]
    assert sorted(book.writes) == sorted([f"user:{MIA.aad_object_id}", f"conversation:{chat_id}"])


async def test_nobody_seen_in_a_personal_chat_is_nothing_to_keep(
    adapter: TeamsAdapter, book: MemoryBook
) -> None:
    await adapter.messenger.keep_address(MIA.aad_object_id)
    assert book.entries == {}


async def test_channels_and_teams_are_kept_from_every_activity(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
    book: MemoryBook,
) -> None:
    message = payloads.channel_message("hallo", user=CHRIS, team=COORDINATION)
    await post(teams, issuer, message)
    await core.wait()

    channel = book.entries[("teams", f"conversation:{COORDINATION.id}")]
    assert channel == {"service_url": fake.url, "tenant_id": payloads.tenant_id}
    team = book.entries[("teams", f"team:{COORDINATION.id}")]
    assert team["name"] == "Meldpunt" and team["service_url"] == fake.url

    # The same fake under another name: Teams moved this team to another service URL.
    moved_to = fake.url.replace("127.0.0.1", "localhost")
    moved = TeamsPayloads(moved_to, payloads.tenant_id)
    reply = moved.channel_message(
        "en nu", user=CHRIS, team=COORDINATION, channel=COORDINATOR_CHANNEL
    )
    await post(teams, issuer, reply)
    await core.wait(2)
    channel_now = book.entries[("teams", f"conversation:{COORDINATOR_CHANNEL.id}")]
    assert channel_now["service_url"] == moved_to
    assert book.entries[("teams", f"team:{COORDINATION.id}")]["service_url"] == moved_to
