"""Sessions in the core, on SQLite and PostgreSQL: only a hash of the token is kept, the
principal is sealed, idle and absolute expiry, sign-out and housekeeping."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.access.models import Principal, Role
from bot.access.sessions import KEPT_AFTER_END, Sessions, SessionTimes
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from tests.core.conftest import Clock
from tests.privacy import audit_rows

ANNA = Principal("entra-sub-anna", "Anna de Boer", frozenset({Role.COORDINATOR}), "anna@ex.nl")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[tuple[Database, Clock]]:
    clock = Clock()
    db = Database(database_url, Sealer(new_key()), clock)
    await upgrade(db.engine)
    yield db, clock
    await db.close()


def _sessions(db: Database, clock: Clock) -> Sessions:
    return Sessions(db, clock, SessionTimes(length=timedelta(hours=8), idle=timedelta(minutes=30)))


async def _dump(db: Database) -> str:
    async with db.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM sessions"))).all()
    return repr(rows) + repr(await audit_rows(db, "actor", "action"))


async def test_only_a_hash_of_the_token_is_kept_and_the_person_is_sealed(
    database: tuple[Database, Clock],
) -> None:
    db, clock = database
    token, session = await _sessions(db, clock).start(ANNA)
    dump = await _dump(db)
    assert hashlib.sha256(token.encode()).hexdigest() in dump
    for plain in (token, "Anna de Boer", "anna@ex.nl", session.csrf):
        assert plain not in dump
    found = await _sessions(db, clock).find(token)
    assert found is not None and found.active and found.session.principal == ANNA
    assert "('console:entra-sub-anna', 'signin')" in dump


async def test_the_idle_timeout_moves_with_use_and_then_ends_the_session(
    database: tuple[Database, Clock],
) -> None:
    db, clock = database
    sessions = _sessions(db, clock)
    token, _ = await sessions.start(ANNA)
    for _ in range(4):  # two hours of use, a request every 29 minutes
        clock.advance(minutes=29)
        found = await sessions.find(token)
        assert found is not None and found.active
    clock.advance(minutes=30, seconds=1)
    found = await sessions.find(token)
    assert found is not None and not found.active, "idle for longer than 30 minutes"
    assert found.session.principal == ANNA, "an ended session still knows its person"


async def test_the_session_ends_after_its_length_however_busy(
    database: tuple[Database, Clock],
) -> None:
    db, clock = database
    sessions = _sessions(db, clock)
    token, started = await sessions.start(ANNA)
    while clock.now < started.expires_at - timedelta(minutes=10):
        clock.advance(minutes=10)
        found = await sessions.find(token)
        assert found is not None and found.active
    clock.advance(minutes=10)
    found = await sessions.find(token)
    assert found is not None and not found.active
    assert clock.now - started.created_at == timedelta(hours=8)


async def test_signing_out_deletes_it_and_housekeeping_forgets_ended_ones(
    database: tuple[Database, Clock],
) -> None:
    db, clock = database
    sessions = _sessions(db, clock)
    out, _ = await sessions.start(ANNA)
    idle, _ = await sessions.start(ANNA)
    await sessions.end(out)
    assert await sessions.find(out) is None
    assert "('console:entra-sub-anna', 'signout')" in await _dump(db)
    clock.advance(minutes=31)
    assert await sessions.purge() == 0, "an ended session is kept a while to recognise its person"
    clock.advance(seconds=KEPT_AFTER_END.total_seconds())
    assert await sessions.purge() == 1
    assert await sessions.find(idle) is None


async def test_unknown_and_absurd_tokens_find_nothing(database: tuple[Database, Clock]) -> None:
    db, clock = database
    sessions = _sessions(db, clock)
    await sessions.start(ANNA)
    for token in ("", "nope", "x" * 5000):
        assert await sessions.find(token) is None
