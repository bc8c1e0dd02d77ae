"""Looking for a person in everything meldbot keeps: every table and column, sealed
columns opened, and every captured log line; the identifiers themselves and their
common hashes (a hash of an id is an id)."""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.database import Database
from storage.sealing import Sealer


def _forms(identifier: str) -> set[str]:
    """The identifier, and what a careless implementation might keep instead of it."""
    raw = identifier.encode()
    forms = {identifier.casefold()}
    for name in ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "blake2b", "blake2s"):
        digest = hashlib.new(name, raw)
        forms.add(digest.hexdigest())
        forms.add(base64.b64encode(digest.digest()).decode().casefold())
        forms.add(base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=").casefold())
    forms.add(base64.b64encode(raw).decode().casefold())
    return forms


def _found(text: str, identifiers: Iterable[str]) -> list[str]:
    haystack = text.casefold()
    return [i for i in identifiers if any(form in haystack for form in _forms(i))]


def _opened(sealer: Sealer, value: str) -> str:
    try:
        return sealer.unseal(value) or ""
    except Exception:
        return ""


async def tables_holding(
    engine: AsyncEngine, sealer: Sealer, identifiers: Iterable[str]
) -> dict[str, list[str]]:
    """``{"table.column": [identifiers found]}`` over every table the database has."""
    wanted = [i for i in identifiers if i]
    found: dict[str, list[str]] = {}
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for name in names:
            result = await connection.execute(text(f'SELECT * FROM "{name}"'))
            columns = list(result.keys())
            for row in result:
                for col, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    shown = str(value)
                    if col.endswith("_sealed"):
                        shown += " " + _opened(sealer, shown)
                    hits = _found(shown, wanted)
                    if hits:
                        found.setdefault(f"{name}.{col}", []).extend(hits)
    return found


def log_lines_holding(
    records: Iterable[logging.LogRecord], identifiers: Iterable[str]
) -> list[str]:
    """Every captured log line (with its exception text) that carries an identifier."""
    wanted = [i for i in identifiers if i]
    lines = []
    for record in records:
        line = record.getMessage()
        if record.exc_info:
            line += "\n" + logging.Formatter().formatException(record.exc_info)
        if _found(line, wanted):
            lines.append(f"{record.name}: {line}")
    return lines


async def raw_database_bytes(engine: AsyncEngine) -> bytes:
    """Every byte of the database's files as they lie on disk: a SQLite file with its
    ``-wal`` and ``-shm``, or the whole data directory of the PostgreSQL server (after a
    CHECKPOINT, so what is in shared buffers is in the files too)."""
    if engine.dialect.name == "sqlite":
        return _read([f"{engine.url.database}{suffix}" for suffix in ("", "-wal", "-shm")])
    async with engine.connect() as connection:
        await connection.execute(text("CHECKPOINT"))
        directory = await connection.scalar(text("SHOW data_directory"))
    return _read([str(directory)])


def _read(places: list[str]) -> bytes:
    """The bytes of these files, and of every file under these directories."""
    found: list[Path] = []
    for place in map(Path, places):
        found += [p for p in place.rglob("*") if p.is_file()] if place.is_dir() else [place]
    return b"".join(path.read_bytes() for path in found if path.exists())


def bytes_holding(raw: bytes, identifiers: Iterable[str]) -> list[str]:
    """The identifiers (in any of their common forms, in any case) found in ``raw``."""
    return _found(raw.decode("latin-1"), [i for i in identifiers if i])


async def audit_rows(database: Database, *fields: str) -> list[tuple[object, ...]]:
    """The audit log, opened, oldest first: ``fields`` of each entry (actors are sealed,
    so a test reads them through the repository, not with SQL)."""
    async with database.transaction() as tx:
        entries = await tx.audit.between(
            datetime(2000, 1, 1, tzinfo=UTC), datetime(9000, 1, 1, tzinfo=UTC)
        )
    return [tuple(getattr(entry, name) for name in fields) for entry in entries]


async def dialog_keys(database: Database) -> list[str]:
    """The keys of the dialog states, opened (they are stored as keyed hashes)."""
    async with database.engine.connect() as connection:
        sealed = await connection.scalars(text("SELECT key_sealed FROM dialog_states"))
        return [database._sealer.unseal(token) or "" for token in sealed]
