"""On-call end to end through the real slack-bolt stack and the fake Slack Web API.

Two urgent reports page the person on call in a DM and in each case thread. The page
for the first is answered with a signed "Ik bel nu" press from the DM; the second is
not, and half an hour later the backup gets a DM and the whole channel a <!channel>.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from bot.oncall.rota import OnCallPerson, OnCallRota
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack, Posted
from tests.fakes.slack_payloads import (
    block_actions,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.slack.test_report_flow import Case, button, dm, new_case, text_of
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
ON_CALL, BACKUP = "UCOORD2", "UCOORD1"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


async def urgent_report(meldbot: SlackSender, fake: FakeSlack, user: str, count: int) -> Case:
    await meldbot.post(slash_command(user), form=True)
    opened = await fake.wait_for("views.open", count)
    view = opened[count - 1].json_param("view")
    answers = {"narrative": f"{user}: iemand dreigt met een mes.", "danger": "yes"}
    values = submitted_view_values(view, answers)
    view_id = list(fake.views)[count - 1]  # each opened modal has its own id, as in Slack
    submitted = view_submission(user, "report", values, view_id=view_id)
    assert (await meldbot.post(submitted, form=True)).status == 200
    return await new_case(fake, count)


def page_in(case: Case) -> Posted | None:
    return next((m for m in case.thread if "oncall.on_it" in str(m.blocks)), None)


def channel_wide(case: Case) -> list[Posted]:
    return [m for m in case.thread if "<!channel>" in str(m.blocks)]


async def test_page_answer_and_escalation(
    tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    rota = OnCallRota(
        rotation=[OnCallPerson(id=ON_CALL, name="Karin")],
        backup=OnCallPerson(id=BACKUP, name="Jan"),
    )
    settings = make_settings(
        fake_slack,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        oncall=rota,
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    meldbot = SlackSender(await aiohttp_client(app))

    answered = await urgent_report(meldbot, fake_slack, "UANNA", 1)
    [page_dm] = await until(lambda: dm(fake_slack, ON_CALL), "the page in Karin's DM")
    assert "Urgent report" in page_dm.text
    assert button(page_dm, "oncall.on_it")["value"] == answered.case_id
    note = await until(lambda: page_in(answered), "the page in the case thread")
    assert f"<@{ON_CALL}>" in str(note.blocks) and "<!channel>" not in str(note.blocks)
    assert "was paged at 10:00" in text_of(note)
    assert note.broadcast, "the page shows in the channel, not only in the thread"

    ignored = await urgent_report(meldbot, fake_slack, "UBOB", 2)
    await until(lambda: len(dm(fake_slack, ON_CALL)) == 2, "the second page")
    await until(lambda: page_in(ignored), "the second page in its thread")

    pressed = block_actions(
        ON_CALL, "oncall.on_it", answered.case_id, channel="D" + ON_CALL, message_ts=page_dm.ts
    )
    assert (await meldbot.post(pressed, form=True)).status == 200
    await until(
        lambda: any("calling the reporter back now" in text_of(m) for m in answered.thread),
        "Karin's answer in the thread",
    )

    clock.now += timedelta(minutes=31)
    app[RUNTIME].scheduler.wake()
    [backup_dm] = await until(lambda: dm(fake_slack, BACKUP), "the page in the backup's DM")
    assert button(backup_dm, "oncall.on_it")["value"] == ignored.case_id
    [escalation] = await until(lambda: channel_wide(ignored), "the channel-wide page")
    assert f"<@{BACKUP}>" in str(escalation.blocks)
    assert text_of(escalation).startswith("<!channel> Nobody has answered the page.")
    assert escalation.broadcast

    clock.now += timedelta(hours=1)
    app[RUNTIME].scheduler.wake()
    await fake_slack.settle(0.5)
    assert channel_wide(answered) == [], "the answered page never escalated"
    assert len(channel_wide(ignored)) == 1 and len(dm(fake_slack, BACKUP)) == 1
    assert all(m.channel == COORDINATOR_CHANNEL for m in answered.thread)
