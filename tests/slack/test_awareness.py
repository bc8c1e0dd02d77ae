"""End to end on Slack: an awareness reminder lands in a team channel, and its buttons open
the forms for whoever presses them, without a word in the channel.

The real meldbot (composition root, scheduler, outbox, dialogs, SQLite) runs on a controlled
clock against the fake Slack Web API; interactions are signed the way Slack signs them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from bot.schedule.calendar import AMSTERDAM
from dialogs.consult import FORM_CONSULT
from dialogs.report import FORM_FULL
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import block_actions, submitted_view_values, view_submission
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.slack.test_report_flow import button, text_of
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
TEAM = "C0TEAM"
MONDAY_NINE = datetime(2026, 11, 30, 9, 0, tzinfo=AMSTERDAM).astimezone(UTC)


async def test_a_reminder_in_a_team_channel_opens_the_forms_privately(
    tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    clock = Clock()
    clock.now = MONDAY_NINE - timedelta(minutes=5)
    settings = make_settings(
        fake_slack,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        language="nl",
        reminders=[{"platform": "slack", "channel": TEAM, "schedule": "0 9 * * 1"}],
        scheduler_interval_seconds=0.05,
    )
    app = await create_app(settings, clock=clock)
    meldbot = SlackSender(await aiohttp_client(app))  # starts the scheduler and the outbox
    runtime = app[RUNTIME]

    async def planned() -> datetime | None:
        async with runtime.database.transaction() as tx:
            return await tx.timers.next_due()

    for _ in range(250):  # the scheduler plans as soon as the application has started
        if await planned() is not None:
            break
        await asyncio.sleep(0.02)
    assert await planned() == MONDAY_NINE
    assert fake_slack.in_channel(TEAM) == []

    clock.now = MONDAY_NINE
    runtime.scheduler.wake()
    [reminder] = await until(lambda: fake_slack.in_channel(TEAM), "the reminder in the channel")
    assert button(reminder, "report.start")["text"]["text"] == "Melden"
    assert button(reminder, "consult.start")["text"]["text"] == "Twijfel je? Overleg anoniem"
    assert reminder.blocks[0]["type"] == "header"
    await fake_slack.settle()
    assert len(fake_slack.calls_to("chat.postMessage")) == 1  # once, however often it ticks

    pressed = await meldbot.post(
        block_actions("UANNA", "report.start", channel=TEAM, message_ts=reminder.ts), form=True
    )
    assert pressed.status == 200
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.json_param("view")
    assert view["callback_id"] == FORM_FULL

    await meldbot.post(
        block_actions("UBOB", "consult.start", channel=TEAM, message_ts=reminder.ts), form=True
    )
    consult = (await fake_slack.wait_for("views.open", 2))[1]
    assert consult.json_param("view")["callback_id"] == FORM_CONSULT

    # Anna sends her report: the receipt reaches her own chat, not the team channel.
    values = submitted_view_values(view, {"narrative": "Een klant dreigde bij de balie."})
    submitted = await meldbot.post(view_submission("UANNA", FORM_FULL, values), form=True)
    assert submitted.status == 200
    [receipt] = await until(lambda: fake_slack.in_channel("DUANNA"), "the receipt in Anna's DM")
    assert "Je melding is ontvangen" in text_of(receipt)

    await fake_slack.settle()
    # Nothing in the channel, its thread or anyone's view of it: the forms and the receipt
    # went to the people themselves (and the case to the coordinators).
    assert fake_slack.in_channel(TEAM) == [reminder]
    assert fake_slack.replies(TEAM, reminder.ts) == []
    assert reminder.updates == 0
    channels = [call.params["channel"] for call in fake_slack.calls_to("chat.postMessage")]
    assert channels.count(TEAM) == 1
    assert set(channels) <= {TEAM, "DUANNA", COORDINATOR_CHANNEL}
    assert fake_slack.calls_to("chat.postEphemeral") == []
