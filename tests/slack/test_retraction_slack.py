"""Retraction on Slack through slack_sdk's client, with Slack faked at its HTTP edge: a
case's alert, thread lines and the reporter's receipt are deleted with chat.delete once
``retract_case`` ran, and nothing of another case; a 429 is tried again later, a message
already gone counts as deleted, and one Slack refuses to delete is blanked with chat.update."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import Case, EventKind, NewReport, Reporter
from bot.events import Actor, Address
from bot.ports import DeliveryError
from bot.ui import Message
from storage.sealing import new_key
from tests import files
from tests.core.conftest import Clock
from tests.fakes.slack_api import FakeSlack
from tests.privacy import tables_holding
from tests.retraction import deliver_retractions, retract, retractions
from tests.slack.anonymity_support import text_of
from tests.slack.support import COORDINATOR_CHANNEL, make_settings
from tests.slack.test_slack_messenger import messenger_for

JAN, ANNA, BOB = "UJAN", "UANNA", "UBOB"
Place = tuple[str, str]  # (channel, ts) as the fake keeps them


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack(members={COORDINATOR_CHANNEL: [JAN, "UBOT"]}) as started:
        yield started


@pytest.fixture
async def meldbot(
    fake: FakeSlack, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Runtime, Clock]]:
    clock = Clock()
    settings = make_settings(
        fake,
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        slack_coordinators=[JAN],
    )
    runtime = (await create_app(settings, clock=clock))[RUNTIME]
    yield runtime, clock
    await runtime.database.close()


async def _case(runtime: Runtime, user: str, story: str) -> Case:
    reporter = Reporter("slack", user, user.title())
    case = await runtime.cases.report(NewReport(story), reporter)
    await runtime.cases.reporter_adds(
        reporter, case.id, f"{story} En nog iets.", EventKind.ADDITION
    )
    await runtime.outbox.settle()
    return case


def _left_by(fake: FakeSlack, user: str) -> set[Place]:
    """The alert of ``user``'s case, its thread and ``user``'s DM (one case each here)."""
    dm = "D" + user
    [alert] = [m for m in fake.in_channel(COORDINATOR_CHANNEL) if _reporter_dm(fake, m.ts) == dm]
    thread = fake.replies(COORDINATOR_CHANNEL, alert.ts)
    mine = [alert, *thread, *fake.in_channel(dm)]
    return {(m.channel, m.ts) for m in mine}


def _reporter_dm(fake: FakeSlack, alert_ts: str) -> str:
    """Whose case an alert is: the reference in the alert, and the DM that names it too."""
    alert = text_of(fake.message(COORDINATOR_CHANNEL, alert_ts).blocks)
    for message in fake.messages:
        if message.channel.startswith("D") and _reference(alert) in text_of(message.blocks):
            return message.channel
    return ""


def _reference(text: str) -> str:
    return next(word for word in text.split() if word.startswith("M-"))


async def test_the_case_leaves_slack_and_the_other_case_stays(
    fake: FakeSlack, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    case = await _case(runtime, ANNA, "De klant gooide een stoel bij de merelbalie.")
    await _case(runtime, BOB, "Een man schold bij de lijsterbalie.")
    anna, bob = _left_by(fake, ANNA), _left_by(fake, BOB)
    assert len(anna) >= 4, "the alert, two thread lines and the receipt at least"

    assert await retract(runtime.database, case.id) == len(anna)
    await deliver_retractions(runtime, clock)

    assert sorted(fake.deleted) == sorted(anna), "each of its messages, once"
    remaining = {(m.channel, m.ts) for m in fake.messages}
    assert not anna & remaining and bob <= remaining
    assert fake.deleted[-1][0] == COORDINATOR_CHANNEL, "the alert, the thread's root, last"
    assert all(call.ok for call in fake.calls_to("chat.delete", ok_only=False))


async def test_a_rate_limit_waits_and_a_message_already_gone_is_done(
    fake: FakeSlack, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    case = await _case(runtime, ANNA, "De klant gooide een stoel bij de merelbalie.")
    anna = _left_by(fake, ANNA)
    [receipt] = fake.in_channel("D" + ANNA)
    fake.messages.remove(receipt)  # Anna deleted it herself (or Slack's own retention did)
    fake.rate_limit("chat.delete", times=3)  # more than slack_sdk's own two retries

    await retract(runtime.database, case.id)
    await runtime.outbox.settle()
    waiting = [row for row in await retractions(runtime.database) if row.sent_at is None]
    assert [row.last_error for row in waiting] == ["slack: ratelimited"]
    await deliver_retractions(runtime, clock)

    assert sorted(fake.deleted) == sorted(anna - {(receipt.channel, receipt.ts)})
    missing = [c for c in fake.calls_to("chat.delete", ok_only=False) if c.error]
    assert {c.error for c in missing} == {"ratelimited", "message_not_found"}
    rows = await retractions(runtime.database)
    assert all(row.sent_at and not row.abandoned for row in rows)


async def test_a_message_slack_will_not_delete_is_blanked(
    fake: FakeSlack, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    case = await _case(runtime, ANNA, "De klant gooide een stoel bij de merelbalie.")
    anna = _left_by(fake, ANNA)
    fake.fail("chat.delete", "cant_delete_message")

    await retract(runtime.database, case.id)
    await deliver_retractions(runtime, clock)

    [refused] = [c for c in fake.calls_to("chat.delete", ok_only=False) if c.error]
    place = (str(refused.params["channel"]), str(refused.params["ts"]))
    blanked = fake.message(*place)
    assert text_of(blanked.blocks) == "This message was removed: its retention period has ended."
    assert sorted(fake.deleted) == sorted(anna - {place})
    assert all(row.sent_at for row in await retractions(runtime.database))


async def test_the_messenger_deletes_messages_and_shared_files(fake: FakeSlack) -> None:
    messenger = messenger_for(fake)
    root = await messenger.send(Address("slack", COORDINATOR_CHANNEL), Message("Melding M-1"))
    photo = await messenger.upload(
        root.thread(), "foto.png", files.image("PNG"), title="Foto", alt_text="Een foto"
    )

    await messenger.delete(photo)
    await messenger.delete(root)
    await messenger.delete(root)  # message_not_found: already deleted
    await messenger.delete(photo)  # file_not_found: the same

    [file_call, *_] = fake.calls_to("files.delete", ok_only=False)
    assert file_call.params["file"] == photo.message_id and file_call.ok
    assert [c.error for c in fake.calls_to("chat.delete", ok_only=False)] == [
        None,
        "message_not_found",
    ]
    assert fake.messages == [] and fake.files == {}


@pytest.mark.parametrize(
    ("answer", "permanent"),
    [
        ("cant_delete_message", True),
        ("compliance_exports_prevent_deletion", True),
        ("fatal_error", False),
    ],
)
async def test_a_refused_delete_says_whether_trying_again_helps(
    fake: FakeSlack, answer: str, permanent: bool
) -> None:
    messenger = messenger_for(fake)
    ref = await messenger.send(Address("slack", COORDINATOR_CHANNEL), Message("Melding M-1"))
    fake.fail("chat.delete", answer)
    with pytest.raises(DeliveryError) as refused:
        await messenger.delete(ref)
    assert refused.value.permanent is permanent and str(refused.value) == f"slack: {answer}"


async def test_the_purge_at_the_due_date_takes_the_case_down_from_slack(
    fake: FakeSlack, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    story = "De klant gooide een stoel bij de merelbalie."
    case = await _case(runtime, ANNA, story)
    await _case(runtime, BOB, "Een man schold bij de lijsterbalie.")
    jan = Actor("slack", JAN, "Jan")
    await runtime.cases.claim(jan, case.id)
    await runtime.cases.close(jan, case.id, "Gesprek gevoerd.", None)
    await runtime.outbox.settle()
    anna, bob = _left_by(fake, ANNA), _left_by(fake, BOB)
    assert runtime.retention is not None

    clock.advance(days=2 * 365 - 1)  # a day before the two years of a case without measures
    assert (await runtime.retention.run()).purged == []
    clock.advance(days=2)
    assert [one.reference for one in (await runtime.retention.run()).purged] == [case.reference]
    await deliver_retractions(runtime, clock)

    assert sorted(fake.deleted) == sorted(anna), "the alert, every thread line, the receipt"
    assert bob <= {(m.channel, m.ts) for m in fake.messages}
    held = await tables_holding(runtime.database.engine, runtime.database._sealer, [story])
    assert held == {}
