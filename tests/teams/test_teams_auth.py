"""Who may post to /api/messages: tokens signed by keys from the (local) OpenID metadata.

The real CloudAdapter runs behind meldbot's token check; refused requests get 401 (bad
input 400), never 500, and reach neither the core nor the connector.
"""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp import web

from adapters.teams.adapter import TeamsAdapter
from bot.events import MessageReceived
from bot.ui import Message, Response, Text
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsPayloads
from tests.slack.support import StubCore
from tests.teams.conftest import MakeClient, MemoryBook
from tests.teams.support import MIA, OUTBOUND_TOKEN, TeamsSender, make_settings

OTHER_APP = "11111111-2222-4333-8444-555555555555"


def _reply(_event: Any) -> Response:
    return Response(messages=[Message("Hallo", [Text.of("Hallo Mia")])])


async def test_a_valid_token_is_accepted_and_replies_carry_the_outbound_token(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    core.answer = _reply
    headers = issuer.authorization(BOT_APP_ID, service_url=fake.url)

    response = await teams.post(payloads.personal_message("hoi", user=MIA), headers)

    assert response.status == 202
    [event] = await core.wait()
    assert isinstance(event, MessageReceived) and event.actor.user_id == MIA.aad_object_id
    [reply] = await fake.wait_for_sent()
    assert reply["attachments"][0]["content"]["body"]
    assert all(
        call.headers.get("Authorization") == f"Bearer {OUTBOUND_TOKEN}" for call in fake.calls
    )


def _refused_headers(issuer: OpenIdIssuer, fake: FakeBotConnector) -> dict[str, dict[str, str]]:
    def bearer(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    return {
        "no token": {},
        "not a bearer token": {"Authorization": "Basic bWVsZGJvdDpnZWhlaW0="},
        "garbage": bearer("not.a.jwt"),
        "wrong audience": bearer(issuer.token(OTHER_APP, service_url=fake.url)),
        "wrong service url": bearer(
            issuer.token(BOT_APP_ID, service_url="https://smba.attacker.example/")
        ),
        "no service url claim": bearer(issuer.token(BOT_APP_ID)),
        "expired": bearer(issuer.token(BOT_APP_ID, service_url=fake.url, expires_in=-3600)),
        "not yet valid": bearer(
            issuer.token(BOT_APP_ID, service_url=fake.url, not_before=2_000_000_000)
        ),
        "wrong issuer": bearer(
            issuer.token(BOT_APP_ID, service_url=fake.url, issuer="https://evil.example")
        ),
        "forged signature": bearer(
            issuer.token(BOT_APP_ID, service_url=fake.url, key=issuer.untrusted_key)
        ),
        "unknown key id": bearer(issuer.token(BOT_APP_ID, service_url=fake.url, kid="rotated")),
    }


REFUSALS = [
    "no token",
    "not a bearer token",
    "garbage",
    "wrong audience",
    "wrong service url",
    "no service url claim",
    "expired",
    "not yet valid",
    "wrong issuer",
    "forged signature",
    "unknown key id",
]


@pytest.mark.parametrize("case", REFUSALS)
async def test_bad_tokens_are_refused_with_401(
    case: str,
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    headers = _refused_headers(issuer, fake)[case]

    response = await teams.post(payloads.personal_message("hoi", user=MIA), headers)

    assert response.status == 401
    assert await response.json() == {"error": "Unauthorized."}
    await fake.settle(0.1)
    assert core.events == [] and fake.calls == []


async def test_bad_bodies_get_400_never_500(teams: TeamsSender, issuer: OpenIdIssuer) -> None:
    headers = issuer.authorization(BOT_APP_ID, service_url="http://127.0.0.1/")
    not_json = await teams.client.post("/api/messages", data=b"{nope", headers=headers)
    a_list = await teams.post([1, 2, 3], headers)
    assert (not_json.status, a_list.status) == (400, 400)


async def test_anonymous_mode_answers_local_tools_only(
    fake: FakeBotConnector, core: StubCore, aiohttp_client: MakeClient, payloads: TeamsPayloads
) -> None:
    adapter = TeamsAdapter(make_settings(fake), core, MemoryBook())
    app = web.Application()
    adapter.mount(app)
    teams = TeamsSender(await aiohttp_client(app))
    remote = payloads.personal_message("hoi", user=MIA) | {"serviceUrl": "https://example.org/"}

    assert (await teams.post(remote)).status == 401
    assert (await teams.post(payloads.personal_message("hoi", user=MIA))).status == 202
    await core.wait()
    await adapter.stop()
