"""The manager loop on Slack, end to end through slack-bolt with Slack faked at its HTTP
edge: the reporter's consent by button in their DM, the manager's invitation in their DM
(minimal: the measure, its guidance and a link — not the shared text), "Hoe ging het?" at
the planned moment, answered in a modal, and "need help" broadcast in the case's thread."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import EventKind, MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.manager.models import Invitee
from bot.measures.models import Plan
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.slack_api import FakeSlack, Posted
from tests.fakes.slack_payloads import block_actions, submitted_view_values, view_submission
from tests.slack.anonymity_support import buttons, text_of
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
JAN, ANNA, MAX, OTHER = "UJAN", "UANNA", "UMAX", "UOTHER"
SHARED = "De klant van de havikbalie was boos; nodig hem uit voor een gesprek."
PUBLIC_URL = "https://meldbot.example.org"


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as started:
        yield started


async def _start(
    tmp_path: Path, fake: FakeSlack, aiohttp_client: MakeClient, **extra: Any
) -> tuple[Runtime, SlackSender, Clock]:
    settings = make_settings(
        fake,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        public_url=PUBLIC_URL,
        slack_coordinators=[JAN],
        language="nl",
        **extra,
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    return app[RUNTIME], SlackSender(await aiohttp_client(app)), clock


def _dm(fake: FakeSlack, user: str) -> list[Posted]:
    return [m for m in fake.in_channel("D" + user) if not m.ephemeral]


async def _settle(runtime: Runtime) -> None:
    await runtime.scheduler.tick()
    await runtime.outbox.settle()


async def test_the_manager_loop_on_slack(
    tmp_path: Path, fake: FakeSlack, aiohttp_client: MakeClient
) -> None:
    runtime, slack, clock = await _start(tmp_path, fake, aiohttp_client)
    case = await runtime.cases.report(
        NewReport("De klant sloeg op de havikbalie."), Reporter("slack", ANNA, "Anna")
    )
    await runtime.outbox.settle()
    assert runtime.measures is not None and runtime.managers is not None
    coordinator = Actor("slack", JAN, "Jan")
    plan = Plan(MeasureKind.ORDER_TALK, "Leidinggevende", planned_on=date(2026, 3, 4))
    measure = await runtime.measures.advise(coordinator, case.id, plan)
    await runtime.managers.ask_consent(coordinator, case.id)
    await runtime.outbox.settle()

    [question] = await until(
        lambda: [m for m in _dm(fake, ANNA) if "consent.yes" in buttons(m.blocks)],
        "the consent question in Anna's DM",
    )
    value = buttons(question.blocks)["consent.yes"]
    # Someone else sends the same value from their own DM: a forged answer.
    stranger = block_actions(OTHER, "consent.yes", value, channel="D" + OTHER, message_ts="1.1")
    assert (await slack.post(stranger, form=True)).status == 200
    [refusal] = await until(lambda: _dm(fake, OTHER), "the refusal in the stranger's DM")
    assert "niet van jou" in text_of(refusal.blocks)
    assert "consent.yes" in buttons(fake.message("D" + ANNA, question.ts).blocks), "unanswered"
    pressed = block_actions(ANNA, "consent.yes", value, channel="D" + ANNA, message_ts=question.ts)
    assert (await slack.post(pressed, form=True)).status == 200
    await until(
        lambda: "mag de coördinator" in text_of(fake.message("D" + ANNA, question.ts).blocks),
        "the answered question in place",
    )
    manager = Invitee(f"slack:{MAX}", "Max")
    invitation = await runtime.managers.invite(coordinator, case.id, measure.id, manager, SHARED)
    await runtime.outbox.settle()
    [invited] = await until(lambda: _dm(fake, MAX), "the invitation in Max's DM")
    said = text_of(invited.blocks)
    assert "Ordegesprek" in said and "Tips voor jou" in said
    assert "havikbalie" not in said, "minimal: what was shared stays in meldbot"
    assert f"{PUBLIC_URL}/console/zaken/{case.reference}" in str(invited.blocks)

    clock.now = datetime(2026, 3, 5, 9, 1, tzinfo=UTC)
    await _settle(runtime)
    [_, how] = await until(lambda: _dm(fake, MAX)[1:] and _dm(fake, MAX), "Hoe ging het?")
    assert "Hoe ging het?" in text_of(how.blocks)
    help_value = buttons(how.blocks)["manager.help"]
    assert help_value == str(invitation.id)
    opening = block_actions(MAX, "manager.help", help_value, channel="D" + MAX, message_ts=how.ts)
    await slack.post(opening, form=True)
    [opened] = await fake.wait_for("views.open")
    view = opened.json_param("view")
    assert view["callback_id"] == "manager.answer"
    note = "De burger wil nog een gesprek met de havikploeg."
    values = submitted_view_values(view, {"answer": "need_help", "note": note})
    metadata = view.get("private_metadata", "")
    refused = await slack.post(
        view_submission(OTHER, "manager.answer", values, metadata), form=True
    )
    assert refused.status == 200
    async with runtime.database.transaction() as tx:
        kinds = [e.kind for e in await tx.cases.events(case.id)]
    assert EventKind.MANAGER_HELP not in kinds, "not the invited manager: nothing saved"
    done = await slack.post(view_submission(MAX, "manager.answer", values, metadata), form=True)
    assert done.status == 200
    await runtime.outbox.settle()
    [root] = fake.in_channel(COORDINATOR_CHANNEL)
    replies = fake.replies(COORDINATOR_CHANNEL, root.ts)
    thread = [m for m in replies if "hulp" in text_of(m.blocks)]
    assert thread and thread[0].broadcast, "the whole coordinator channel hears it"
    assert "havikploeg" not in text_of(thread[0].blocks), "minimal: the note is in meldbot"
    channel = "\n".join(text_of(m.blocks) for m in [root, *replies])
    assert "vroeg de melder of de leidinggevende betrokken mag worden" in channel
    assert "De melder vindt het goed dat de leidinggevende betrokken wordt." in channel
    assert "havik" not in channel and SHARED not in channel


async def test_with_full_content_the_manager_reads_what_was_shared_in_slack(
    tmp_path: Path, fake: FakeSlack, aiohttp_client: MakeClient
) -> None:
    runtime, _slack, _clock = await _start(tmp_path, fake, aiohttp_client, channel_content="full")
    case = await runtime.cases.report(
        NewReport("De klant sloeg op de havikbalie.", manager_consent=True),
        Reporter("slack", ANNA, "Anna"),
    )
    assert runtime.measures is not None and runtime.managers is not None
    coordinator = Actor("slack", JAN, "Jan")
    plan = Plan(MeasureKind.WARNING_LETTER, "Leidinggevende")
    measure = await runtime.measures.advise(coordinator, case.id, plan)
    manager = Invitee(f"slack:{MAX}", "Max")
    await runtime.managers.invite(coordinator, case.id, measure.id, manager, SHARED)
    await runtime.outbox.settle()
    [invited] = await until(lambda: _dm(fake, MAX), "the invitation in Max's DM")
    said = text_of(invited.blocks)
    assert SHARED in said and "Waarschuwingsbrief" in said
    assert "sloeg" not in said, "only what the coordinator shared, never the story"
