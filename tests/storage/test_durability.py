"""What each kind of transaction asks of the disk: a report's commit waits for it; a draft's
or a delivery key's does not; a read takes no write lock. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from storage import sqlite
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
LATER = datetime(2026, 5, 5, 12, 0, tzinfo=UTC)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db
    await db.close()


async def setting(database: Database, *, durable: bool) -> str:
    postgres = database.engine.dialect.name == "postgresql"
    query = "SHOW synchronous_commit" if postgres else "PRAGMA synchronous"
    async with database.transaction(durable=durable) as tx:
        return str((await tx.session.execute(text(query))).scalar_one())


async def test_a_durable_commit_waits_for_the_disk_and_a_light_one_does_not(
    database: Database,
) -> None:
    if database.engine.dialect.name == "postgresql":
        assert await setting(database, durable=True) == "on"
        assert await setting(database, durable=False) == "off"
        assert await setting(database, durable=True) == "on", "only for that transaction"
    else:  # SQLite: 2 is FULL (an fsync per commit), 1 NORMAL (WAL mode: at checkpoints)
        assert await setting(database, durable=True) == "2"
        assert await setting(database, durable=False) == "1"
        assert await setting(database, durable=True) == "2", "only for that transaction"
        async with database.engine.connect() as connection:
            mode = await connection.exec_driver_sql("PRAGMA journal_mode")
            assert mode.scalar_one() == "wal"


async def test_what_a_light_transaction_wrote_is_kept(database: Database) -> None:
    async with database.transaction(durable=False) as tx:
        await tx.dialogs.put("draft:slack:U1", {"text": "Hij schreeuwde."}, LATER)
    assert await database.first_delivery("slack:Ev1", NOW)
    assert not await database.first_delivery("slack:Ev1", NOW)
    async with database.transaction(read_only=True) as tx:
        assert await tx.dialogs.get("draft:slack:U1", NOW) == {"text": "Hij schreeuwde."}


async def test_a_read_does_not_wait_for_a_writer(database: Database) -> None:
    async with database.transaction(durable=False) as tx:
        await tx.dialogs.put("draft:slack:U1", {"text": "eerst"}, LATER)
    writing = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with database.transaction() as tx:
            await tx.dialogs.put("draft:slack:U1", {"text": "daarna"}, LATER)
            writing.set()
            await release.wait()

    held = asyncio.create_task(writer())
    await writing.wait()
    # The writer holds its transaction open; the read sees what was committed before it.
    async with database.transaction(read_only=True) as tx:
        assert await tx.dialogs.get("draft:slack:U1", NOW) == {"text": "eerst"}
    release.set()
    await held
    async with database.transaction(read_only=True) as tx:
        assert await tx.dialogs.get("draft:slack:U1", NOW) == {"text": "daarna"}


async def test_an_address_is_written_again_only_when_it_changed_or_a_day_passed(
    database_url: str,
) -> None:
    today = [NOW]
    database = Database(database_url, Sealer(new_key()), lambda: today[0])
    await upgrade(database.engine)
    try:
        written: list[str] = []

        def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            if "INSERT INTO platform_addresses" in statement:
                written.append(statement)

        event.listen(database.engine.sync_engine, "before_cursor_execute", count)
        await database.remember("teams", "user:1", {"id": "a"})
        await database.remember("teams", "user:1", {"id": "a"})
        assert len(written) == 1
        await database.remember("teams", "user:1", {"id": "b"})
        assert await database.recall("teams", "user:1") == {"id": "b"}
        today[0] = LATER  # a new day: the row's day stamp is renewed
        await database.remember("teams", "user:1", {"id": "b"})
        assert len(written) == 3
    finally:
        await database.close()


async def test_a_writer_cancelled_halfway_leaves_nothing_and_the_next_writes(
    database: Database,
) -> None:
    writing = asyncio.Event()

    async def writer() -> None:
        async with database.transaction() as tx:
            await tx.dialogs.put("draft:slack:U1", {"text": "half"}, LATER)
            writing.set()
            await asyncio.Event().wait()

    held = asyncio.create_task(writer())
    await writing.wait()
    held.cancel()
    with pytest.raises(asyncio.CancelledError):
        await held
    for number in range(2, 5):  # whichever pooled connection each one gets
        async with asyncio.timeout(5), database.transaction() as tx:
            await tx.dialogs.put(f"draft:slack:U{number}", {"text": "next"}, LATER)
    async with database.transaction(read_only=True) as tx:
        assert await tx.dialogs.get("draft:slack:U1", NOW) is None
        assert await tx.dialogs.get("draft:slack:U4", NOW) == {"text": "next"}


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_connection_still_in_a_transaction_is_rolled_back_on_its_way_to_the_pool(
    database: Database,
) -> None:
    """The pool skips the rollback for connections that ended their transaction; one that
    did not (its task cancelled halfway) must not keep SQLite's write lock."""
    path = database.engine.url.database
    assert path

    def another_writer_can_write() -> bool:
        probe = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            probe.close()

    async with database.engine.connect() as connection:
        raw = await connection.get_raw_connection()
        # Begun below SQLAlchemy, so it does not know to end it.
        driver = raw.driver_connection
        assert driver is not None
        await driver.execute("BEGIN IMMEDIATE")
        assert not await asyncio.to_thread(another_writer_can_write)
    assert await asyncio.to_thread(another_writer_can_write)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_begin_that_cannot_take_the_write_lock_fails_as_any_statement_does(
    database: Database,
) -> None:
    path = database.engine.url.database
    assert path
    impatient = create_async_engine(
        database.engine.url, connect_args={"timeout": 0.1}, pool_reset_on_return=None
    )
    sqlite.tune(impatient)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(OperationalError, match="locked"):
            async with impatient.begin() as connection:
                await connection.execute(text("SELECT 1"))
        holder.execute("ROLLBACK")
        async with impatient.begin() as connection:  # and the pool is none the worse for it
            assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
    finally:
        holder.close()
        await impatient.dispose()
