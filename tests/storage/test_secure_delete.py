"""SQLite overwrites what is deleted (``secure_delete``): once the WAL is checkpointed, a
deleted row is in no byte of the database's files."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from tests.privacy import bytes_holding, raw_database_bytes

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def _checkpoint(path: Path) -> None:
    """The WAL written into the database file and emptied (what a purge does after it)."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


async def test_a_deleted_row_leaves_no_trace_in_the_sqlite_files(tmp_path: Path) -> None:
    database = Database(
        f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", Sealer(new_key()), lambda: NOW
    )
    await upgrade(database.engine)
    async with database.engine.connect() as connection:
        assert await connection.scalar(text("PRAGMA secure_delete")) == 1
    gone, kept = f"gone-{uuid.uuid4().hex}", f"kept-{uuid.uuid4().hex}"
    await database.first_delivery(gone, NOW - timedelta(days=3))
    await database.first_delivery(kept, NOW)
    _checkpoint(tmp_path / "meldbot.db")
    assert bytes_holding(await raw_database_bytes(database.engine), [gone, kept]) == [gone, kept]

    assert await database.forget_deliveries(NOW - timedelta(days=1)) == 1
    _checkpoint(tmp_path / "meldbot.db")
    assert bytes_holding(await raw_database_bytes(database.engine), [gone, kept]) == [kept]
    await database.close()
