"""Socket Mode: with an app token the adapter connects out and acks envelopes itself."""

from __future__ import annotations

import asyncio
import json

from adapters.slack import SlackAdapter
from bot.events import Actor, Address, MessageReceived
from bot.ui import Message, Response
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import dm_message, event_callback
from tests.slack.support import SeenKeys, StubCore, make_settings


async def test_socket_mode_receives_events_and_acks(
    fake_slack: FakeSlack, core: StubCore, seen: SeenKeys
) -> None:
    settings = make_settings(fake_slack, slack_signing_secret=None, slack_app_token="xapp-test")
    adapter = SlackAdapter(settings, core, seen)
    core.answer = lambda event: Response(messages=[Message("Ontvangen")])
    await adapter.start()
    try:
        await fake_slack.wait_for_socket()
        [opened] = fake_slack.calls_to("apps.connections.open")
        assert opened.token == "xapp-test"

        body = json.loads(event_callback(dm_message("U1", "via socket"), "EvSocket"))
        envelope = {"envelope_id": "env-1", "type": "events_api", "payload": body}
        await fake_slack.socket_send(envelope)
        await fake_slack.socket_send(envelope | {"envelope_id": "env-2", "retry_attempt": 1})

        [posted] = await fake_slack.wait_for("chat.postMessage")
        assert posted.params["channel"] == "DU1"
        await fake_slack.settle()
        assert core.events == [
            MessageReceived(
                Actor("slack", "U1"), Address("slack", "DU1", personal=True), "via socket"
            )
        ]
        acked = {m.get("envelope_id") for m in fake_slack.socket_received}
        assert {"env-1", "env-2"} <= acked
    finally:
        await adapter.stop()
    await asyncio.sleep(0.05)
    assert fake_slack.sockets_open == 0  # the connection is closed
