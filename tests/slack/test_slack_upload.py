"""Files through the real Slack messenger to the fake Web API: files_upload_v2's three
steps, failures as DeliveryError, and the trend report end to end (message, then chart in
its thread)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.slack import client
from bot.app import RUNTIME, create_app
from bot.events import Address, MessageRef
from bot.ports import DeliveryError
from bot.schedule.calendar import AMSTERDAM
from bot.ui import Message
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.slack_api import FakeSlack
from tests.slack.support import make_settings
from tests.slack.test_slack_messenger import messenger_for

CHART = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
MANAGEMENT = "C0MGMT"


async def test_upload_into_a_thread_with_title_and_alt_text(fake_slack: FakeSlack) -> None:
    messenger = messenger_for(fake_slack)
    root = await messenger.send(Address("slack", MANAGEMENT), Message("Trendrapportage"))

    ref = await messenger.upload(
        root.thread(), "meldingen.png", CHART, title="Meldingen per maand", alt_text="Staafdiagram"
    )

    [asked] = fake_slack.calls_to("files.getUploadURLExternal")
    assert (asked.params["filename"], asked.params["length"]) == ("meldingen.png", str(len(CHART)))
    [done] = fake_slack.calls_to("files.completeUploadExternal")
    assert (done.params["channel_id"], done.params["thread_ts"]) == (MANAGEMENT, root.message_id)
    [uploaded] = fake_slack.files.values()
    assert uploaded.content == CHART
    assert (uploaded.title, uploaded.alt_txt) == ("Meldingen per maand", "Staafdiagram")
    assert (uploaded.channel, uploaded.thread_ts) == (MANAGEMENT, root.message_id)
    assert [m.files for m in fake_slack.replies(MANAGEMENT, root.message_id)] == [[uploaded.id]]
    assert ref == MessageRef("slack", MANAGEMENT, uploaded.id)


async def test_a_long_alt_text_is_cut_to_what_slack_keeps(fake_slack: FakeSlack) -> None:
    await messenger_for(fake_slack).upload(
        Address("slack", MANAGEMENT), "a.png", CHART, title="t", alt_text="x" * 1500
    )
    [uploaded] = fake_slack.files.values()
    assert uploaded.alt_txt is not None and len(uploaded.alt_txt) == 1000


async def test_a_failed_transfer_is_transient_and_the_retry_shares_one_file(
    fake_slack: FakeSlack,
) -> None:
    messenger = messenger_for(fake_slack)
    fake_slack.fail_upload(500)
    with pytest.raises(DeliveryError) as raised:
        await messenger.upload(
            Address("slack", MANAGEMENT), "a.png", CHART, title="t", alt_text="a"
        )
    assert not raised.value.permanent
    assert not fake_slack.calls_to("files.completeUploadExternal")

    await messenger.upload(Address("slack", MANAGEMENT), "a.png", CHART, title="t", alt_text="a")
    assert len(fake_slack.shared_files(MANAGEMENT)) == 1


async def test_a_persistent_429_becomes_a_retry_after(
    fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client, "RATE_LIMIT_RETRIES", 0)
    fake_slack.rate_limit("files.completeUploadExternal")
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack).upload(
            Address("slack", MANAGEMENT), "a.png", CHART, title="t", alt_text="a"
        )
    assert raised.value.retry_after == 1.0 and not raised.value.permanent
    assert not fake_slack.shared_files(MANAGEMENT)


async def test_an_unknown_channel_is_permanent(fake_slack: FakeSlack) -> None:
    fake_slack.missing_channels.add("C0GONE")
    with pytest.raises(DeliveryError) as raised:
        await messenger_for(fake_slack).upload(
            Address("slack", "C0GONE"), "a.png", CHART, title="t", alt_text="a"
        )
    assert raised.value.permanent and "channel_not_found" in str(raised.value)


async def test_the_trend_report_and_its_chart_reach_slack(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    clock = Clock()
    clock.now = datetime(2026, 11, 30, 20, tzinfo=UTC)
    settings = make_settings(
        fake_slack,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        language="nl",
        trends={"platform": "slack", "channel": MANAGEMENT},
    )
    runtime = (await create_app(settings, clock=clock))[RUNTIME]
    try:
        await runtime.scheduler.tick()
        clock.now = datetime(2026, 12, 1, 9, tzinfo=AMSTERDAM).astimezone(UTC)
        fake_slack.fail_upload(502)  # the first transfer fails: only the chart is retried
        await runtime.scheduler.tick()
        await runtime.outbox.settle()
        [report] = fake_slack.in_channel(MANAGEMENT)
        assert "november 2026" in report.text
        assert not fake_slack.shared_files(MANAGEMENT)

        clock.advance(seconds=30)
        await runtime.outbox.settle()
        assert fake_slack.in_channel(MANAGEMENT) == [report]
        [chart] = fake_slack.shared_files(MANAGEMENT)
        assert chart.thread_ts == report.ts
        assert chart.content is not None and chart.content.startswith(b"\x89PNG")
        assert chart.alt_txt and "nov 2026: 0" in chart.alt_txt
    finally:
        await runtime.database.close()
