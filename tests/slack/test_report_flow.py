"""End to end: the real meldbot (composition root, dialogs, SQLite) against the fake Slack.

A report through the /meld modal and one through a DM each produce the case card in the
coordinator channel and its thread; a coordinator's claim updates the card, adds a thread
reply and tells the reporter in their DM. A non-coordinator's claim is refused privately
and changes nothing.
"""

from __future__ import annotations

import html
import json
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import create_app
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack, Posted
from tests.fakes.slack_payloads import (
    block_actions,
    dm_message,
    event_callback,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
NARRATIVE = "Een klant schreeuwde <!channel> & dreigde <@UCOORD1> te volgen naar huis."


def button(message: Posted, action_id: str) -> dict[str, Any]:
    for block in message.blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                found: dict[str, Any] = element
                return found
    raise AssertionError(f"no {action_id} button in {message.blocks}")


def text_of(message: Posted) -> str:
    """Everything in a message's blocks, unescaped, for asserting on content."""
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

    walk(message.blocks)
    return html.unescape("\n".join(parts))


def make_sender(
    tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient, **overrides: Any
) -> Callable[[], Awaitable[SlackSender]]:
    async def start() -> SlackSender:
        settings = make_settings(
            fake_slack,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
            data_dir=tmp_path,
            seal_key=new_key(),
            **overrides,
        )
        return SlackSender(await aiohttp_client(await create_app(settings)))

    return start


@pytest.fixture
async def meldbot(tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient) -> SlackSender:
    """Coordinators are the members of the coordinator channel. The channel shows the
    content ("full"): these tests show how it is shown there."""
    return await make_sender(tmp_path, fake_slack, aiohttp_client, channel_content="full")()


class Case:
    """The coordinator channel's view of one case: its card and its thread."""

    def __init__(self, fake: FakeSlack, card: Posted) -> None:
        self.fake, self.card = fake, card

    @property
    def thread(self) -> list[Posted]:
        return self.fake.replies(COORDINATOR_CHANNEL, self.card.ts)

    @property
    def case_id(self) -> str:
        return str(button(self.card, "case.ask")["value"])


async def new_case(fake: FakeSlack, count: int = 1) -> Case:
    def card() -> Posted | None:
        cards = fake.in_channel(COORDINATOR_CHANNEL)
        return cards[count - 1] if len(cards) >= count else None

    case = Case(fake, await until(card, "the case card"))
    await until(lambda: case.thread, "the full report in the case thread")
    return case


async def claim(meldbot: SlackSender, case: Case, user: str) -> None:
    response = await meldbot.post(
        block_actions(
            user,
            "case.claim",
            case.case_id,
            channel=COORDINATOR_CHANNEL,
            message_ts=case.card.ts,
        ),
        form=True,
    )
    assert response.status == 200


def dm(fake: FakeSlack, user: str) -> list[Posted]:
    return fake.in_channel("D" + user)


async def test_report_through_the_meld_modal(meldbot: SlackSender, fake_slack: FakeSlack) -> None:
    response = await meldbot.post(slash_command("UANNA", channel="C0GENERAL"), form=True)
    assert response.status == 200
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.json_param("view")
    assert view["callback_id"] == "report"

    values = submitted_view_values(view, {"narrative": NARRATIVE, "location": "Balie stadhuis"})
    started = time.perf_counter()
    submitted = await meldbot.post(
        view_submission("UANNA", view["callback_id"], values, view.get("private_metadata", "")),
        form=True,
    )
    assert submitted.status == 200
    # Only now, with the case stored, the modal shows the receipt in its own place.
    answer = json.loads(await submitted.text())
    assert answer["response_action"] == "update"
    assert "Your report has been received" in json.dumps(answer["view"])
    assert "submit" not in answer["view"]

    [receipt] = await until(lambda: dm(fake_slack, "UANNA"), "the receipt in Anna's DM")
    assert "Your report has been received" in receipt.text
    reference = receipt.text.rsplit(": ", 1)[1]

    case = await new_case(fake_slack)
    alerted = time.perf_counter() - started
    print(f"\nmeldbot slack: modal submit → coordinator alert in {alerted * 1000:.0f} ms")
    assert reference in case.card.text
    assert "<@UANNA>" in str(case.card.blocks)
    assert NARRATIVE in text_of(case.card)  # shown literally ...
    assert "<!channel>" not in str(case.card.blocks)  # ... never as a broadcast
    assert NARRATIVE in text_of(case.thread[0])
    assert fake_slack.in_channel("C0GENERAL") == []  # nothing in the channel /meld came from

    await claim(meldbot, case, "UCOORD1")

    updated = await until(lambda: case.card if case.card.updates else None, "the card updated")
    assert "case.claim" not in str(updated.blocks)
    assert "user.ucoord1" in text_of(updated)
    claimed = await until(
        lambda: case.thread[1] if len(case.thread) >= 2 else None, "the claim note"
    )
    assert "claimed this case" in text_of(claimed)
    feedback = await until(lambda: dm(fake_slack, "UANNA")[1:], "feedback to Anna")
    assert "has picked up your report" in feedback[0].text
    assert reference in feedback[0].text


async def test_report_through_a_dm(meldbot: SlackSender, fake_slack: FakeSlack) -> None:
    message = event_callback(dm_message("UBOB", "Iemand volgde mij naar mijn auto."), "EvBob1")
    assert (await meldbot.post(message)).status == 200
    retried = await meldbot.post(message, headers={"X-Slack-Retry-Num": "1"})
    assert retried.status == 200

    [draft] = await until(lambda: dm(fake_slack, "UBOB"), "the draft in Bob's DM")
    assert button(draft, "report.send")
    await fake_slack.settle()
    assert len(dm(fake_slack, "UBOB")) == 1  # the retried delivery was not handled again

    sent = await meldbot.post(
        block_actions("UBOB", "report.send", channel="DUBOB", message_ts=draft.ts), form=True
    )
    assert sent.status == 200
    await until(lambda: draft.updates, "the draft replaced by the receipt")
    assert "Your report has been received" in draft.text

    case = await new_case(fake_slack)
    assert "Iemand volgde mij naar mijn auto." in text_of(case.thread[0])

    await claim(meldbot, case, "UCOORD2")
    feedback = await until(lambda: dm(fake_slack, "UBOB")[1:], "feedback to Bob")
    assert "has picked up your report" in feedback[0].text
    await until(lambda: len(case.thread) >= 2, "the claim note")


async def test_a_non_coordinator_cannot_claim(
    tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    # Coordinators by list: UCOORD2 is in the channel but not on the list.
    meldbot = await make_sender(
        tmp_path, fake_slack, aiohttp_client, slack_coordinators=["UCOORD1"]
    )()
    await meldbot.post(slash_command("UANNA"), form=True)
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.json_param("view")
    values = submitted_view_values(view, {"narrative": "Ik werd uitgescholden."})
    await meldbot.post(view_submission("UANNA", "report", values), form=True)
    case = await new_case(fake_slack)
    await until(lambda: dm(fake_slack, "UANNA"), "the receipt")
    await fake_slack.settle()
    card_blocks, calls = list(case.card.blocks), len(fake_slack.calls)

    await claim(meldbot, case, "UCOORD2")

    [refusal] = await fake_slack.wait_for("chat.postEphemeral")
    assert refusal.params["user"] == "UCOORD2"
    assert refusal.params["channel"] == COORDINATOR_CHANNEL
    assert "Only coordinators can handle reports" in refusal.params["text"]
    await fake_slack.settle(0.5)
    assert [c.method for c in fake_slack.calls[calls:]] == ["chat.postEphemeral"]
    assert case.card.blocks == card_blocks and case.card.updates == 0
    assert len(case.thread) == 1
    assert len(dm(fake_slack, "UANNA")) == 1  # no feedback: nothing happened
