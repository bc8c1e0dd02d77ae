"""``meldbot seal rotate``: every sealed value sealed anew with the first key, every keyed
hash recomputed under it, so that the older keys can be removed afterwards.

Safe beside a serving meldbot (which already seals and hashes with the first key): rows
are read in batches, and each row is written back only if its sealed values are still the
ones read (compare-and-set), so a concurrent write is never overwritten; a row that
changed meanwhile is read again. Resumable: a row the first key opens and whose hashes are
current is left alone, and each batch is its own transaction.

The sealed columns are found in the models (every ``*_sealed`` column), so new ones are
included; the keyed hashes are listed once, in ``HASHED``, with the sealed column each is
computed from. The blind index and the restricted cases' hashes are rebuilt by
``Database.reindex``. Not rehashed, as nothing sealed holds their source: the onboarding
timers' keys (someone welcomed before may be welcomed once more) and the code guess
counters (a window of an hour).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Table, and_, delete, insert, select, text, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.audit import APPEND_ONLY_SQLITE_UPDATE
from storage.database import Database
from storage.manager import manager_hashed
from storage.migrate import upgrade
from storage.models import Base
from storage.sealing import Sealer
from storage.search_index import Hashes

log = logging.getLogger(__name__)

BATCH = 200
FILE_BATCH = 10  # rows whose sealed bytes are files
PASSES = 5  # passes over a table while concurrent writes keep changing rows under it
LINKS = b"linked identities"  # bot/access/links.py's purpose


@dataclass(frozen=True, slots=True)
class Hashed:
    """A keyed hash column and the sealed column it is computed from."""

    table: str
    column: str
    source: str
    compute: Callable[[Keyed, str], str]


@dataclass(slots=True)
class Keyed:
    hashes: Hashes
    links: bytes

    def link(self, text: str) -> str:
        return hmac.new(self.links, text.encode(), hashlib.sha256).hexdigest()


def _subject(keyed: Keyed, principal: str) -> str:
    return keyed.link(f"subject:{json.loads(principal)['subject']}")


HASHED = (
    Hashed("cases", "reporter_hash", "reporter_sealed", lambda k, v: k.hashes.person(v)),
    Hashed("cases", "handler_hash", "handler_sealed", lambda k, v: k.hashes.person(v)),
    Hashed("audit_log", "actor_hash", "actor_sealed", lambda k, v: k.hashes.person(v)),
    Hashed(
        "manager_invitations",
        "manager_hash",
        "manager_sealed",
        lambda k, v: k.hashes.person(manager_hashed(v)),
    ),
    Hashed("dialog_states", "key_hash", "key_sealed", lambda k, v: k.hashes.dialog(v)),
    Hashed("platform_addresses", "key_hash", "key_sealed", lambda k, v: k.hashes.address(v)),
    Hashed("identity_links", "chat_hash", "chat_sealed", lambda k, v: k.link(v)),
    Hashed("web_entries", "conversation_hash", "conversation_sealed", lambda k, v: k.hashes.web(v)),
    Hashed("web_members", "person_hash", "person_sealed", lambda k, v: k.hashes.web(v)),
    # Referred to by identity_links.subject_hash: moved with its links (``_move_identity``).
    Hashed("console_identities", "subject_hash", "principal_sealed", _subject),
)


@dataclass(slots=True)
class Counts:
    resealed: int = 0  # rows with a value sealed anew
    rehashed: int = 0  # rows with a hash recomputed
    current: int = 0  # rows already under the first key
    merged: int = 0  # rows whose newer twin (under the new hash) was already there
    retried: int = 0  # rows changed by meldbot meanwhile, read again
    tables: dict[str, int] = field(default_factory=dict)  # rows changed per table
    reindexed: int = 0


class Rotation:
    def __init__(self, database: Database, sealer: Sealer, batch: int = BATCH) -> None:
        self._database = database
        self._sealer = sealer
        self._keyed = Keyed(Hashes(sealer), sealer.derived_key(LINKS))
        self._batch = batch
        self.counts = Counts()

    async def run(self) -> Counts:
        for table in Base.metadata.sorted_tables:
            if _sealed(table) or _hashed(table):
                await self.table(table)
        self.counts.reindexed = await self._database.reindex()
        return self.counts

    async def table(self, table: Table) -> None:
        for _ in range(PASSES):
            if not await self._pass(table):
                return
        log.warning("seal rotate: %s kept changing; run it again", table.name)

    async def _pass(self, table: Table) -> int:
        """One pass in batches; returns how many rows changed under it (to read again)."""
        keys = list(table.primary_key.columns)
        columns = [*keys, *_sealed(table), *(table.c[h.column] for h in _hashed(table))]
        size = FILE_BATCH if any(_is_file(c) for c in _sealed(table)) else self._batch
        after: tuple[Any, ...] | None = None
        changed = 0
        while True:
            query = select(*columns).order_by(*keys).limit(size)
            if after is not None:
                query = query.where(tuple_(*keys) > tuple_(*after))
            async with self._database.engine.connect() as connection:
                rows = [dict(row._mapping) for row in await connection.execute(query)]
            if not rows:
                return changed
            after = tuple(rows[-1][key.name] for key in keys)
            changed += await self.rows(table, rows)

    async def rows(self, table: Table, rows: list[dict[str, Any]]) -> int:
        """Writes back the rows as read (in one transaction); returns those that changed."""
        work = [(row, values) for row in rows if (values := self._new_values(table, row))]
        self.counts.current += len(rows) - len(work)
        if not work:
            return 0
        changed = 0
        async with (
            self._database.engine.begin() as connection,
            _audit_writable(connection, table),
        ):
            for row, values in work:
                changed += not await self._write(connection, table, row, values)
        self.counts.retried += changed
        return changed

    def _new_values(self, table: Table, row: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for column in _sealed(table):
            token = row[column.name]
            if token is not None and not self._sealer.is_current(token):
                reseal = self._sealer.reseal_bytes if _is_file(column) else self._sealer.reseal
                values[column.name] = reseal(token)
        for hashed in _hashed(table):
            plain = self._sealer.unseal(row[hashed.source])
            new = hashed.compute(self._keyed, plain) if plain is not None else None
            if new != row[hashed.column]:
                values[hashed.column] = new
        return values

    async def _write(
        self, connection: AsyncConnection, table: Table, row: dict[str, Any], values: dict[str, Any]
    ) -> bool:
        """The compare-and-set of one row; False when it changed since it was read."""
        same = and_(*_matches(table, row))
        resealed = any(name.endswith("_sealed") for name in values)
        rehashed = any(not name.endswith("_sealed") for name in values)
        if table.name == "console_identities" and "subject_hash" in values:
            done = await _move_identity(connection, table, row, values, same)
        else:
            try:
                async with connection.begin_nested():
                    done = bool(
                        (
                            await connection.execute(update(table).where(same).values(values))
                        ).rowcount
                    )
            except IntegrityError:
                # The row under the new hash is already there, written since under the first
                # key: it is the newer one, and this older twin goes.
                done = bool((await connection.execute(delete(table).where(same))).rowcount)
                self.counts.merged += done
        if done:
            self.counts.resealed += resealed
            self.counts.rehashed += rehashed
            self.counts.tables[table.name] = self.counts.tables.get(table.name, 0) + 1
        return done


async def _move_identity(
    connection: AsyncConnection,
    table: Table,
    row: dict[str, Any],
    values: dict[str, Any],
    same: Any,
) -> bool:
    """A console identity under its new hash: a copy, its links moved over, the old one
    deleted (links refer to it, so its key cannot simply change)."""
    old, new = row["subject_hash"], values["subject_hash"]
    current = await connection.execute(select(table).where(same).with_for_update())
    found = current.mappings().first()
    if found is None:
        return False
    twin = await connection.scalar(select(table.c.subject_hash).where(table.c.subject_hash == new))
    if twin is None:
        await connection.execute(insert(table).values({**dict(found), **values}))
    links = Base.metadata.tables["identity_links"]
    await connection.execute(
        update(links).where(links.c.subject_hash == old).values(subject_hash=new)
    )
    await connection.execute(delete(table).where(table.c.subject_hash == old))
    return True


class _audit_writable:
    """The audit log's append-only triggers step aside for this transaction only: on
    PostgreSQL disabling a trigger is transactional and locks the table until the commit
    (writers wait a moment); on SQLite the update trigger is dropped and made again."""

    def __init__(self, connection: AsyncConnection, table: Table) -> None:
        self._connection = connection
        self._active = table.name == "audit_log"

    async def __aenter__(self) -> None:
        if not self._active:
            return
        if self._connection.dialect.name == "postgresql":
            await self._connection.execute(
                text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            )
        else:
            await self._connection.execute(text("DROP TRIGGER audit_log_no_update"))

    async def __aexit__(self, *error: object) -> None:
        if not self._active or error[0] is not None:
            return  # a failure rolls the whole transaction back, the trigger with it
        if self._connection.dialect.name == "postgresql":
            await self._connection.execute(
                text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")
            )
        else:
            await self._connection.execute(text(APPEND_ONLY_SQLITE_UPDATE))


def _matches(table: Table, row: dict[str, Any]) -> list[Any]:
    """The row as read: its key, and every sealed value unchanged."""
    conditions = [column == row[column.name] for column in table.primary_key.columns]
    for column in _sealed(table):
        value = row[column.name]
        conditions.append(column.is_(None) if value is None else column == value)
    return conditions


def _sealed(table: Table) -> list[Column[Any]]:
    return [column for column in table.columns if column.name.endswith("_sealed")]


def _hashed(table: Table) -> list[Hashed]:
    return [hashed for hashed in HASHED if hashed.table == table.name]


def _is_file(column: Column[Any]) -> bool:
    return column.type.python_type is bytes


async def rotate(url: str, seal_key: str) -> Counts:
    """``meldbot seal rotate``: the database brought up to date, then rotated."""
    sealer = Sealer(seal_key)
    database = Database(url, sealer, lambda: datetime.now(UTC))
    try:
        await upgrade(database.engine, seal_key=seal_key)
        return await Rotation(database, sealer).run()
    finally:
        await database.close()


def summary(counts: Counts) -> str:
    tables = ", ".join(f"{name} {count}" for name, count in sorted(counts.tables.items()))
    return (
        f"meldbot: {counts.resealed} rows sealed anew, {counts.rehashed} rows rehashed"
        f"{f' ({tables})' if tables else ''}; {counts.current} already current; "
        f"{counts.reindexed} cases reindexed"
    )
