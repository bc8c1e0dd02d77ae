"""Driving the real meldbot over Slack as several people at once, for the intake tests.

Staff write in their DM with meldbot and press the buttons of its messages; coordinators
press the buttons of the cards in their channel; everyone fills in the modals meldbot
opens. All of it as signed requests through the real slack-bolt stack, against the fake
Slack Web API, with the real core and database behind it.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import RUNTIME, Runtime, create_app
from bot.consultation.receipts import LOOKALIKES
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack, Posted
from tests.fakes.slack_payloads import (
    block_actions,
    dm_message,
    event_callback,
    file_share_dm,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.anonymity_support import SHOWING, buttons, text_of
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
COORDINATOR = "UCOORD1"
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")


async def start_meldbot(
    fake: FakeSlack,
    client: MakeClient,
    database_url: str,
    tmp_path: Path,
    **settings: Any,
) -> Meldbot:
    """meldbot in Dutch, its users' language, on Slack only."""
    # The content in the channel ("full"): these tests read the thread to see what went where.
    values: dict[str, Any] = {"language": "nl", "channel_content": "full", **settings}
    configured = make_settings(
        fake, database_url=database_url, data_dir=tmp_path, seal_key=new_key(), **values
    )
    app = await create_app(configured)
    return Meldbot(SlackSender(await client(app)), fake, app[RUNTIME])


def squeezed(shown: str) -> str:
    """Letters and digits only, upper case, O read as 0 and I or L as 1: how a code could
    still be read from text however it was typed."""
    return re.sub(r"[^0-9A-Z]", "", shown.upper().translate(LOOKALIKES))


class Meldbot:
    def __init__(self, sender: SlackSender, fake: FakeSlack, runtime: Runtime) -> None:
        self.sender, self.fake, self.runtime = sender, fake, runtime
        self._ids = itertools.count(1)
        self._forms = 0  # modals opened so far

    async def _post(self, body: str, *, form: bool) -> str:
        response = await self.sender.post(body, form=form)
        answer = await response.text()
        assert response.status == 200, answer
        return answer

    # -- staff in their DM ---------------------------------------------------------------

    def dm(self, user: str) -> list[Posted]:
        return self.fake.in_channel("D" + user)

    async def say(self, user: str, words: str, files: list[dict[str, Any]] | None = None) -> Posted:
        """A DM (with files the fake shares); returns meldbot's first answer to it."""
        seen, n = len(self.dm(user)), next(self._ids)
        ts = f"1700000300.{n:06d}"
        event = file_share_dm(user, files, words, ts) if files else dm_message(user, words, ts)
        await self._post(event_callback(event, f"EvIntake{n}"), form=False)
        return (await until(lambda: self.dm(user)[seen:], f"an answer to {words!r}"))[0]

    async def press(
        self, user: str, message: Posted, action_id: str, value: str | None = None
    ) -> None:
        """``user`` presses the button ``action_id`` of ``message`` (in a DM or a channel);
        ``value``: a press of the button as the message showed it earlier (a double click,
        or a client that had not caught up yet)."""
        if value is None:
            value = buttons(message.blocks)[action_id]
        body = block_actions(user, action_id, value, channel=message.channel, message_ts=message.ts)
        await self._post(body, form=True)

    async def command(self, user: str) -> tuple[dict[str, Any], str]:
        """``/meld`` in a channel; returns the modal meldbot opened, and its id."""
        await self._post(slash_command(user), form=True)
        return await self.opened_form()

    async def opened_form(self) -> tuple[dict[str, Any], str]:
        """The newest modal meldbot opened, and its id."""
        opened = await self.fake.wait_for("views.open", self._forms + 1)
        modals = [key for key, view in self.fake.views.items() if view.get("type") == "modal"]
        self._forms += 1
        return opened[self._forms - 1].json_param("view"), modals[self._forms - 1]

    async def submit(
        self, user: str, form: tuple[dict[str, Any], str], answers: Mapping[str, str]
    ) -> dict[str, Any]:
        """Fills in and submits a modal; returns Slack's answer to the submission."""
        view, view_id = form
        values = submitted_view_values(view, answers)
        metadata = str(view.get("private_metadata") or "")
        body = view_submission(user, view["callback_id"], values, metadata, view_id)
        answer = await self._post(body, form=True)
        return json.loads(answer) if answer else {}

    # -- coordinators --------------------------------------------------------------------

    def cards(self, channel: str = COORDINATOR_CHANNEL) -> list[Posted]:
        return self.fake.in_channel(channel)

    async def card(self, number: int, channel: str = COORDINATOR_CHANNEL) -> Posted:
        found = await until(lambda: self.cards(channel)[number - 1 : number], f"card {number}")
        return found[0]

    def thread(self, card: Posted) -> list[Posted]:
        return self.fake.replies(card.channel, card.ts)

    def thread_text(self, card: Posted) -> str:
        return "\n".join(text_of(m.blocks) for m in self.thread(card))

    async def in_thread(self, card: Posted, words: str) -> Posted:
        def found() -> Posted | None:
            hits = [m for m in self.thread(card) if words in text_of(m.blocks)]
            return hits[-1] if hits else None

        return await until(found, f"{words!r} in the thread")

    async def ask(self, card: Posted, question: str, reporter: str) -> Posted:
        """A coordinator asks from the case card; returns the question in the reporter's DM."""
        seen = len(self.dm(reporter))
        await self.press(COORDINATOR, card, "case.ask")
        await self.submit(COORDINATOR, await self.opened_form(), {"question": question})
        await self.in_thread(card, question)
        return (await until(lambda: self.dm(reporter)[seen:], "the question in the DM"))[0]

    def shown_in(self, channel: str = COORDINATOR_CHANNEL) -> str:
        """Everything meldbot posted or updated in ``channel``, its threads included."""
        calls = [
            c for c in self.fake.calls if c.method in SHOWING and c.params.get("channel") == channel
        ]
        return "\n".join(json.dumps(c.params, ensure_ascii=False) for c in calls)

    # -- what meldbot keeps --------------------------------------------------------------

    async def stored_texts(self) -> str:
        """Every narrative, event text and dialog state the database holds, unsealed."""
        sealer = self.runtime.database._sealer
        found: list[str] = []
        async with self.runtime.database.engine.connect() as connection:
            for query in (
                "SELECT narrative_sealed FROM cases",
                "SELECT text_sealed FROM case_events",
                "SELECT state_sealed FROM dialog_states",
            ):
                for (sealed,) in (await connection.execute(text(query))).all():
                    found.append(sealer.unseal(sealed) or "")
        return "\n".join(found)

    async def settle(self) -> None:
        await self.runtime.outbox.settle()
        await self.fake.settle()


def code_in(message: Posted | Mapping[str, Any]) -> str:
    """The receipt code a message (or a modal's view) shows."""
    blocks = message.blocks if isinstance(message, Posted) else message.get("blocks")
    found = CODE.search(text_of(blocks))
    assert found, f"no receipt code in {text_of(blocks)}"
    return found.group()
