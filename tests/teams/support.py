"""Helpers for the Teams tests: settings, posting activities, reading cards the fake received."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient
from microsoft_agents.hosting.core.authorization import (
    AgentAuthConfiguration,
    AnonymousTokenProvider,
)

from adapters.teams.config import AnonymousConnections
from bot.settings import Settings
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_payloads import BOT_APP_ID, TENANT_ID, Channel, Team, TeamsUser

COORDINATION = Team(
    id="19:team-general@thread.tacv2",
    name="Meldpunt",
    aad_group_id="0f6a1e2d-0000-4000-8000-00000000team",
    channels=(Channel("19:coordinators@thread.tacv2", "Meldingen"),),
)
COORDINATOR_CHANNEL = COORDINATION.channels[0]
MIA = TeamsUser("29:mia", "Mia Melder", "aad-mia-0001")
BRAM = TeamsUser("29:bram", "Bram Baliemedewerker", "aad-bram-0002")
CHRIS = TeamsUser("29:chris", "Chris Coördinator", "aad-chris-0003")
NOOR = TeamsUser("29:noor", "Noor Nietcoördinator", "aad-noor-0004")
OUTBOUND_TOKEN = "outbound-token-for-the-connector"


def make_settings(fake: FakeBotConnector, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "teams_coordinator_channel": COORDINATOR_CHANNEL.id,
        "teams_coordinators": [CHRIS.aad_object_id],
        "teams_service_url": fake.url,
        "teams_tenant_id": TENANT_ID,
        "web_chat": "off",
        "language": "en",
    }
    values.update(overrides)
    return Settings(**values)


class StaticTokens(AnonymousConnections):
    """The SDK's ``Connections`` with one fixed outbound token (no Entra ID to ask here)."""

    class _Provider(AnonymousTokenProvider):
        async def get_access_token(
            self, resource_url: str, scopes: list[str], force_refresh: bool = False
        ) -> str:
            return OUTBOUND_TOKEN

    _provider = _Provider()

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return AgentAuthConfiguration(CLIENTID=BOT_APP_ID)


class TeamsSender:
    """Posts activities to ``/api/messages`` as the Bot Connector would."""

    def __init__(self, client: TestClient[Any, Any]) -> None:
        self.client = client

    async def post(self, activity: Any, headers: dict[str, str] | None = None) -> ClientResponse:
        return await self.client.post("/api/messages", json=activity, headers=headers or {})


def card_of(activity: dict[str, Any]) -> dict[str, Any]:
    [attachment] = activity["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card: dict[str, Any] = attachment["content"]
    return card


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def action(card: dict[str, Any], kind: str, name: str | None = None) -> dict[str, Any]:
    """The ``Action.Execute`` of a button (``name`` = action id) or a form's submit/cancel."""
    for node in _walk(card):
        data = node.get("data")
        if node.get("type") != "Action.Execute" or not isinstance(data, dict):
            continue
        if data.get("kind") == kind and (name is None or data.get("action") == name):
            return node
    raise AssertionError(f"no {kind} {name or ''} action in the card")


def has_action(card: dict[str, Any], name: str) -> bool:
    try:
        action(card, "button", name)
    except AssertionError:
        return False
    return True


def text_of(card: dict[str, Any]) -> str:
    """Every text, fact and title on a card as a reader sees it: markdown escapes removed,
    full-width angle brackets (how user text shows ``<`` and ``>``) read as plain ones."""
    parts: list[str] = []
    for node in _walk(card):
        for key in ("text", "title", "value", "label"):
            if isinstance(node.get(key), str):
                parts.append(node[key])
    shown = "\n".join(parts).replace("\\", "")
    return shown.replace("\uff1c", "<").replace("\uff1e", ">").replace("\u200b", "")


def submit(card: dict[str, Any], values: dict[str, str]) -> dict[str, Any]:
    """The data Teams sends for the form's submit button: its data plus the typed inputs."""
    data = dict(action(card, "form")["data"])
    data.update({f"field.{key}": value for key, value in values.items()})
    return data
