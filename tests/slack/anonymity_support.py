"""Driving meldbot over Slack as one staff member and as coordinators, for the anonymity test.

The staff member, Sanne, carries identifiers that collide with no other text: her user id,
the handle Slack puts in ``user.name``/``user.username`` (and ``user_name`` of a command),
her display name (in ``user_profile`` of her messages and in ``users.info``) and the id of
her DM with the bot, which the fake gives out the way Slack does: not derived from her id.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import parse_qs

from bot.app import Runtime
from tests.fakes.slack_api import Call, FakeSlack, Posted
from tests.fakes.slack_payloads import (
    block_actions,
    dm_message,
    event_callback,
    interactive,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender
from tests.waiting import until

TEAM = "T0TEST"
STAFF_ID = "U07SANNE4Q2"
STAFF_HANDLE = "sanne.verbeek-anoniem"
STAFF_NAME = "Sanne Verbeek-Anoniem"
STAFF_DM = "D07KQ9ZX3MB"
STAFF_IDS = (STAFF_ID, STAFF_HANDLE, STAFF_NAME, STAFF_DM)
STAFF_USER = {"id": STAFF_ID, "username": STAFF_HANDLE, "name": STAFF_HANDLE, "team_id": TEAM}
STAFF_PROFILE = {
    "real_name": STAFF_NAME,
    "display_name": STAFF_NAME,
    "first_name": "Sanne",
    "name": STAFF_HANDLE,
    "team": TEAM,
}
COORDINATOR = "UCOORD1"
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")
SHOWING = ("chat.postMessage", "chat.update", "chat.postEphemeral")


class StaffSlack(FakeSlack):
    """The fake Slack, where conversations.open gives Sanne a DM id of its own."""

    def _conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if str(params.get("users") or "") == STAFF_ID:
            return {"channel": {"id": STAFF_DM}}
        return super()._conversations_open(params)


def staff_slack() -> StaffSlack:
    members = {COORDINATOR_CHANNEL: [COORDINATOR, "UCOORD2", "UBOT"]}
    users = {STAFF_ID: {"name": STAFF_HANDLE, "real_name": STAFF_NAME, "profile": STAFF_PROFILE}}
    return StaffSlack(members=members, users=users)


def as_staff(body: str) -> str:
    """An interactivity request re-signed as coming from Sanne, with her full user object."""
    payload = json.loads(parse_qs(body)["payload"][0])
    payload["user"] = dict(STAFF_USER)
    return interactive(payload)


def text_of(blocks: Any) -> str:
    """Every text in a message's blocks (or a view), unescaped."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                parts.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(blocks)
    return html.unescape("\n".join(parts))


def buttons(blocks: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """action_id → value of every button in these blocks that acts (not a link)."""
    return {
        str(element["action_id"]): str(element.get("value") or "")
        for block in blocks
        for element in block.get("elements", [])
        if element.get("type") == "button" and "url" not in element
    }


def code_in(message: Posted) -> str:
    found = CODE.search(text_of(message.blocks))
    assert found, f"no receipt code in {text_of(message.blocks)}"
    return found.group()


def holding(text: str, identifiers: Iterable[str] = STAFF_IDS) -> list[str]:
    return [i for i in identifiers if i.casefold() in text.casefold()]


class Meldbot:
    """Posts signed requests the way Slack does and reads what the fake Slack was sent."""

    def __init__(self, sender: SlackSender, fake: FakeSlack, runtime: Runtime) -> None:
        self.sender, self.fake, self.runtime = sender, fake, runtime
        self.inbound: list[str] = []  # every body posted as Sanne
        self.coordinator_forms: list[dict[str, Any]] = []
        self._forms_seen = 0
        self._ids = itertools.count(1)

    async def _post(self, body: str, *, form: bool, staff: bool) -> None:
        if staff:
            self.inbound.append(body)
        response = await self.sender.post(body, form=form)
        assert response.status == 200, await response.text()

    # -- Sanne ---------------------------------------------------------------------------

    def dm(self) -> list[Posted]:
        return self.fake.in_channel(STAFF_DM)

    async def next_in_dm(self, seen: int, what: str) -> Posted:
        return (await until(lambda: self.dm()[seen:], what))[0]

    async def open_home(self) -> dict[str, Any]:
        published = len(self.fake.calls_to("views.publish"))
        n = next(self._ids)
        event = {"type": "app_home_opened", "user": STAFF_ID, "channel": STAFF_DM, "tab": "home"}
        event["event_ts"] = f"1700000100.{n:06d}"
        await self._post(event_callback(event, f"EvHome{n}"), form=False, staff=True)
        await self.fake.wait_for("views.publish", published + 1)
        return self.fake.homes[STAFF_ID]

    async def say(self, text: str) -> Posted:
        """A DM message from Sanne; returns meldbot's answer in the DM."""
        seen, n = len(self.dm()), next(self._ids)
        event = dm_message(STAFF_ID, text, ts=f"1700000200.{n:06d}")
        event |= {"channel": STAFF_DM, "team": TEAM, "user_profile": STAFF_PROFILE}
        event["client_msg_id"] = f"5a1e{n:04d}-0000-4000-8000-000000000000"
        await self._post(event_callback(event, f"EvSanne{n}"), form=False, staff=True)
        return await self.next_in_dm(seen, f"meldbot's answer to {text!r}")

    async def press(self, action_id: str, value: str = "", *, on: Posted | None = None) -> None:
        """Sanne presses a button: on a message in her DM, or in App Home."""
        if on is not None:
            body = block_actions(STAFF_ID, action_id, value, channel=on.channel, message_ts=on.ts)
        else:
            homes = [key for key, v in self.fake.views.items() if v.get("type") == "home"]
            home = {"id": max(homes), "type": "home"}  # only Sanne opens App Home here
            body = block_actions(STAFF_ID, action_id, value, view=home)
        await self._post(as_staff(body), form=True, staff=True)

    async def command(self) -> None:
        """Sanne types /meld in her DM."""
        body = slash_command(STAFF_ID, channel=STAFF_DM, user_name=STAFF_HANDLE)
        await self._post(body, form=True, staff=True)

    def codes(self) -> set[str]:
        """Every receipt code meldbot showed Sanne."""
        return {code for m in self.dm() for code in CODE.findall(text_of(m.blocks))}

    async def fill(self, callback_id: str, answers: Mapping[str, str]) -> None:
        """Sanne fills in and submits the form meldbot opened for her."""
        view, view_id = await self._next_form(callback_id)
        values = submitted_view_values(view, answers)
        metadata = str(view.get("private_metadata") or "")
        body = view_submission(STAFF_ID, callback_id, values, metadata, view_id)
        await self._post(as_staff(body), form=True, staff=True)

    # -- coordinators --------------------------------------------------------------------

    def cards(self) -> list[Posted]:
        return self.fake.in_channel(COORDINATOR_CHANNEL)

    async def card(self, number: int, what: str) -> Posted:
        return (await until(lambda: self.cards()[number - 1 : number], what))[0]

    def thread(self, card: Posted) -> list[Posted]:
        return self.fake.replies(COORDINATOR_CHANNEL, card.ts)

    async def in_thread(self, card: Posted, words: str) -> Posted:
        def found() -> Posted | None:
            hits = [m for m in self.thread(card) if words in text_of(m.blocks)]
            return hits[-1] if hits else None

        return await until(found, f"{words!r} in the thread")

    async def coordinator_press(self, card: Posted, action_id: str) -> None:
        value = buttons(card.blocks)[action_id]
        body = block_actions(
            COORDINATOR, action_id, value, channel=COORDINATOR_CHANNEL, message_ts=card.ts
        )
        await self._post(body, form=True, staff=False)

    async def coordinator_fill(self, callback_id: str, answers: Mapping[str, str]) -> None:
        view, view_id = await self._next_form(callback_id)
        self.coordinator_forms.append(view)
        values = submitted_view_values(view, answers)
        metadata = str(view.get("private_metadata") or "")
        body = view_submission(COORDINATOR, callback_id, values, metadata, view_id)
        await self._post(body, form=True, staff=False)

    def shown_to_coordinators(self) -> list[Call]:
        """Every message meldbot posted or updated in the coordinator channel."""
        return [
            call
            for call in self.fake.calls
            if call.method in SHOWING and call.params.get("channel") == COORDINATOR_CHANNEL
        ]

    def identifiers_shown_to_coordinators(
        self, identifiers: Iterable[str] = STAFF_IDS
    ) -> dict[str, list[str]]:
        """``{"chat.update #3": [identifiers found]}`` over messages and forms they saw."""
        shown = {
            f"{call.method} #{n}": holding(json.dumps(call.params), identifiers)
            for n, call in enumerate(self.shown_to_coordinators())
        }
        for n, view in enumerate(self.coordinator_forms):
            found = holding(json.dumps(view), identifiers)
            shown[f"form {view.get('callback_id')} #{n}"] = found
        return {where: found for where, found in shown.items() if found}

    # -- shared --------------------------------------------------------------------------

    async def settle(self) -> None:
        """Everything meldbot had to send is sent, and Slack heard nothing more for a while."""
        await self.runtime.outbox.settle()
        await self.fake.settle()

    async def _next_form(self, callback_id: str) -> tuple[dict[str, Any], str]:
        self._forms_seen += 1
        calls = await self.fake.wait_for("views.open", self._forms_seen)
        view: dict[str, Any] = calls[self._forms_seen - 1].json_param("view")
        assert view["callback_id"] == callback_id, view
        stored = [
            key
            for key, kept in self.fake.views.items()
            if kept.get("callback_id") == callback_id and kept.get("type") == "modal"
        ]
        return view, max(stored)
