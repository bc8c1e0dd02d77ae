"""``meldbot db copy --to postgresql+asyncpg://…``: the embedded SQLite database into an
empty PostgreSQL one, table by table in foreign-key order.

Sealed values are copied as they are: the same sealing key opens them in the target. The
source is read in one transaction (one snapshot, even beside a running meldbot) and the
target written in one, so a failed copy leaves the target empty and can be run again.
The audit log's append-only trigger (migration 0009) refuses updates and deletes, not
inserts: the copy passes it, and the target's log stays protected.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Table, event, func, insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from storage.database import create_engine
from storage.migrate import upgrade
from storage.models import Base

BATCH = 500  # rows per insert: attachments can be megabytes each


class CopyRefused(Exception):
    """The copy cannot start or did not check out; the message is one sentence."""


def _reader(url: str) -> AsyncEngine:
    """SQLite with a plain deferred BEGIN: a snapshot that does not hold meldbot's writers."""
    engine = create_async_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")

    return engine


def _check_urls(source: str, target: str) -> None:
    try:
        wanted = make_url(target)
    except Exception:
        raise CopyRefused("--to is not a database address.") from None
    if wanted.drivername != "postgresql+asyncpg":
        raise CopyRefused("--to must be a postgresql+asyncpg:// address.")
    parsed = make_url(source)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise CopyRefused("db copy copies the embedded SQLite database, and this one is not.")
    if not Path(parsed.database).is_file():
        raise CopyRefused(f"There is no database at {parsed.database} to copy.")


async def _holding(connection: AsyncConnection, tables: list[Table]) -> str | None:
    for table in tables:
        if await connection.scalar(select(select(table).exists())):
            return table.name
    return None


async def _count(connection: AsyncConnection, table: Table) -> int:
    return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def _copy_table(source: AsyncConnection, target: AsyncConnection, table: Table) -> None:
    order = list(table.primary_key.columns)
    result = await source.stream(select(table).order_by(*order))
    async for rows in result.partitions(BATCH):
        await target.execute(insert(table), [dict(row._mapping) for row in rows])


async def _set_sequences(target: AsyncConnection, table: Table) -> None:
    """A new row gets the id after the highest copied: the copy wrote ids itself."""
    column = table.autoincrement_column
    if column is None:
        return
    sequence = func.pg_get_serial_sequence(table.name, column.name)
    after = func.coalesce(func.max(column), 0) + 1
    await target.execute(select(func.setval(sequence, after, False)).select_from(table))


async def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Copies every table; returns its rows per table, counted in the target."""
    _check_urls(source_url, target_url)
    tables = list(Base.metadata.sorted_tables)
    source, target = create_engine(source_url), create_engine(target_url)
    try:
        await upgrade(source)  # what ``meldbot serve`` does first, too
        try:
            await upgrade(target)
        except (OSError, DBAPIError) as error:
            raise CopyRefused(f"The target database cannot be reached: {error}") from None
        reader = _reader(source_url)
        try:
            async with reader.begin() as read, target.begin() as write:
                holding = await _holding(write, tables)
                if holding is not None:
                    raise CopyRefused(
                        f"The target database already holds data (in {holding}): "
                        "db copy fills only an empty database."
                    )
                counts: dict[str, int] = {}
                for table in tables:
                    await _copy_table(read, write, table)
                    await _set_sequences(write, table)
                    counts[table.name] = await _count(write, table)
                    if counts[table.name] != await _count(read, table):
                        raise CopyRefused(f"{table.name} did not copy fully; nothing was kept.")
            return counts
        finally:
            await reader.dispose()
    except OperationalError as error:
        raise CopyRefused(f"The copy stopped: {error.orig}") from None
    finally:
        await source.dispose()
        await target.dispose()
