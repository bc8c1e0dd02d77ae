"""The HTTP endpoint: Slack's signature and timestamp, url_verification, retried events."""

from __future__ import annotations

import asyncio
import json
import time

from aiohttp import web

from adapters.slack import SlackAdapter
from bot.events import MessageReceived
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import dm_message, event_callback, sign
from tests.slack.support import SECRET, SeenKeys, SlackSender, StubCore, make_settings


async def test_good_signature_is_accepted_and_acked(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    response = await slack.post(event_callback(dm_message("U1", "hallo"), "Ev1"))
    assert response.status == 200
    await core.wait(1)


async def test_bad_signature_is_refused(slack: SlackSender, core: StubCore) -> None:
    response = await slack.post(event_callback(dm_message("U1", "hallo"), "Ev1"), secret="wrong")
    assert response.status == 401
    await _still(core)


async def test_tampered_body_is_refused(slack: SlackSender, core: StubCore) -> None:
    body = event_callback(dm_message("U1", "hallo"), "Ev1")
    headers = sign(SECRET, body)
    response = await slack.client.post(
        "/slack/events",
        data=body.replace("hallo", "<!channel>"),
        headers={"Content-Type": "application/json", **headers},
    )
    assert response.status == 401
    await _still(core)


async def test_timestamp_six_minutes_old_is_refused(slack: SlackSender, core: StubCore) -> None:
    old = int(time.time()) - 6 * 60
    response = await slack.post(event_callback(dm_message("U1", "hallo"), "Ev1"), timestamp=old)
    assert response.status == 401
    await _still(core)


async def test_url_verification_answers_the_challenge(slack: SlackSender) -> None:
    body = json.dumps({"token": "legacy", "challenge": "c-123", "type": "url_verification"})
    response = await slack.post(body)
    assert response.status == 200
    assert (await response.json())["challenge"] == "c-123"


async def test_a_retried_event_reaches_the_core_once(
    slack: SlackSender, core: StubCore, seen: SeenKeys, fake_slack: FakeSlack
) -> None:
    body = event_callback(dm_message("U1", "er is iets gebeurd"), "Ev0DUPLICATE")
    first = await slack.post(body)
    retry = await slack.post(
        body, headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    )
    assert (first.status, retry.status) == (200, 200)
    await core.wait(1)
    await fake_slack.settle()
    assert len(core.events) == 1
    assert isinstance(core.events[0], MessageReceived)
    # The retry was recognised in memory; the key was kept once for later instances.
    assert seen.keys == ["slack:Ev0DUPLICATE"]


async def test_different_events_both_reach_the_core(slack: SlackSender, core: StubCore) -> None:
    await slack.post(event_callback(dm_message("U1", "een"), "Ev1"))
    await slack.post(event_callback(dm_message("U1", "twee"), "Ev2"))
    events = await core.wait(2)
    assert sorted(e.text for e in events if isinstance(e, MessageReceived)) == ["een", "twee"]


async def test_without_signing_secret_there_is_no_http_endpoint(
    fake_slack: FakeSlack, core: StubCore, seen: SeenKeys
) -> None:
    adapter = SlackAdapter(
        make_settings(fake_slack, slack_signing_secret=None, slack_app_token="xapp-test"),
        core,
        seen,
    )
    app = web.Application()
    adapter.mount(app)
    assert [r.resource.canonical for r in app.router.routes() if r.resource] == []


async def _still(core: StubCore) -> None:
    await asyncio.sleep(0.2)
    assert core.events == []
