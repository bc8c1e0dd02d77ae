"""SQLite's connections: set up once, each transaction begun in one round trip.

aiosqlite runs every call on the connection's own thread, and each call there is a round
trip from the event loop (a queue, a thread switch and a wake-up back). SQLAlchemy takes
three for a statement it runs itself (a cursor, the statement, closing the cursor) and one
more when a connection goes back to the pool (a rollback). Under a burst those round trips
were most of what a chat message cost, so the two done here take one and none.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

DURABLE = "meldbot_durable"
READ_ONLY = "meldbot_read_only"


def _begin_script(options: dict[str, Any], synchronous: str | None) -> tuple[str, str | None]:
    """What begins a transaction with these execution options on a connection whose last
    safety level was ``synchronous``, and the level it leaves."""
    if options.get(READ_ONLY, False):
        # Reads take no write lock: in WAL mode they run beside the one writer.
        return "BEGIN", synchronous
    # The safety level can only change outside a transaction: set it before BEGIN, and only
    # when it differs from the connection's last one. IMMEDIATE takes the write lock at
    # BEGIN, so two writers wait for each other instead of deadlocking.
    level = "FULL" if options.get(DURABLE, True) else "NORMAL"
    pragma = "" if synchronous == level else f"PRAGMA synchronous={level}; "
    return f"{pragma}BEGIN IMMEDIATE", level


def tune(engine: AsyncEngine) -> None:
    """Foreign keys, the WAL and secure deletes on every connection; transactions begun by
    meldbot (the driver's own transaction handling is off); a connection rolled back on
    its way to the pool only when it is still in a transaction."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # Deleted rows are overwritten with zeros, not left readable in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Any) -> None:
        proxied = connection.connection
        script, level = _begin_script(
            connection.get_execution_options(), proxied.info.get("synchronous")
        )
        try:
            # executescript: the pragma and BEGIN in one call, with no cursor left to close.
            proxied.dbapi_connection.run_async(lambda driver: driver.executescript(script))
        except sqlite3.Error as error:  # as SQLAlchemy raises a failed statement of its own
            raise OperationalError(script, None, error) from error
        proxied.info["synchronous"] = level

    @event.listens_for(engine.sync_engine, "reset")
    def _reset(dbapi_connection: Any, _record: Any, reset_state: Any) -> None:
        # Nearly every connection comes back after its COMMIT or ROLLBACK; one that does not
        # (its task was cancelled halfway) must not keep the write lock in the pool.
        if not reset_state.terminate_only and dbapi_connection.driver_connection.in_transaction:
            dbapi_connection.rollback()
