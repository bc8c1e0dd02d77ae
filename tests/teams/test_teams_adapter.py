"""The Teams adapter's own duties: throttling, Teams' time limit, joins, foreign card data."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from adapters.teams import render
from adapters.teams.adapter import TeamsAdapter
from bot.events import ActionInvoked, Address, MembersJoined
from bot.ports import DeliveryError
from bot.ui import Actions, Button, Message, Response, Text
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsBot, TeamsPayloads
from tests.slack.support import StubCore
from tests.teams.conftest import MemoryBook
from tests.teams.support import (
    CHRIS,
    COORDINATION,
    COORDINATOR_CHANNEL,
    MIA,
    NOOR,
    StaticTokens,
    TeamsSender,
    make_settings,
)
from tests.waiting import until

HELLO = Message("Hallo", [Text.of("Hallo")])
CHAT = Address("teams", "a:1-mia-chat", personal=True)


@pytest.mark.parametrize("status", [429, 412, 502, 504])
async def test_throttled_sends_are_retried_until_they_go_through(
    status: int, adapter: TeamsAdapter, fake: FakeBotConnector
) -> None:
    fake.fail_next(status, times=2, retry_after=0.05 if status == 429 else None)

    ref = await adapter.messenger.send(CHAT, HELLO)

    sends = [call for call in fake.calls if call.path.endswith("/activities")]
    assert [call.status for call in sends] == [status, status, 201]
    assert ref.message_id == fake.sent[-1]["id"]


async def test_a_long_retry_after_goes_back_to_the_outbox(
    adapter: TeamsAdapter, fake: FakeBotConnector
) -> None:
    fake.fail_next(429, retry_after=120)

    with pytest.raises(DeliveryError) as raised:
        await adapter.messenger.send(CHAT, HELLO)

    assert raised.value.retry_after == 120 and not raised.value.permanent
    assert len(fake.calls) == 1  # not waited on here: the outbox comes back later


async def test_a_slow_core_still_gets_an_answer_in_time_and_its_reply_later(
    adapter: TeamsAdapter,
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    adapter.turns.invoke_budget = 0.2
    slow = core.__call__

    async def slow_core(event: Any) -> Response:
        await asyncio.sleep(0.6)
        return await slow(event)

    adapter.turns._handler = slow_core  # the handler the composition root would give
    core.answer = lambda _event: Response(messages=[HELLO])
    data = {"meldbot": 1, "kind": "button", "action": "menu.mine", "value": ""}
    invoke = payloads.card_action_invoke(data, "meldbot.button", "1000001", user=MIA)

    started = time.perf_counter()
    response = await teams.post(invoke, issuer.authorization(BOT_APP_ID, service_url=fake.url))
    answered = time.perf_counter() - started

    body = await response.json()
    assert response.status == 200 and answered < 0.5
    assert body["type"] == "application/vnd.microsoft.activity.message"
    [reply] = await fake.wait_for_sent(seconds=3)
    assert reply["summary"] == "Hallo"
    [event] = core.events
    assert isinstance(event, ActionInvoked) and event.action_id == "menu.mine"


async def test_foreign_card_data_is_answered_without_asking_the_core(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    invoke = payloads.card_action_invoke({"approve": True}, "approve", "1000001", user=MIA)
    response = await teams.post(invoke, issuer.authorization(BOT_APP_ID, service_url=fake.url))
    body = await response.json()
    assert response.status == 200 and body["statusCode"] == 200
    assert "no longer works" in body["value"]
    assert core.events == []


async def test_a_button_pressed_through_the_submit_fallback_reaches_the_core(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    core.answer = lambda _event: Response(messages=[HELLO])
    data = {"meldbot": 1, "kind": "button", "action": "menu.mine", "value": "7"}
    message = payloads.personal_message(user=MIA, value=data)
    response = await teams.post(message, issuer.authorization(BOT_APP_ID, service_url=fake.url))
    assert response.status == 202
    [event] = await core.wait()
    assert isinstance(event, ActionInvoked) and (event.action_id, event.value) == ("menu.mine", "7")
    await fake.wait_for_sent()


async def test_members_added_to_a_team_reach_the_core_and_the_team_is_recorded(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
    book: MemoryBook,
) -> None:
    fake.add_team(COORDINATION, members=[CHRIS, NOOR])
    headers = issuer.authorization(BOT_APP_ID, service_url=fake.url)

    added = payloads.conversation_update(members_added=[TeamsBot(), NOOR], team=COORDINATION)
    assert (await teams.post(added, headers)).status == 202

    [event] = await core.wait()
    assert isinstance(event, MembersJoined)
    assert event.bot_added and event.team == COORDINATION.id
    assert [member.user_id for member in event.members] == [NOOR.aad_object_id]
    team = await until(
        lambda: (book.entries.get(("teams", f"team:{COORDINATION.id}")) or {}).get("channels"),
        "the team's channels recorded",
    )
    assert COORDINATION.id in [channel["id"] for channel in team]
    assert book.entries[("teams", f"team:{COORDINATION.id}")]["name"] == "Meldpunt"


async def test_only_coordinators_on_the_roster_count_when_none_are_configured(
    fake: FakeBotConnector, issuer: OpenIdIssuer, core: StubCore, book: MemoryBook
) -> None:
    settings = make_settings(
        fake,
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        teams_coordinators=[],
    )
    adapter = TeamsAdapter(settings, core, book, connections=StaticTokens())
    fake.set_members(COORDINATOR_CHANNEL.id, [CHRIS])

    assert await adapter.messenger.is_coordinator(CHRIS.aad_object_id)
    assert not await adapter.messenger.is_coordinator(NOOR.aad_object_id)
    assert len([c for c in fake.calls if "members" in c.path.lower()]) == 1  # cached


def test_buttons_render_as_execute_actions_with_a_submit_fallback() -> None:
    card = render.message_card(Message("x", [Text.of("x")]))
    assert card["version"] == "1.5"
    with_button = render.message_card(Message("x", [Actions([Button("Ja", "a.b", "1")])]))
    assert "Action.Execute" in str(with_button) and "Action.Submit" in str(with_button)


async def test_a_persons_messages_are_handled_in_the_order_they_sent_them(
    adapter: TeamsAdapter,
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    """Each message is answered at once (202) and handled after; while the first is still
    in the core, the second waits for it, and another person's does not."""
    release = asyncio.Event()
    order: list[str] = []

    async def core_slow_for_the_first(event: Any) -> Response:
        text = getattr(event, "text", "")
        order.append(f"start {text}")
        if text == "eerste":
            await release.wait()
        order.append(f"end {text}")
        return await core(event)

    adapter.turns._handler = core_slow_for_the_first  # the handler the composition root gives
    authorization = issuer.authorization(BOT_APP_ID, service_url=fake.url)
    for text, user in (("eerste", MIA), ("tweede", MIA), ("van noor", NOOR)):
        response = await teams.post(payloads.personal_message(text, user=user), authorization)
        assert response.status == 202
    await until(lambda: "end van noor" in order or None, "another person's message, meanwhile")
    assert "start tweede" not in order, "Mia's second message waits for her first"
    release.set()
    await until(lambda: "end tweede" in order or None, "her second message, after")
    assert order.index("end eerste") < order.index("start tweede")
