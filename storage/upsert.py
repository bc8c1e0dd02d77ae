"""INSERT … ON CONFLICT for the backend a session is on (PostgreSQL or SQLite ≥ 3.35)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(dialect: str) -> Any:
    """The ``insert`` of the dialect named ``dialect``, whose statements have
    ``on_conflict_do_update`` and ``on_conflict_do_nothing``."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


def upsert(session: AsyncSession) -> Any:
    """The dialect's ``insert`` for the backend ``session`` is on."""
    return insert_for(session.get_bind().dialect.name)
