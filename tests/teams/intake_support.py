"""The safe intake on Teams: the stories people type, the codes they type instead of their
code, a signed meldbot with its settings, and searches of what it kept and posted."""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, text

from bot.app import RUNTIME
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import Channel, TeamsUser, split_thread_id
from tests.teams.anonymity_support import MakeClient, TeamsMeldbot, signed_outbound, start
from tests.teams.support import COORDINATOR_CHANNEL, card_of, has_action, text_of
from tests.waiting import until

KNIFE = "Hij staat nu buiten met een mes en zegt dat hij op me wacht"
SELF_HARM = (
    "De klant zei aan de telefoon dat hij zichzelf iets gaat aandoen als hij geen geld krijgt."
)
CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
# What colleagues typed in the chat instead of their anonymous code, exactly as shown.
CODE_VARIANTS = [
    "E6ES QGYQ JF8K PP02",
    "e6es-qgyq-jf8k-pp02",
    "E6ESQGYQJF8KPP02",
    "E6ES-QGYQ-JF8K-PP0",  # one too few
    "E6ES-QGYQ-JF8K-PP021",  # one too many
    "mijn code is E6ES-QGYQ-JF8K-PP02",
    "Hoi, hier is mijn code: e6es qgyq jf8k pp02. Is er al nieuws?",
    "E6ES.QGYQ.JF8K.PPO2",  # O for 0
]
CODE_GROUPS = ("E6ES", "QGYQ", "JF8K", "PP0")  # in every variant, in some case or other
REFERENCE = re.compile(r"M-\d{4}-\d{4}")
CARD = "application/vnd.microsoft.card.adaptive"

ELS = TeamsUser("29:els", "Els Bakker", "aad-els-0005")
ELS_CHANNEL = Channel("19:vertrouwenspersoon@thread.tacv2", "Vertrouwenspersoon")


async def open_meldbot(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    **overrides: Any,
) -> TeamsMeldbot:
    """The composition root, Teams signed both ways, in Dutch, with ``overrides``."""
    signed_outbound(monkeypatch)
    return await start(
        tmp_path, fake, issuer, aiohttp_client, database_url, language="nl", **overrides
    )


def actions_of(message: dict[str, Any], *names: str) -> list[str]:
    """Which of the buttons ``names`` a message shows."""
    card = card_of(message)
    return [name for name in names if has_action(card, name)]


def as_shown(bot: TeamsMeldbot, message: dict[str, Any]) -> dict[str, Any]:
    """A message as it stands now (after updates), copied: a later update of the same
    message does not change it, as a card already on someone's screen stays as it was."""
    return copy.deepcopy(bot.fake.activity(message["id"]))


def as_opened(form_message: dict[str, Any]) -> dict[str, Any]:
    """A form posted in the chat, in the shape of an invoke's answer that shows one."""
    return {"type": CARD, "value": card_of(form_message)}


def normalised(shown: str) -> str:
    """Letters and digits only, casefolded: a code stays findable however it was split."""
    return re.sub(r"[^0-9a-z]", "", shown.casefold())


def holds_code(shown: str, groups: Sequence[str]) -> list[str]:
    """Which two neighbouring groups of a code appear in ``shown``, run together or apart."""
    haystack = normalised(shown)
    pairs = [normalised(a + b) for a, b in itertools.pairwise(groups)]
    return [pair for pair in pairs if pair in haystack]


def reference_in(shown: dict[str, Any] | str) -> str:
    found = REFERENCE.search(shown if isinstance(shown, str) else text_of(shown))
    assert found is not None, shown
    return found.group(0)


async def draft_of(bot: TeamsMeldbot, user: TeamsUser, words: str) -> dict[str, Any]:
    """Types ``words`` in the personal chat; the draft meldbot answers with."""
    return await bot.say(user, words, "Wil je dit als melding versturen?")


async def settled(bot: TeamsMeldbot) -> None:
    """Nothing left to deliver, nothing still arriving at the connector."""
    await bot.app[RUNTIME].outbox.settle()
    await bot.fake.settle()


async def unsealed(bot: TeamsMeldbot) -> str:
    """Every sealed text meldbot keeps, opened: narratives, event texts, dialog states,
    outbox payloads, timers, consultation entries, addresses (files' bytes aside)."""
    database = bot.app[RUNTIME].database
    sealer = database._sealer
    found: list[str] = []
    async with database.engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for table in tables:
            rows = await connection.execute(text(f'SELECT * FROM "{table}"'))
            sealed = [i for i, column in enumerate(rows.keys()) if column.endswith("_sealed")]
            for row in rows:
                found += [sealer.unseal(row[i]) or "" for i in sealed if isinstance(row[i], str)]
    return "\n".join(found)


def posted_to(bot: TeamsMeldbot, channel: Channel = COORDINATOR_CHANNEL) -> str:
    """Everything meldbot sent into a channel: new threads, replies and updates."""
    bodies = []
    for call in bot.fake.calls:
        into = split_thread_id(call.conversation_id)[0] if call.conversation_id else None
        if call.path == "/v3/conversations" and isinstance(call.body, dict):
            into = ((call.body.get("channelData") or {}).get("channel") or {}).get("id")
        if into == channel.id and call.body:
            bodies.append(json.dumps(call.body, ensure_ascii=False))
    return "\n".join(bodies)


async def one_root(bot: TeamsMeldbot, reference: str) -> dict[str, Any]:
    """The case's root card in the coordinator channel, once its thread has begun."""
    root = await bot.root_showing(reference)
    await until(lambda: bot.fake.thread(root["id"])[1:], f"the thread of {reference}")
    return root


def thread_text(bot: TeamsMeldbot, root: dict[str, Any]) -> str:
    """The cards of a case's thread (images aside), as a reader sees them."""
    notes = [n for n in bot.fake.thread(root["id"])[1:] if _is_card(n)]
    return "\n".join(text_of(card_of(note)) for note in notes)


def _is_card(activity: dict[str, Any]) -> bool:
    kinds = [a.get("contentType") for a in activity.get("attachments") or []]
    return kinds == ["application/vnd.microsoft.card.adaptive"]
