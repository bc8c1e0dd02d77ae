"""/metrics: every metric an operator needs, in the Prometheus format, and nothing in a
label that could name a person, a case or a path someone typed."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.app import create_app
from bot.events import Address
from bot.oncall.rota import OnCallPerson, OnCallRota
from bot.ports import DeliveryError
from bot.ui import Message
from storage.sealing import new_key
from tests.core.conftest import JAN, SANNE, Clock
from tests.core.test_oncall import KARIN, _report
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import dm_message, event_callback
from tests.operations.support import MakeClient, families, samples, served, value
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender
from tests.slack.support import make_settings as slack_settings

ROTA = OnCallRota(
    rotation=[OnCallPerson(id=KARIN.user_id, name=KARIN.name)],
    backup=OnCallPerson(id=JAN.user_id, name=JAN.name),
)
NARRATIVE = "Een man staat met een mes bij de balie."
FAMILIES = {
    "meldbot_http_requests",
    "meldbot_http_request_duration_seconds",
    "meldbot_outbox_backlog",
    "meldbot_outbox_oldest_age_seconds",
    "meldbot_outbox_delivered",
    "meldbot_outbox_retried",
    "meldbot_outbox_abandoned",
    "meldbot_timers_due",
    "meldbot_timers_due_oldest_seconds",
    "meldbot_timers_fired",
    "meldbot_timer_lag_seconds",
    "meldbot_pages",
    "meldbot_cases",
}


async def test_metrics_shows_each_metric_and_no_identifier(
    database_url: str,
    tmp_path: Path,
    aiohttp_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    bot, client = await served(database_url, tmp_path, aiohttp_client, oncall=ROTA)
    send = bot.platform.send

    async def trouble(address: Address, message: Message) -> object:
        if address.conversation == "coordinators":  # the channel is rate-limited for now
            raise DeliveryError("rate-limited", retry_after=600)
        if address.conversation == f"dm:{SANNE.user_id}":  # the reporter cannot be reached
            raise DeliveryError("no such person", permanent=True)
        return await send(address, message)

    monkeypatch.setattr(bot.platform, "send", trouble)
    case_id = await _report(bot)
    assert (await client.get("/healthz")).status == 200
    assert (await client.get("/console/zaken/M-2026-0001")).status < 500
    assert (await client.get("/no/such/page-for-staff-1")).status == 404
    bot.clock.advance(minutes=31)  # the escalation is due, and waits for the scheduler

    answer = await client.get("/metrics")
    assert answer.status == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=")
    body = await answer.text()
    found = samples(body)

    assert (
        value(found, "meldbot_http_requests_total", route="/healthz", method="GET", status="2xx")
        == 1
    )
    assert (
        value(found, "meldbot_http_requests_total", route="unmatched", method="GET", status="4xx")
        == 1
    )
    assert value(found, "meldbot_cases", status="new") == 1
    assert (value(found, "meldbot_outbox_backlog", kind="case.alert") or 0) >= 1
    assert (value(found, "meldbot_outbox_oldest_age_seconds", kind="case.alert") or 0) >= 31 * 60
    assert (value(found, "meldbot_outbox_retried_total", kind="case.alert") or 0) >= 1
    assert (value(found, "meldbot_outbox_abandoned_total", kind="reporter.receipt") or 0) == 1
    assert value(found, "meldbot_outbox_delivered_total", kind="oncall.dm") == 1
    assert value(found, "meldbot_pages_total", outcome="sent") == 1
    assert value(found, "meldbot_timers_due", kind="oncall.escalate") == 1
    assert (value(found, "meldbot_timers_due_oldest_seconds", kind="oncall.escalate") or 0) >= 60

    await bot.tick()  # fires the escalation a minute late
    body = await (await client.get("/metrics")).text()
    found = samples(body)
    assert {f for f in families(body) if f.startswith("meldbot_")} == FAMILIES
    assert value(found, "meldbot_timers_fired_total", kind="oncall.escalate", outcome="sent") == 1
    assert value(found, "meldbot_timer_lag_seconds_count", kind="oncall.escalate") == 1
    assert value(found, "meldbot_timer_lag_seconds_bucket", kind="oncall.escalate", le="30.0") == 0
    assert value(found, "meldbot_timer_lag_seconds_bucket", kind="oncall.escalate", le="60.0") == 1
    assert value(found, "meldbot_pages_total", outcome="escalated") == 1
    assert value(found, "meldbot_timers_due", kind="oncall.escalate") is None

    # Labels are kinds, statuses, outcomes and route templates: nothing else.
    labels = {v for _name, pairs in found for _k, v in pairs}
    for person in (SANNE, KARIN, JAN):
        assert not [v for v in labels if person.user_id in v or person.name in v]
    assert not [v for v in labels if str(case_id) in v.split("/")]
    assert "page-for-staff-1" not in body and NARRATIVE not in body and "M-2026" not in body
    routes = {v for _n, pairs in found for k, v in pairs if k == "route"}
    templates = {resource.canonical for resource in client.server.app.router.resources()}
    assert "/console/zaken/{reference}" in routes
    assert routes <= templates | {"unmatched"}, "route templates only, never a path"


async def test_metrics_asks_for_its_token_when_one_is_set(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    _bot, client = await served(
        database_url, tmp_path, aiohttp_client, metrics_token="a-long-random-metrics-token"
    )
    refused = await client.get("/metrics")
    assert refused.status == 401
    assert "MELDBOT_METRICS_TOKEN" in await refused.text()
    wrong = await client.get("/metrics", headers={"Authorization": "Bearer guess"})
    assert wrong.status == 401
    answer = await client.get(
        "/metrics", headers={"Authorization": "Bearer a-long-random-metrics-token"}
    )
    assert answer.status == 200 and "meldbot_pages_total" in await answer.text()


async def test_metrics_without_a_token_answers_this_machine_only(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    """A reverse proxy on the same machine connects from loopback as well: what it passes
    on (the public Host, forwarding headers) keeps /metrics closed to the world."""
    _bot, client = await served(database_url, tmp_path, aiohttp_client)
    assert (await client.get("/metrics")).status == 200
    proxied = await client.get("/metrics", headers={"Host": "meldbot.gemeente-voorbeeld.nl"})
    assert proxied.status == 403
    assert "MELDBOT_METRICS_TOKEN" in await proxied.text()
    forwarded = await client.get("/metrics", headers={"X-Forwarded-For": "192.0.2.7"})
    assert forwarded.status == 403


async def test_metrics_counts_the_slack_events_after_their_ack(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    """What the inbox did with the events it acked: handled, repeated, still waiting."""
    async with FakeSlack(members={COORDINATOR_CHANNEL: ["UCOORD1", "UBOT"]}) as slack:
        settings = slack_settings(
            slack, database_url=database_url, data_dir=tmp_path, seal_key=new_key()
        )
        client = await aiohttp_client(await create_app(settings, clock=Clock()))
        meldbot = SlackSender(client)
        for n in range(3):
            event = event_callback(dm_message(f"UMETRIC{n}", "hoi"), f"Ev0METRIC0{n}")
            assert (await meldbot.post(event)).status == 200
        again = event_callback(dm_message("UMETRIC0", "hoi"), "Ev0METRIC00")
        assert (await meldbot.post(again)).status == 200
        await slack.wait_for("chat.postMessage", count=3)

        for _ in range(100):  # the replies are out; the inbox counts each when it is done
            found = samples(await (await client.get("/metrics")).text())
            if value(found, "meldbot_events_total", platform="slack", outcome="handled") == 3:
                break
            await asyncio.sleep(0.05)
        assert value(found, "meldbot_events_total", platform="slack", outcome="handled") == 3
        assert value(found, "meldbot_events_total", platform="slack", outcome="repeated") == 1
        assert value(found, "meldbot_events_total", platform="slack", outcome="shed") == 0
        assert value(found, "meldbot_events_waiting", platform="slack") == 0
        labels = {v for _name, pairs in found for _k, v in pairs}
        assert not [v for v in labels if "UMETRIC" in v or "METRIC0" in v]
