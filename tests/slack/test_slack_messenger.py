"""The Messenger port over the fake Web API: send, update, DMs, coordinators, failures."""

from __future__ import annotations

import time

import pytest

from adapters.slack import SlackMessenger, client
from bot.events import Address, MessageRef
from bot.ports import DeliveryError
from bot.settings import ConfigError
from bot.ui import Message, Text
from tests.fakes.slack_api import FakeSlack
from tests.slack.support import COORDINATOR_CHANNEL, make_settings


def messenger_for(
    fake: FakeSlack, clock: list[float] | None = None, **settings: object
) -> SlackMessenger:
    now = clock if clock is not None else [0.0]
    configured = make_settings(fake, **settings)
    return SlackMessenger(
        client.web_client(configured.slack_bot_token or "", configured.slack_api_url),
        configured,
        shortened_note="(shortened)",
        members_ttl=300,
        clock=lambda: now[0],
    )


async def test_send_posts_blocks_and_returns_a_reference(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack)
    ref = await messenger.send(
        Address("slack", COORDINATOR_CHANNEL), Message("Nieuwe melding", [Text.of("Lees verder")])
    )
    [call] = fake_slack.calls_to("chat.postMessage")
    assert call.params["channel"] == COORDINATOR_CHANNEL
    assert call.params["text"] == "Nieuwe melding"
    assert call.params["blocks"][0]["text"]["text"] == "Lees verder"
    assert call.params["unfurl_links"] is False
    assert "thread_ts" not in call.params
    assert call.token == fake_slack.token
    assert ref == MessageRef("slack", COORDINATOR_CHANNEL, fake_slack.messages[0].ts)


async def test_send_into_a_thread(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack)
    root = await messenger.send(Address("slack", COORDINATOR_CHANNEL), Message("Melding M-1"))
    reply = await messenger.send(root.thread(), Message("Opgepakt"))
    assert reply.message_id != root.message_id
    assert fake_slack.calls_to("chat.postMessage")[1].params["thread_ts"] == root.message_id
    assert [m.text for m in fake_slack.replies(COORDINATOR_CHANNEL, root.message_id)] == [
        "Opgepakt"
    ]


async def test_update_replaces_the_message(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack)
    ref = await messenger.send(Address("slack", "DU1"), Message("Concept", [Text.of("v1")]))
    await messenger.update(ref, Message("Verstuurd", [Text.of("v2")]))
    [call] = fake_slack.calls_to("chat.update")
    assert (call.params["channel"], call.params["ts"]) == ("DU1", ref.message_id)
    stored = fake_slack.message("DU1", ref.message_id)
    assert (stored.text, stored.blocks[0]["text"]["text"], stored.updates) == ("Verstuurd", "v2", 1)


async def test_personal_address_opens_the_dm_once(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack)
    first = await messenger.personal_address("U1")
    again = await messenger.personal_address("U1")
    assert first == again == Address("slack", "DU1", personal=True)
    [call] = fake_slack.calls_to("conversations.open")
    assert call.params["users"] == "U1"


async def test_coordinators_from_the_configured_list(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack, slack_coordinators=["UANNA", "UBOB"])
    assert await messenger.is_coordinator("UANNA")
    assert not await messenger.is_coordinator("UCOORD1")  # in the channel, not on the list
    assert fake_slack.calls_to("conversations.members") == []


async def test_coordinators_are_the_channel_members_when_no_list(fake_slack: FakeSlack) -> None:
    fake_slack.members[COORDINATOR_CHANNEL] = ["U1", "U2", "U3", "U4", "U5"]
    fake_slack.members_page_size = 2
    clock = [0.0]
    messenger = messenger_for(fake_slack, clock)

    assert await messenger.is_coordinator("U5")  # on the last page
    assert not await messenger.is_coordinator("U9")
    calls = fake_slack.calls_to("conversations.members")
    assert [c.params.get("cursor") for c in calls] == [None, "2", "4"]
    assert {c.params["channel"] for c in calls} == {COORDINATOR_CHANNEL}

    fake_slack.members[COORDINATOR_CHANNEL] = ["U9"]
    assert not await messenger.is_coordinator("U9")  # cached for a few minutes
    clock[0] = 301.0
    assert await messenger.is_coordinator("U9")
    assert not await messenger.is_coordinator("U5")


async def test_a_failing_member_list_falls_back_to_the_last_one(fake_slack: FakeSlack) -> None:
    clock = [0.0]
    messenger = messenger_for(fake_slack, clock)
    assert await messenger.is_coordinator("UCOORD1")
    clock[0] = 1000.0
    fake_slack.fail("conversations.members", "internal_error")
    assert await messenger.is_coordinator("UCOORD1")


async def test_without_any_member_list_the_failure_is_raised(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack, slack_coordinator_channel="CGONE")
    fake_slack.missing_channels.add("CGONE")
    with pytest.raises(DeliveryError) as raised:
        await messenger.is_coordinator("UCOORD1")
    assert raised.value.permanent


async def test_coordinator_channel(fake_slack: FakeSlack) -> None:
    assert messenger_for(fake_slack).coordinator_channel() == Address("slack", COORDINATOR_CHANNEL)
    with pytest.raises(ConfigError):
        messenger_for(fake_slack, slack_coordinator_channel=None).coordinator_channel()


async def test_one_429_is_waited_out(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack)
    fake_slack.rate_limit("chat.postMessage", times=1)
    started = time.monotonic()
    ref = await messenger.send(Address("slack", COORDINATOR_CHANNEL), Message("Melding"))
    assert time.monotonic() - started >= 1.0  # Retry-After: 1
    attempts = fake_slack.calls_to("chat.postMessage", ok_only=False)
    assert [(c.status, c.error) for c in attempts] == [(429, "ratelimited"), (200, None)]
    assert [m.ts for m in fake_slack.in_channel(COORDINATOR_CHANNEL)] == [ref.message_id]


async def test_persistent_429_becomes_a_retry_after(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "RATE_LIMIT_RETRIES", 0)
    messenger = messenger_for(fake_slack)
    fake_slack.rate_limit("chat.postMessage", times=1)
    with pytest.raises(DeliveryError) as raised:
        await messenger.send(Address("slack", COORDINATOR_CHANNEL), Message("Melding"))
    assert raised.value.retry_after == 1.0
    assert not raised.value.permanent


@pytest.mark.parametrize("error", ["channel_not_found", "not_in_channel", "is_archived"])
async def test_permanent_slack_errors(fake_slack: FakeSlack, error: str) -> None:
    fake_slack.fail("chat.postMessage", error)
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack).send(Address("slack", "C1"), Message("x"))
    assert raised.value.permanent
    assert error in str(raised.value)


async def test_a_wrong_token_is_permanent(fake_slack: FakeSlack) -> None:
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack, slack_bot_token="xoxb-revoked").send(
            Address("slack", "C1"), Message("x")
        )
    assert raised.value.permanent
    assert "invalid_auth" in str(raised.value)


async def test_transient_slack_errors(fake_slack: FakeSlack) -> None:
    fake_slack.fail("chat.update", "internal_error")
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack).update(MessageRef("slack", "C1", "1.1"), Message("x"))
    assert not raised.value.permanent
    assert raised.value.retry_after is None


async def test_network_errors_are_transient(fake_slack: FakeSlack) -> None:
    url = fake_slack.url
    await fake_slack.close()  # nothing listens on the port any more
    messenger = SlackMessenger(
        client.web_client(fake_slack.token, url),
        make_settings(fake_slack),
        shortened_note="",
    )
    with pytest.raises(DeliveryError) as raised:
        await messenger.send(Address("slack", "C1"), Message("x"))
    assert not raised.value.permanent


async def test_other_platforms_are_refused(fake_slack: FakeSlack) -> None:
    with pytest.raises(ValueError, match="teams"):
        await messenger_for(fake_slack).send(Address("teams", "19:abc"), Message("x"))
