"""Retraction on Teams through the Agents SDK's connector client, with the Bot Connector
faked at its HTTP edge: ``retract_case`` and the outbox delete a case's thread (root and
replies) with DELETE v3/conversations/{id}/activities/{id}, and nothing of another case; a
500 or a long 429 is tried again later, a 404 counts as deleted, and an activity Teams
refuses to delete (403) is blanked with an update instead."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import Case, EventKind, NewReport, Reporter
from bot.events import Actor
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.bot_connector import FakeBotConnector
from tests.privacy import tables_holding
from tests.retraction import deliver_retractions, retract, retractions
from tests.teams.support import CHRIS, card_of, make_settings, text_of

ANNA, BOB = "aad-anna-0011", "aad-bob-0012"


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector() as connector:
        yield connector


@pytest.fixture
async def meldbot(
    fake: FakeBotConnector, database_url: str, tmp_path: Path
) -> AsyncIterator[tuple[Runtime, Clock]]:
    clock = Clock()
    settings = make_settings(fake, database_url=database_url, data_dir=tmp_path, seal_key=new_key())
    runtime = (await create_app(settings, clock=clock))[RUNTIME]
    yield runtime, clock
    await runtime.database.close()


async def _thread(runtime: Runtime, fake: FakeBotConnector, user: str, story: str) -> Case:
    """A case whose thread holds the alert and its lines (the reporter has no chat with
    meldbot yet, so a line saying the receipt did not arrive joins them)."""
    reporter = Reporter("teams", user, "Collega")
    case = await runtime.cases.report(NewReport(story), reporter)
    await runtime.cases.reporter_adds(
        reporter, case.id, f"{story} En nog iets.", EventKind.ADDITION
    )
    await runtime.outbox.settle()
    async with runtime.database.transaction() as tx:
        found = await tx.cases.get(case.id)
    assert found is not None and found.alert is not None
    return found


def _ids(activities: list[dict[str, Any]]) -> list[str]:
    return [str(activity["id"]) for activity in activities]


async def test_the_thread_leaves_teams_and_the_other_case_stays(
    fake: FakeBotConnector, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    case = await _thread(runtime, fake, ANNA, "De klant gooide een stoel bij de merelbalie.")
    other = await _thread(runtime, fake, BOB, "Een man schold bij de lijsterbalie.")
    assert case.alert and other.alert
    anna, bob = _ids(fake.thread(case.alert.message_id)), _ids(fake.thread(other.alert.message_id))
    assert len(anna) >= 3 and anna[0] == case.alert.message_id

    assert await retract(runtime.database, case.id) == len(anna)
    await deliver_retractions(runtime, clock)

    assert sorted(fake.deleted) == sorted(anna) and fake.deleted[-1] == anna[0]
    assert fake.thread(case.alert.message_id) == []
    assert _ids(fake.thread(other.alert.message_id)) == bob
    deletes = [c for c in fake.calls if c.method == "DELETE"]
    assert all(c.status == 200 and c.conversation_id for c in deletes)
    assert {c.conversation_id for c in deletes} == {
        f"{case.alert.conversation};messageid={anna[0]}"
    }


async def test_a_500_and_a_long_429_wait_and_a_404_is_done(
    fake: FakeBotConnector, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    case = await _thread(runtime, fake, ANNA, "De klant gooide een stoel bij de merelbalie.")
    assert case.alert
    anna = _ids(fake.thread(case.alert.message_id))
    fake.fail_next(500, method="DELETE")
    fake.fail_next(429, method="DELETE", retry_after=60)  # longer than the connector waits
    fake.fail_next(404, method="DELETE")  # someone deleted it in Teams already

    await retract(runtime.database, case.id)
    await runtime.outbox.settle()
    waiting = [row for row in await retractions(runtime.database) if row.sent_at is None]
    assert sorted(str(row.last_error) for row in waiting) == [
        "teams delete: HTTP 429",
        "teams delete: HTTP 500",
    ]
    await deliver_retractions(runtime, clock)

    rows = await retractions(runtime.database)
    assert all(row.sent_at and not row.abandoned for row in rows)
    assert len(fake.deleted) == len(anna) - 1 and set(fake.deleted) < set(anna)
    assert fake.updates == [], "gone is gone: nothing to blank"


async def test_an_activity_teams_will_not_delete_is_blanked(
    fake: FakeBotConnector, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    case = await _thread(runtime, fake, ANNA, "De klant gooide een stoel bij de merelbalie.")
    assert case.alert
    anna = _ids(fake.thread(case.alert.message_id))
    updates = len(fake.updates)
    fake.fail_next(403, method="DELETE")

    await retract(runtime.database, case.id)
    await deliver_retractions(runtime, clock)

    [blank] = fake.updates[updates:]
    assert text_of(card_of(blank)) == "This message was removed: its retention period has ended."
    [kept] = [a for a in anna if a not in fake.deleted]
    assert text_of(card_of(fake.activity(kept))) == text_of(card_of(blank))
    assert all(row.sent_at for row in await retractions(runtime.database))


async def test_the_purge_at_the_due_date_takes_the_thread_down_from_teams(
    fake: FakeBotConnector, meldbot: tuple[Runtime, Clock]
) -> None:
    runtime, clock = meldbot
    story = "De klant gooide een stoel bij de merelbalie."
    case = await _thread(runtime, fake, ANNA, story)
    other = await _thread(runtime, fake, BOB, "Een man schold bij de lijsterbalie.")
    chris = Actor("teams", CHRIS.aad_object_id, CHRIS.name)
    await runtime.cases.claim(chris, case.id)
    await runtime.cases.close(chris, case.id, "Gesprek gevoerd.", None)
    await runtime.outbox.settle()
    assert case.alert and other.alert and runtime.retention is not None
    thread, bob = (
        _ids(fake.thread(case.alert.message_id)),
        _ids(fake.thread(other.alert.message_id)),
    )

    clock.advance(days=2 * 365 + 1)  # past the two years of a case without measures
    assert [one.reference for one in (await runtime.retention.run()).purged] == [case.reference]
    await deliver_retractions(runtime, clock)

    assert sorted(fake.deleted) == sorted(thread) and fake.deleted[-1] == thread[0]
    assert _ids(fake.thread(other.alert.message_id)) == bob
    held = await tables_holding(runtime.database.engine, runtime.database._sealer, [story])
    assert held == {}
