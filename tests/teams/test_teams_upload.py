"""Images through the real Teams messenger to the fake Bot Connector: an inline image
attachment (a base64 data URI) in a channel thread, and what is refused."""

from __future__ import annotations

import base64

import aiohttp
import pytest

from adapters.teams.adapter import TeamsAdapter
from bot.events import Address
from bot.ports import DeliveryError
from bot.ui import Message, Text
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.support import COORDINATOR_CHANNEL, OUTBOUND_TOKEN

CHART = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
CHANNEL = Address("teams", COORDINATOR_CHANNEL.id)


async def test_an_image_goes_inline_into_the_thread(
    adapter: TeamsAdapter, fake: FakeBotConnector
) -> None:
    root = await adapter.messenger.send(CHANNEL, Message("Trendrapportage", [Text.of("<5")]))

    ref = await adapter.messenger.upload(
        root.thread(),
        "meldingen-2026-11.png",
        CHART,
        title="Meldingen per maand",
        alt_text="Staafdiagram: nov 2026: <5",
    )

    thread = fake.thread(root.message_id)
    assert [activity["id"] for activity in thread] == [root.message_id, ref.message_id]
    [(activity, content)] = fake.images(COORDINATOR_CHANNEL.id)
    assert content == CHART
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "image/png"
    assert attachment["contentUrl"].startswith("data:image/png;base64,")
    assert attachment["name"] == "meldingen-2026-11.png"
    assert activity["text"] == "Meldingen per maand\n\nStaafdiagram: nov 2026: <5"
    assert activity["textFormat"] == "plain"
    assert activity["summary"] == "Meldingen per maand"


async def test_an_image_in_a_channel_without_a_thread_starts_one(
    adapter: TeamsAdapter, fake: FakeBotConnector
) -> None:
    ref = await adapter.messenger.upload(CHANNEL, "a.png", CHART, title="t", alt_text="a")
    [created] = fake.created
    assert created["activity"]["attachments"][0]["contentType"] == "image/png"
    assert fake.thread(ref.message_id)[0]["id"] == ref.message_id


async def test_throttling_is_a_delivery_error_to_retry(
    adapter: TeamsAdapter, fake: FakeBotConnector
) -> None:
    root = await adapter.messenger.send(CHANNEL, Message("Trendrapportage"))
    fake.fail_next(429, retry_after=120)
    with pytest.raises(DeliveryError) as raised:
        await adapter.messenger.upload(root.thread(), "a.png", CHART, title="t", alt_text="a")
    assert raised.value.retry_after == 120 and not raised.value.permanent
    assert not fake.images(COORDINATOR_CHANNEL.id)


async def test_what_teams_cannot_show_inline_is_refused_before_sending(
    adapter: TeamsAdapter, fake: FakeBotConnector
) -> None:
    with pytest.raises(DeliveryError) as raised:
        await adapter.messenger.upload(CHANNEL, "cijfers.csv", b"a,b", title="t", alt_text="a")
    assert raised.value.permanent
    too_big = CHART + bytes(1024 * 1024)
    with pytest.raises(DeliveryError) as raised:
        await adapter.messenger.upload(CHANNEL, "a.png", too_big, title="t", alt_text="a")
    assert raised.value.permanent
    assert not fake.calls


async def test_the_fake_refuses_an_image_teams_would_refuse(fake: FakeBotConnector) -> None:
    """So the messenger's own limit is the one Teams keeps (the fake answers 413 too)."""
    image = base64.b64encode(bytes(1024 * 1024 + 1)).decode()
    attachment = {"contentType": "image/png", "contentUrl": f"data:image/png;base64,{image}"}
    payload = {"type": "message", "attachments": [attachment]}
    async with aiohttp.ClientSession() as session:
        url = f"{fake.url}v3/conversations/a:1-chat/activities"
        headers = {"Authorization": f"Bearer {OUTBOUND_TOKEN}"}
        async with session.post(url, json=payload, headers=headers) as response:
            assert response.status == 413
            assert (await response.json())["error"]["code"] == "MessageSizeTooBig"
