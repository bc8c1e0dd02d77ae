"""The Teams fakes, driven by the real Agents SDK clients and PyJWT."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import aiohttp
import jwt
import pytest
from microsoft_agents.activity import Activity, ChannelAccount, ConversationParameters
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration
from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator
from microsoft_agents.hosting.core.connector.client import ConnectorClient
from microsoft_agents.hosting.core.connector.teams import TeamsConnectorClient

from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import BOT_FRAMEWORK_ISSUER, OpenIdIssuer
from tests.fakes.teams_payloads import (
    BOT_APP_ID,
    TENANT_ID,
    Channel,
    Team,
    TeamsPayloads,
    TeamsUser,
    personal_conversation_id,
)

CHANNEL = "19:coordinators0001@thread.tacv2"
TEAM = Team(channels=(Channel(CHANNEL, "Coördinatoren"),))
ALICE = TeamsUser()
BOB = TeamsUser("29:1bob-opaque-id", "Bob Beheer", "6a1e7c2d-0000-4000-8000-00000000a002")


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector() as connector:
        yield connector


@pytest.fixture
async def client(fake: FakeBotConnector) -> AsyncIterator[ConnectorClient]:
    connector = ConnectorClient(fake.url, "token-for-the-connector")
    yield connector
    await connector.close()


def message(text: str, **fields: Any) -> Activity:
    return Activity(type="message", text=text, channel_id="msteams", **fields)


async def start_thread(client: ConnectorClient, text: str = "Nieuwe melding") -> tuple[str, str]:
    created = await client.conversations.create_conversation(
        ConversationParameters(
            is_group=True,
            channel_data={"channel": {"id": CHANNEL}},
            activity=message(text),
            tenant_id=TENANT_ID,
        )
    )
    assert created.id is not None and created.activity_id is not None
    return created.id, created.activity_id


async def test_a_channel_thread_is_created_continued_and_replied_to(
    fake: FakeBotConnector, client: ConnectorClient
) -> None:
    conversation_id, root_id = await start_thread(client)
    assert (conversation_id, root_id) == (f"{CHANNEL};messageid=1000001", "1000001")
    assert fake.created[0]["isGroup"] is True
    assert fake.created[0]["channelData"] == {"channel": {"id": CHANNEL}}

    sent = await client.conversations.send_to_conversation(conversation_id, message("Opgepakt"))
    replied = await client.conversations.reply_to_activity(
        conversation_id, root_id, message("Gesloten", reply_to_id=root_id)
    )
    assert (sent.id, replied.id) == ("1000002", "1000003")

    thread = fake.thread(conversation_id)
    assert [a["text"] for a in thread] == ["Nieuwe melding", "Opgepakt", "Gesloten"]
    assert thread == fake.thread(root_id) == fake.activities(conversation_id)
    assert thread[2]["replyToId"] == root_id
    assert thread[1]["channelId"] == "msteams"  # camelCase, as the SDK sends it
    assert [a["id"] for a in fake.sent] == ["1000002", "1000003"]
    assert fake.calls[1].conversation_id == conversation_id
    assert fake.calls[2].activity_id == root_id

    top_level = await client.conversations.send_to_conversation(CHANNEL, message("Los bericht"))
    assert fake.thread(top_level.id or "") == [fake.activity("1000004")]
    assert len(fake.activities(CHANNEL)) == 4


async def test_updates_and_deletes(fake: FakeBotConnector, client: ConnectorClient) -> None:
    conversation_id, root_id = await start_thread(client)
    updated = await client.conversations.update_activity(
        conversation_id, root_id, message("Melding (opgepakt)", id=root_id)
    )
    assert updated.id == root_id
    assert fake.updates[0]["text"] == "Melding (opgepakt)"
    assert fake.thread(root_id)[0]["text"] == "Melding (opgepakt)"

    with pytest.raises(aiohttp.ClientResponseError) as unknown:
        await client.conversations.update_activity(conversation_id, "999", message("x"))
    assert unknown.value.status == 404

    await client.conversations.delete_activity(conversation_id, root_id)
    assert fake.thread(root_id) == []
    assert fake.deleted == [root_id]
    assert fake.activities(conversation_id, deleted=True)[0]["id"] == root_id


async def test_a_personal_chat_is_created_with_the_id_teams_uses(
    fake: FakeBotConnector, client: ConnectorClient
) -> None:
    created = await client.conversations.create_conversation(
        ConversationParameters(
            is_group=False,
            agent=ChannelAccount(id=fake.bot.id),
            members=[ChannelAccount(id=ALICE.id)],
            tenant_id=TENANT_ID,
        )
    )
    assert created.id == personal_conversation_id(ALICE.id)
    assert created.id == TeamsPayloads(fake.url).personal_message("hoi")["conversation"]["id"]
    await client.conversations.send_to_conversation(created.id, message("Je melding"))
    assert [a["text"] for a in fake.activities(created.id)] == ["Je melding"]

    with pytest.raises(aiohttp.ClientResponseError) as no_tenant:
        await client.conversations.create_conversation(
            ConversationParameters(members=[ChannelAccount(id=BOB.id)])
        )
    assert no_tenant.value.status == 400


async def test_faults_are_scripted_with_retry_after(
    fake: FakeBotConnector, client: ConnectorClient
) -> None:
    fake.fail_next(429, retry_after=2, method="post", path_contains="/activities")
    conversation_id, _ = await start_thread(client)  # POST /v3/conversations: not matched

    with pytest.raises(aiohttp.ClientResponseError) as throttled:
        await client.conversations.send_to_conversation(conversation_id, message("x"))
    assert throttled.value.status == 429
    assert throttled.value.headers is not None and throttled.value.headers["Retry-After"] == "2"
    assert '"code": "Throttled"' in throttled.value.message

    fake.fail_next(504, path_contains=CHANNEL)
    with pytest.raises(aiohttp.ClientResponseError) as timed_out:
        await client.conversations.send_to_conversation(conversation_id, message("x"))
    assert timed_out.value.status == 504
    assert timed_out.value.headers is not None and "Retry-After" not in timed_out.value.headers

    await client.conversations.send_to_conversation(conversation_id, message("y"))
    assert [c.status for c in fake.calls] == [201, 429, 504, 201]
    assert [a["text"] for a in fake.sent] == ["y"]


async def test_faults_apply_to_the_matching_calls_only(
    fake: FakeBotConnector, client: ConnectorClient
) -> None:
    fake.fail_next(412, times=2, method="PUT")
    conversation_id, root_id = await start_thread(client)
    for _ in range(2):
        with pytest.raises(aiohttp.ClientResponseError) as failed:
            await client.conversations.update_activity(conversation_id, root_id, message("x"))
        assert failed.value.status == 412
    await client.conversations.update_activity(conversation_id, root_id, message("x"))
    assert [c.status for c in fake.calls] == [201, 412, 412, 200]


async def test_an_outage_lasts_a_while_then_another_begins_then_all_is_well(
    fake: FakeBotConnector, client: ConnectorClient
) -> None:
    fake.fail_for(503, 0.3, path_contains="/activities")
    fake.fail_for(429, 0.3, after=0.3, retry_after=1, path_contains="/activities")
    conversation_id, _ = await start_thread(client)  # POST /v3/conversations: not matched

    async def answer_to_a_send() -> tuple[int, str | None]:
        try:
            await client.conversations.send_to_conversation(conversation_id, message("x"))
        except aiohttp.ClientResponseError as error:
            return error.status, (error.headers or {}).get("Retry-After")
        return 201, None

    assert [await answer_to_a_send() for _ in range(3)] == [(503, None)] * 3
    await asyncio.sleep(0.35)
    assert await answer_to_a_send() == (429, "1")
    await asyncio.sleep(0.3)
    assert [await answer_to_a_send() for _ in range(2)] == [(201, None)] * 2
    assert [a["text"] for a in fake.sent] == ["x", "x"]


@pytest.mark.parametrize("required", ["secret-token", lambda token: token.startswith("secret")])
async def test_a_token_can_be_required(required: Any) -> None:
    async with FakeBotConnector(require_token=required) as fake:
        wrong = ConnectorClient(fake.url, "wrong-token")
        right = ConnectorClient(fake.url, "secret-token")
        try:
            with pytest.raises(aiohttp.ClientResponseError) as denied:
                await wrong.conversations.send_to_conversation("a:1x", message("x"))
            assert denied.value.status == 401
            await right.conversations.send_to_conversation("a:1x", message("y"))
        finally:
            await wrong.close()
            await right.close()
    assert [c.status for c in fake.calls] == [401, 201]
    assert fake.calls[0].headers["Authorization"] == "Bearer wrong-token"
    assert [a["text"] for a in fake.sent] == ["y"]


async def test_rosters_channels_and_team_details(fake: FakeBotConnector) -> None:
    fake.add_team(TEAM, members=[ALICE, BOB])
    teams = TeamsConnectorClient(fake.url, "token")
    try:
        members = await teams.conversations.get_conversation_members(f"{TEAM.id};messageid=1")
        assert [m.id for m in members] == [ALICE.id, BOB.id]
        page = await teams.get_conversation_paged_member(TEAM.id, 1, "")
        assert [m.aad_object_id for m in page.members] == [ALICE.aad_object_id]
        rest = await teams.conversations.get_conversation_paged_members(
            TEAM.id, page_size=1, continuation_token=page.continuation_token
        )
        assert [m.id for m in rest.members] == [BOB.id] and not rest.continuation_token
        bob = await teams.get_conversation_member(TEAM.id, BOB.id)
        assert (bob.name, bob.tenant_id) == ("Bob Beheer", TENANT_ID)

        channels = await teams.fetch_channel_list(TEAM.id)
        assert [(c.id, c.name) for c in channels] == [(TEAM.id, None), (CHANNEL, "Coördinatoren")]
        details = await teams.fetch_team_details(TEAM.id)
        assert (details.name, details.aad_group_id) == (TEAM.name, TEAM.aad_group_id)
        assert (details.channel_count, details.member_count) == (2, 2)

        with pytest.raises(aiohttp.ClientResponseError) as unknown:
            await teams.conversations.get_conversation_members("19:other@thread.tacv2")
        assert unknown.value.status == 404
    finally:
        await teams.close()


async def test_encoded_conversation_ids_and_latency(fake: FakeBotConnector) -> None:
    fake.latency = 0.2
    conversation_id = f"{CHANNEL};messageid=42"
    url = f"{fake.url}v3/conversations/{quote(conversation_id, safe='')}/activities/42"
    started = time.monotonic()
    async with aiohttp.ClientSession() as session:
        response = await session.post(url, json={"type": "message", "text": "x"})
        assert response.status == 201
    assert time.monotonic() - started >= 0.2
    assert fake.calls[0].conversation_id == conversation_id
    assert fake.thread("42")[0]["replyToId"] == "42"


def test_inbound_payloads_parse_as_the_sdk_reads_them() -> None:
    payloads = TeamsPayloads("http://127.0.0.1:1/")
    personal = Activity.model_validate(payloads.personal_message("Ik wil iets melden"))
    assert personal.conversation.conversation_type == "personal"
    assert personal.from_property.aad_object_id == ALICE.aad_object_id
    assert personal.recipient.id == f"28:{BOT_APP_ID}"

    post = payloads.channel_message("help", user=BOB, team=TEAM)
    assert post["conversation"]["id"] == f"{TEAM.id};messageid={post['id']}"
    assert post["text"] == "<at>meldbot</at> help"

    invoke = Activity.model_validate(
        payloads.card_action_invoke({"case": 7}, "claim", reply_to_id="1000001")
    )
    assert (invoke.type, invoke.name, invoke.reply_to_id) == (
        "invoke",
        "adaptiveCard/action",
        "1000001",
    )
    assert invoke.value["action"] == {
        "type": "Action.Execute",
        "verb": "claim",
        "data": {"case": 7},
    }

    installed = payloads.conversation_update(team=TEAM)
    assert installed["membersAdded"] == [{"id": f"28:{BOT_APP_ID}"}]
    assert installed["channelData"]["eventType"] == "teamMemberAdded"
    assert installed["channelData"]["team"]["id"] == TEAM.id
    assert payloads.installation_update(team=TEAM)["action"] == "add"


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as served:
        yield served


async def test_tokens_verify_against_the_served_keys(issuer: OpenIdIssuer) -> None:
    async with aiohttp.ClientSession() as session:
        metadata = await (await session.get(issuer.metadata_url)).json()
    assert metadata["issuer"] == BOT_FRAMEWORK_ISSUER
    assert metadata["jwks_uri"] == issuer.jwks_url

    keys = jwt.PyJWKClient(metadata["jwks_uri"])
    token = issuer.token(BOT_APP_ID, service_url="https://smba.example/emea/")
    key = await asyncio.to_thread(keys.get_signing_key_from_jwt, token)
    claims = jwt.decode(
        token, key, algorithms=["RS256"], audience=BOT_APP_ID, issuer=BOT_FRAMEWORK_ISSUER
    )
    assert claims["serviceurl"] == "https://smba.example/emea/"
    assert key.key_id == issuer.kid
    assert (issuer.metadata_requests, issuer.jwks_requests) == (1, 1)
    served = (await asyncio.to_thread(keys.get_jwk_set)).keys[0]
    assert served._jwk_data["endorsements"] == ["msteams"]

    forged = issuer.token(BOT_APP_ID, key=issuer.untrusted_key)
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, key, algorithms=["RS256"], audience=BOT_APP_ID)
    expired = issuer.token(BOT_APP_ID, expires_in=-60)
    with pytest.raises(jwt.ExpiredSignatureError):
        jwt.decode(expired, key, algorithms=["RS256"], audience=BOT_APP_ID)


async def test_the_sdk_validator_accepts_the_issuer_when_pointed_at_it(
    issuer: OpenIdIssuer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(
        jwt_token_validator.BOTFRAMEWORK_JWKS_URIS, BOT_FRAMEWORK_ISSUER, issuer.jwks_url
    )
    validator = jwt_token_validator.JwtTokenValidator(
        AgentAuthConfiguration(client_id=BOT_APP_ID, tenant_id=TENANT_ID)
    )
    identity = await validator.validate_token(issuer.token(BOT_APP_ID, app_id="bf-connector"))
    assert identity.claims["aud"] == BOT_APP_ID
    with pytest.raises(ValueError, match="audience"):
        await validator.validate_token(issuer.token("someone-else"))
    with pytest.raises(jwt.InvalidSignatureError):
        await validator.validate_token(issuer.token(BOT_APP_ID, key=issuer.untrusted_key))
