"""A personal message reads its person's states once: what the event writes it sees, and
nothing is read ahead after it, not even by work it left running."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from bot.conversations import LANGUAGE, ConversationStates
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
KINDS = (LANGUAGE, "answering", "draft")


@dataclass(frozen=True)
class Person:
    platform: str = "slack"
    user_id: str = "U1"


@pytest.fixture
async def states(database_url: str) -> AsyncIterator[tuple[ConversationStates, list[str]]]:
    database = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(database.engine)
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if "dialog_states" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", seen)
    yield ConversationStates(database, lambda: NOW), statements
    await database.close()


async def test_one_read_serves_every_kind_and_sees_the_events_own_writes(
    states: tuple[ConversationStates, list[str]],
) -> None:
    conversations, selects = states
    person = Person()
    await conversations.choose_language(person, "en")
    await conversations.put("answering", person, {"case": 7}, timedelta(days=1))
    selects.clear()

    async with conversations.read_ahead(person, KINDS):
        assert await conversations.language(person, "nl") == "en"
        assert await conversations.get("answering", person) == {"case": 7}
        assert await conversations.get("draft", person) is None
        assert len(selects) == 1, "three kinds, one round trip"

        got = await conversations.get("answering", person)
        assert got is not None
        got["case"] = 99  # the caller's copy, not what was read
        assert await conversations.get("answering", person) == {"case": 7}

        await conversations.put("draft", person, {"narrative": "x"}, timedelta(hours=1))
        assert await conversations.get("draft", person) == {"narrative": "x"}
        conversations.settled("answering", person)  # deleted by the case's own transaction
        assert await conversations.get("answering", person) is None
        await conversations.delete("draft", person)
        assert await conversations.get("draft", person) is None
        assert len(selects) == 1

        assert await conversations.get("held", person) is None, "not read ahead: read now"
        assert len(selects) == 2


async def test_nothing_is_read_ahead_after_the_block_not_even_by_work_it_left_running(
    states: tuple[ConversationStates, list[str]],
) -> None:
    conversations, _ = states
    person = Person()
    release = asyncio.Event()

    async def left_running() -> dict[str, object] | None:
        await release.wait()
        return await conversations.get("draft", person)

    async with conversations.read_ahead(person, KINDS):
        task = asyncio.create_task(left_running())  # inherits the block's context
        await asyncio.sleep(0)
    await conversations.put("draft", person, {"narrative": "later"}, timedelta(hours=1))
    release.set()
    assert await task == {"narrative": "later"}
    assert await conversations.get("draft", person) == {"narrative": "later"}
