"""Slack gets its ack first, whatever the core is doing; the work follows after, once and
in order per conversation. The real slack-bolt stack and HTTP endpoint, the fake Web API."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from adapters.slack import SlackAdapter
from bot.events import Event, FormSubmitted, MessageReceived
from bot.settings import Settings
from bot.ui import Message, Response, Text
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import dm_message, event_callback, view_submission
from tests.slack.conftest import MakeClient
from tests.slack.support import SeenKeys, SlackSender, make_settings
from tests.waiting import until

RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}


class GatedCore:
    """The core, held at a gate until the test opens it; records what it handled."""

    def __init__(self, answer: Callable[[Event], Response] = lambda event: Response()) -> None:
        self.gate = asyncio.Event()
        self.entered: list[Event] = []
        self.handled: list[Event] = []
        self.answer = answer

    async def __call__(self, event: Event) -> Response:
        self.entered.append(event)
        await self.gate.wait()
        self.handled.append(event)
        return self.answer(event)


async def serve(adapter: SlackAdapter, aiohttp_client: MakeClient) -> SlackSender:
    app = web.Application()
    adapter.mount(app)
    return SlackSender(await aiohttp_client(app))


def texts(events: list[Event]) -> list[str]:
    return [e.text for e in events if isinstance(e, MessageReceived)]


async def test_a_dm_is_acked_while_the_core_is_still_busy(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore(lambda event: Response(messages=[Message("Dank je", [Text.of("Dank je.")])]))
    slack = await serve(SlackAdapter(settings, core, seen), aiohttp_client)
    response = await slack.post(event_callback(dm_message("U1", "hallo"), "Ev1"))
    assert response.status == 200  # the core has not answered: the gate is still shut
    await until(lambda: core.entered, "the core to start on the DM")
    assert core.handled == [] and fake_slack.calls_to("chat.postMessage") == []
    core.gate.set()
    [reply] = await fake_slack.wait_for("chat.postMessage")
    assert reply.params["channel"] == "DU1"


async def test_order_is_kept_per_conversation(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore()
    slack = await serve(SlackAdapter(settings, core, seen), aiohttp_client)
    people = ["UA", "UB", "UC"]
    for n in range(15):
        for user in people:
            event = dm_message(user, f"{user} {n}", ts=f"1700000000.{n:06d}")
            assert (await slack.post(event_callback(event, f"Ev{user}{n}"))).status == 200
    core.gate.set()
    await until(lambda: len(core.handled) == 45, "every DM handled")
    for user in people:
        mine = [t for t in texts(core.handled) if t.startswith(user)]
        assert mine == [f"{user} {n}" for n in range(15)]


async def test_a_redelivery_is_handled_once_also_after_a_restart(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore()
    core.gate.set()
    body = event_callback(dm_message("U1", "er is iets gebeurd"), "EvOnce")
    first = SlackAdapter(settings, core, seen)
    slack = await serve(first, aiohttp_client)
    assert (await slack.post(body)).status == 200
    assert (await slack.post(body, headers=RETRY)).status == 200
    await first.stop()
    # Another instance (or the same after a restart) knows the event by its kept key.
    again = await serve(SlackAdapter(settings, core, seen), aiohttp_client)
    assert (await again.post(body, headers={**RETRY, "X-Slack-Retry-Num": "2"})).status == 200
    await until(lambda: len(seen.keys) == 2, "the second instance to check the key")
    await fake_slack.settle()
    assert texts(core.handled) == ["er is iets gebeurd"]


async def test_a_full_inbox_refuses_without_an_ack_and_the_redelivery_is_handled(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore()
    adapter = SlackAdapter(settings, core, seen)
    adapter.listeners.inbox._capacity = 3
    slack = await serve(adapter, aiohttp_client)
    bodies = [event_callback(dm_message(f"U{n}", f"bericht {n}"), f"EvFull{n}") for n in range(5)]
    statuses = [(await slack.post(body)).status for body in bodies]
    assert statuses == [200, 200, 200, 503, 503]
    assert adapter.listeners.inbox.counts.shed == 2
    core.gate.set()
    await adapter.settle()
    for body in bodies[3:]:  # Slack delivers what was not acked again
        assert (await slack.post(body, headers=RETRY)).status == 200
    await adapter.settle()
    assert sorted(texts(core.handled)) == [f"bericht {n}" for n in range(5)]


async def test_stopping_handles_what_was_acked_and_refuses_what_comes_after(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore()
    adapter = SlackAdapter(settings, core, seen)
    slack = await serve(adapter, aiohttp_client)
    for n in range(4):
        assert (await slack.post(event_callback(dm_message("U1", f"{n}"), f"EvS{n}"))).status == 200
    stopping = asyncio.create_task(adapter.stop())
    await until(lambda: core.entered, "the core to start")
    late = await slack.post(event_callback(dm_message("U2", "te laat"), "EvLate"))
    assert late.status == 503
    core.gate.set()
    await stopping
    assert texts(core.handled) == ["0", "1", "2", "3"]


def receipt(event: Event) -> Response:
    said = Message("Je melding is ontvangen", [Text.of("Je melding is ontvangen: M-1.")])
    if isinstance(event, FormSubmitted):
        return Response(result=said, messages=[said])
    return Response()


async def test_a_slow_report_is_acked_in_time_and_its_answer_reaches_the_dm_once(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore(receipt)
    adapter = SlackAdapter(settings, core, seen)
    slack = await serve(adapter, aiohttp_client)
    values = {"narrative": {"narrative": {"type": "plain_text_input", "value": "Hij sloeg"}}}
    # The core is held past the deadline: the ack comes from the deadline, within bolt's 3 s.
    response = await slack.post(view_submission("U1", "report", values), form=True)
    assert response.status == 200
    answer: dict[str, Any] = await response.json()
    assert answer["response_action"] == "update"
    shown = json.dumps(answer["view"])
    assert "being saved" in shown and "ontvangen" not in shown, "no receipt before the commit"
    assert core.handled == [] and fake_slack.calls_to("chat.postMessage") == []
    core.gate.set()
    [receipt_in_dm] = await fake_slack.wait_for("chat.postMessage")
    assert receipt_in_dm.params["channel"] == "DU1"
    await adapter.settle()
    await fake_slack.settle()
    # The modal, if still open, shows the answer too (this one was never opened on the fake).
    [in_modal] = fake_slack.calls_to("views.update", ok_only=False)
    assert in_modal.params["view_id"] == "VMODAL"
    assert "ontvangen" in json.dumps(in_modal.json_param("view"))
    assert len(fake_slack.calls_to("chat.postMessage")) == 1


async def test_a_report_that_fails_after_its_ack_is_told_in_the_dm(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    def broken(event: Event) -> Response:
        raise RuntimeError("database is down")

    core = GatedCore(broken)
    adapter = SlackAdapter(settings, core, seen)
    slack = await serve(adapter, aiohttp_client)
    response = await slack.post(view_submission("U1", "report", {}), form=True)
    assert (await response.json())["response_action"] == "update"
    core.gate.set()
    [told] = await fake_slack.wait_for("chat.postMessage")
    assert told.params["channel"] == "DU1" and "send it again" in told.params["text"]


async def test_a_dm_while_the_database_is_down_is_answered_with_try_again(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    async def down(key: str) -> bool:
        raise ConnectionError("database is down")

    def broken(event: Event) -> Response:
        raise ConnectionError("database is down")

    core = GatedCore(broken)
    core.gate.set()
    slack = await serve(SlackAdapter(settings, core, down), aiohttp_client)
    assert (await slack.post(event_callback(dm_message("U1", "hallo"), "EvDown"))).status == 200
    [told] = await fake_slack.wait_for("chat.postMessage")
    assert told.params["channel"] == "DU1" and "try again in a moment" in told.params["text"]


async def test_socket_mode_acks_the_envelope_while_the_core_is_still_busy(
    fake_slack: FakeSlack, seen: SeenKeys
) -> None:
    settings = make_settings(fake_slack, slack_signing_secret=None, slack_app_token="xapp-test")
    core = GatedCore(lambda event: Response(messages=[Message("Dank je", [Text.of("Dank je.")])]))
    adapter = SlackAdapter(settings, core, seen)
    await adapter.start()
    try:
        await fake_slack.wait_for_socket()
        body = json.loads(event_callback(dm_message("U1", "via socket"), "EvSocketGate"))
        await fake_slack.socket_send(
            {"envelope_id": "env-g", "type": "events_api", "payload": body}
        )

        def acked() -> list[dict[str, Any]]:
            return [m for m in fake_slack.socket_received if m.get("envelope_id") == "env-g"]

        await until(acked, "the envelope's ack")
        assert core.handled == [], "acked before the core answered"
        core.gate.set()
        [posted] = await fake_slack.wait_for("chat.postMessage")
        assert posted.params["channel"] == "DU1"
    finally:
        await adapter.stop()


async def test_events_meldbot_does_nothing_with_are_acked_without_a_delivery_key(
    settings: Settings, seen: SeenKeys, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    core = GatedCore()
    core.gate.set()
    slack = await serve(SlackAdapter(settings, core, seen), aiohttp_client)
    in_a_channel = dm_message("U1", "in een kanaal") | {"channel": "C1", "channel_type": "channel"}
    edited = dm_message("U1", "gewijzigd") | {"subtype": "message_changed"}
    joined_elsewhere = {"type": "member_joined_channel", "user": "U2", "channel": "C0OTHER"}
    for n, event in enumerate([in_a_channel, edited, joined_elsewhere]):
        assert (await slack.post(event_callback(event, f"EvIgnored{n}"))).status == 200
    assert (await slack.post(event_callback(dm_message("U1", "hallo"), "EvWanted"))).status == 200
    await until(lambda: core.handled, "the DM handled")
    await fake_slack.settle()
    assert seen.keys == ["slack:EvWanted"]
    assert texts(core.handled) == ["hallo"]
