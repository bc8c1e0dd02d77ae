"""Calls made at the same moment share one batch; a batch's failure stays with the item
that caused it; and conversation states read and written together stay each person's own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from storage.together import Together

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)


async def test_callers_at_the_same_moment_share_a_batch_in_their_order() -> None:
    batches: list[list[int]] = []

    async def double(items: list[int]) -> list[int]:
        batches.append(items)
        await asyncio.sleep(0)
        return [item * 2 for item in items]

    together: Together[int, int] = Together(double, limit=3)
    assert await together(1) == 2, "a lone call goes alone, at once"
    answers = await asyncio.gather(*(together(item) for item in range(2, 9)))
    assert answers == [item * 2 for item in range(2, 9)]
    assert batches == [[1], [2, 3, 4], [5, 6, 7], [8]]


async def test_a_failed_batch_fails_only_the_item_at_fault() -> None:
    async def refuse_seven(items: list[int]) -> list[int]:
        await asyncio.sleep(0)
        if 7 in items:
            raise ValueError("seven")
        return items

    together: Together[int, int] = Together(refuse_seven, limit=10)
    answers = await asyncio.gather(
        *(together(item) for item in (5, 6, 7, 8)), return_exceptions=True
    )
    assert answers[:2] == [5, 6]
    assert isinstance(answers[2], ValueError)
    assert answers[3] == 8


async def test_a_cancelled_caller_leaves_the_others_their_answers() -> None:
    started = asyncio.Event()

    async def slow(items: list[int]) -> list[int]:
        started.set()
        await asyncio.sleep(0.01)
        return items

    together: Together[int, int] = Together(slow, limit=10)
    first = asyncio.create_task(together(1))
    await started.wait()
    waiting = [asyncio.create_task(together(item)) for item in (2, 3)]
    await asyncio.sleep(0)
    waiting[0].cancel()
    assert await first == 1
    assert await waiting[1] == 3
    assert waiting[0].cancelled()


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[tuple[Database, list[str]]]:
    database = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(database.engine)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "dialog_states" in statement:
            statements.append(statement.lstrip().split()[0].upper())

    event.listen(database.engine.sync_engine, "before_cursor_execute", seen)
    yield database, statements
    await database.close()


async def test_many_people_are_written_and_read_in_few_statements_each_their_own(
    database: tuple[Database, list[str]],
) -> None:
    db, statements = database
    people = [f"draft:slack:U{number}" for number in range(40)]
    await asyncio.gather(*(db.keep_dialog_state(key, {"narrative": key}, LATER) for key in people))
    writes = statements.count("INSERT")
    assert 1 <= writes <= 3, f"40 states in {writes} statements"

    statements.clear()
    found = await asyncio.gather(
        *(db.dialog_states([key, "language:" + key], NOW) for key in people)
    )
    assert [one[key] for one, key in zip(found, people, strict=True)] == [
        {"narrative": key} for key in people
    ]
    assert all(one["language:" + key] is None for one, key in zip(found, people, strict=True))
    assert 1 <= statements.count("SELECT") <= 3

    # Each caller's own moment: a state that expired for a later reader is gone for it only.
    early, late = await asyncio.gather(
        db.dialog_states([people[0]], NOW), db.dialog_states([people[0]], LATER)
    )
    assert early[people[0]] == {"narrative": people[0]}
    assert late[people[0]] is None


async def test_of_one_persons_writes_at_one_moment_the_last_is_kept(
    database: tuple[Database, list[str]],
) -> None:
    db, _ = database
    key = "draft:slack:U1"
    await asyncio.gather(*(db.keep_dialog_state(key, {"step": step}, LATER) for step in range(5)))
    assert (await db.dialog_states([key], NOW))[key] == {"step": 4}
