"""INSERT … ON CONFLICT for the backend a session is on (PostgreSQL or SQLite ≥ 3.35)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession


def upsert(session: AsyncSession) -> Any:
    """The dialect's ``insert``, whose statements have ``on_conflict_do_update``."""
    return pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
