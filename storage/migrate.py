"""Running the Alembic migrations from code (``meldbot db upgrade`` and start-up)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK = 0x6D656C64  # "meld": the advisory lock that serialises migrations


def alembic_config(url: str = "") -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


async def upgrade(
    engine: AsyncEngine, revision: str = "head", *, seal_key: str | None = None
) -> None:
    """``seal_key``: the key meldbot runs with, for migrations that seal what is stored
    (without it they look for MELDBOT_SEAL_KEY and the local key file)."""

    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        config.attributes["seal_key"] = seal_key
        command.upgrade(config, revision)

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Instances starting together on one database migrate one after the other;
            # the lock ends with this transaction.
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK})
        await connection.run_sync(run)
