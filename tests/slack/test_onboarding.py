"""Onboarding through Slack: the real meldbot behind slack-bolt, signed events, the fake Web API.

Someone joining the workspace (``team_join``, configured as channel ``*``) or a configured
channel (``member_joined_channel``) gets one welcome DM: conversations.open, then
chat.postMessage. Slack's retry of the same event, a second join and bots get nothing.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.schedule.config import OnboardingChannel
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack, Posted
from tests.fakes.slack_payloads import event_callback
from tests.slack.support import SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
BALIE = "C0BALIE"
ONBOARDING = [
    OnboardingChannel(platform="slack", channel="*"),
    OnboardingChannel(platform="slack", channel=BALIE),
]


@pytest.fixture
async def meldbot(tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient) -> SlackSender:
    fake_slack.users.update(
        {
            "UNINA": {"name": "nina", "is_bot": False},
            "UOMAR": {"name": "omar", "is_bot": False},
            "UPOLLY": {"name": "pollbot", "is_bot": True},
        }
    )
    settings = make_settings(
        fake_slack,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        language="nl",
        onboarding=ONBOARDING,
    )
    return SlackSender(await aiohttp_client(await create_app(settings)))


def team_join(user_id: str, *, is_bot: bool = False) -> dict[str, Any]:
    user = {"id": user_id, "team_id": "T0TEST", "name": user_id.lower(), "is_bot": is_bot}
    return {"type": "team_join", "user": user, "event_ts": "1700000100.000100"}


def member_joined(user_id: str, channel: str = BALIE) -> dict[str, Any]:
    return {
        "type": "member_joined_channel",
        "user": user_id,
        "channel": channel,
        "channel_type": "C",
        "team": "T0TEST",
        "inviter": "UCOORD1",
        "event_ts": "1700000200.000200",
    }


async def deliver(
    meldbot: SlackSender, event: dict[str, Any], event_id: str, **headers: str
) -> None:
    response = await meldbot.post(event_callback(event, event_id), headers=headers)
    assert response.status == 200


def welcomes(fake: FakeSlack, user_id: str) -> list[Posted]:
    return [m for m in fake.messages if m.channel == f"D{user_id}" and "meldbot" in m.text]


def opened_for(fake: FakeSlack) -> list[str]:
    return [str(call.params.get("users")) for call in fake.calls_to("conversations.open")]


async def test_a_workspace_newcomer_gets_one_welcome_dm(
    meldbot: SlackSender, fake_slack: FakeSlack
) -> None:
    await deliver(meldbot, team_join("UNINA"), "Ev01")
    [welcome] = await until(lambda: welcomes(fake_slack, "UNINA"), "the welcome DM")
    assert opened_for(fake_slack) == ["UNINA"]

    blocks = json.dumps(welcome.blocks, ensure_ascii=False)
    assert "/meld" in blocks and "Twijfel je? Overleg gewoon" in blocks
    assert '"action_id": "report.start"' in blocks and '"action_id": "consult.start"' in blocks
    assert "Het meldpunt" in blocks

    # Slack's retry of the same delivery, and a later channel join: nothing more
    await deliver(meldbot, team_join("UNINA"), "Ev01", **{"X-Slack-Retry-Num": "1"})
    await deliver(meldbot, member_joined("UNINA"), "Ev02")
    await fake_slack.wait_for("users.info")
    await fake_slack.settle(0.5)
    assert len(welcomes(fake_slack, "UNINA")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_someone_joining_a_configured_channel_gets_one_welcome_dm(
    meldbot: SlackSender, fake_slack: FakeSlack
) -> None:
    await deliver(meldbot, member_joined("UOMAR"), "Ev11")
    await until(lambda: welcomes(fake_slack, "UOMAR"), "the welcome DM")
    assert opened_for(fake_slack) == ["UOMAR"]

    await deliver(meldbot, member_joined("UOMAR"), "Ev11", **{"X-Slack-Retry-Num": "1"})
    await deliver(meldbot, member_joined("UOMAR"), "Ev12")  # left and came back
    await fake_slack.settle(0.5)
    assert len(welcomes(fake_slack, "UOMAR")) == 1
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_other_channels_bots_and_meldbot_itself_get_nothing(
    meldbot: SlackSender, fake_slack: FakeSlack
) -> None:
    await deliver(meldbot, member_joined("UOMAR", channel="C0KANTINE"), "Ev21")
    await deliver(meldbot, team_join("UROBOT", is_bot=True), "Ev22")
    await deliver(meldbot, member_joined("UPOLLY"), "Ev23")  # a bot, by users.info
    await deliver(meldbot, member_joined(fake_slack.bot_user_id), "Ev24")
    await deliver(meldbot, member_joined("UGHOST"), "Ev25")  # users.info: user_not_found
    await fake_slack.wait_for("users.info", 1)
    await fake_slack.settle(0.5)
    asked = [call.params.get("user") for call in fake_slack.calls_to("users.info", ok_only=False)]
    assert sorted(asked) == ["UGHOST", "UPOLLY"]  # not for a channel nobody configured
    assert fake_slack.calls_to("conversations.open") == []
    assert fake_slack.calls_to("chat.postMessage") == []
