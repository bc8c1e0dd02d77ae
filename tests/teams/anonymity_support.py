"""The real meldbot on Teams, driven as one staff member and one coordinator would, with
every inbound request signed by a local OpenID issuer and every outbound call checked for
the bot's token; and what each side saw, for the anonymity test."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, Channel, TeamsPayloads, TeamsUser
from tests.privacy import log_lines_holding, tables_holding
from tests.teams.support import (
    COORDINATION,
    COORDINATOR_CHANNEL,
    StaticTokens,
    TeamsSender,
    action,
    card_of,
    make_settings,
    text_of,
)
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]

# The staff member: ids that cannot be mistaken for any other text.
SANNE = TeamsUser(
    "29:1SanneQ2vX7kRw9Anoniem4Q2mZ",
    "Sanne Verbeek-Anoniem",
    "5a11e0b7-7c1d-4e2f-9a61-0d5a22e7e4a1",
)
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")


def identifiers(teams: TeamsPayloads, user: TeamsUser) -> list[str]:
    """Everything Teams tells a bot that names this person: ``from.id`` (29:…, per tenant and
    bot), ``from.aadObjectId``, ``from.name`` (and its distinctive surname), and the id of
    their personal chat with meldbot (a:…)."""
    surname = user.name.partition(" ")[2]
    return [user.id, user.aad_object_id, user.name, surname, teams.personal(user)["id"]]


MELDBOT_LOGGERS = ("meldbot", "bot", "dialogs", "storage", "adapters")


def capture_logs(caplog: pytest.LogCaptureFixture) -> None:
    """meldbot's own loggers at DEBUG, every other at INFO. (At DEBUG, aiosqlite logs each
    statement with its parameters, among them keys such as ``language:teams:<person>``.)
    Levels meldbot sets itself, such as the Agents SDK's, stay as meldbot sets them."""
    caplog.set_level(logging.INFO)
    for name in MELDBOT_LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)


def signed_outbound(monkeypatch: pytest.MonkeyPatch) -> None:
    """The composition root builds the adapter with the SDK's MSAL connections; there is no
    Entra ID here, so outbound calls get one fixed token (the fake connector demands it)."""
    monkeypatch.setattr(
        "adapters.teams.adapter.sdk_connections", lambda _environ, _app_id: StaticTokens()
    )


class TeamsMeldbot:
    """One running meldbot; people post signed activities, the fake connector shows the rest."""

    def __init__(
        self,
        client: TestClient[Any, Any],
        app: web.Application,
        fake: FakeBotConnector,
        issuer: OpenIdIssuer,
    ) -> None:
        self.sender, self.app, self.fake, self.issuer = TeamsSender(client), app, fake, issuer
        self.teams = TeamsPayloads(fake.url)
        self.inbound: list[dict[str, Any]] = []  # every activity Teams delivered to meldbot
        self.answered: list[tuple[TeamsUser, dict[str, Any]]] = []  # invoke answers, by whom

    async def post(self, activity: dict[str, Any]) -> dict[str, Any] | None:
        signed = self.issuer.authorization(BOT_APP_ID, service_url=activity["serviceUrl"])
        response = await self.sender.post(activity, signed)
        assert response.status in (200, 202), await response.text()
        self.inbound.append(activity)
        if activity["type"] != "invoke":
            return None
        body: dict[str, Any] = await response.json()
        assert body["statusCode"] == 200
        self.answered.append((_user(activity), body))
        return body

    # -- the personal chat ---------------------------------------------------------

    def chat(self, user: TeamsUser) -> list[dict[str, Any]]:
        return self.fake.activities(self.teams.personal(user)["id"])

    async def say(self, user: TeamsUser, words: str, expect: str) -> dict[str, Any]:
        """Types ``words``; returns the first new message in the chat that shows ``expect``."""
        before = len(self.chat(user))
        await self.post(self.teams.personal_message(words, user=user))
        return await self.new_message(user, before, expect)

    async def new_message(self, user: TeamsUser, before: int, expect: str) -> dict[str, Any]:
        def arrived() -> list[dict[str, Any]]:
            return [m for m in self.chat(user)[before:] if expect in text_of(card_of(m))]

        return (await until(arrived, f"a message showing {expect!r}"))[0]

    # -- cards ---------------------------------------------------------------------

    async def press(
        self,
        user: TeamsUser,
        message: dict[str, Any],
        action_id: str,
        in_channel: bool = False,
        channel: Channel = COORDINATOR_CHANNEL,
    ) -> dict[str, Any]:
        """Presses a button on a message (Action.Execute); returns the invoke's answer.
        ``in_channel``: the message is a root card in ``channel``."""
        button = action(card_of(message), "button", action_id)
        return await self._invoke(
            user, button["data"], button["verb"], message, in_channel, channel
        )

    async def fill(
        self,
        user: TeamsUser,
        message: dict[str, Any],
        opened: dict[str, Any],
        values: dict[str, str],
        in_channel: bool = False,
        channel: Channel = COORDINATOR_CHANNEL,
    ) -> dict[str, Any]:
        """Sends the form card ``opened`` (an invoke answer shown on ``message``)."""
        form = opened["value"]
        assert opened["type"] == "application/vnd.microsoft.card.adaptive", opened
        sent = action(form, "form")
        data = dict(sent["data"]) | {f"field.{key}": value for key, value in values.items()}
        return await self._invoke(user, data, sent["verb"], message, in_channel, channel)

    async def _invoke(
        self,
        user: TeamsUser,
        data: dict[str, Any],
        verb: str,
        message: dict[str, Any],
        in_channel: bool,
        channel: Channel = COORDINATOR_CHANNEL,
    ) -> dict[str, Any]:
        thread = self.teams.channel_thread(channel, message["id"])  # a root card
        invoke = self.teams.card_action_invoke(
            data,
            verb,
            message["id"],
            conversation=thread if in_channel else None,
            user=user,
            team=COORDINATION if in_channel else None,
            channel=channel if in_channel else None,
        )
        body = await self.post(invoke)
        assert body is not None
        return body

    # -- the coordinator channel ---------------------------------------------------

    def roots(self, channel: Channel = COORDINATOR_CHANNEL) -> list[dict[str, Any]]:
        posts = self.fake.activities(channel.id)
        return [post for post in posts if self.fake.thread(post["id"])[:1] == [post]]

    async def root_showing(self, words: str) -> dict[str, Any]:
        def found() -> list[dict[str, Any]]:
            return [r for r in self.roots() if words in text_of(card_of(r))]

        return (await until(found, f"a root card showing {words!r}"))[0]

    async def note_showing(self, root: dict[str, Any], words: str) -> dict[str, Any]:
        def found() -> list[dict[str, Any]]:
            return [n for n in self.fake.thread(root["id"])[1:] if words in text_of(card_of(n))]

        return (await until(found, f"a thread note showing {words!r}"))[0]

    def shown_to_others(self, user: TeamsUser) -> list[str]:
        """Everything meldbot sent anywhere but this person's own chat (posts, new threads,
        updates), and every invoke answer (forms included) given to someone else."""
        chat = self.teams.personal(user)["id"]
        sent = [c.body for c in self.fake.calls if c.body and c.conversation_id != chat]
        answers = [body for who, body in self.answered if who.id != user.id]
        return [json.dumps(item, ensure_ascii=False) for item in sent + answers]

    # -- what meldbot keeps --------------------------------------------------------

    async def tables_holding(self, ids: Iterable[str]) -> dict[str, list[str]]:
        database = self.app[RUNTIME].database
        return await tables_holding(database.engine, database._sealer, ids)


def receipt_code(message: dict[str, Any]) -> str:
    """The code in the "Your receipt code" fact of a confirmation."""
    facts = [
        fact
        for node in card_of(message)["body"]
        if node.get("type") == "FactSet"
        for fact in node["facts"]
        if "code" in fact["title"].lower()
    ]
    [fact] = facts
    found = CODE.search(fact["value"].replace("\\", ""))
    assert found is not None, fact
    return found.group(0)


def texts_holding(texts: Iterable[str], ids: Iterable[str]) -> list[str]:
    """``log_lines_holding``'s search (ids and their hashes) over any texts."""
    records = [logging.makeLogRecord({"name": "shown", "msg": text}) for text in texts]
    return log_lines_holding(records, ids)


def _user(activity: dict[str, Any]) -> TeamsUser:
    account = activity["from"]
    return TeamsUser(account["id"], account["name"], account["aadObjectId"])


async def start(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    database_url: str,
    **overrides: Any,
) -> TeamsMeldbot:
    """The composition root with Teams on and authenticated (see ``signed_outbound``),
    with the content in the channel ("full": the most there is to scan for a name) unless
    ``overrides`` (further settings: a rota, a vertrouwenspersoon, the language) say else."""
    settings = make_settings(
        fake,
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        **{"channel_content": "full", **overrides},
    )
    app = await create_app(settings, clock=lambda: datetime.now(UTC))
    return TeamsMeldbot(await aiohttp_client(app), app, fake, issuer)
