"""The database: engine, transactions and the delivery ledger.

Durability: every transaction is committed durably (SQLite ``synchronous=FULL``, an fsync
of the WAL; PostgreSQL's default ``synchronous_commit``) unless it asks not to be. Only
state that is harmless to lose in a power cut asks (``durable=False``): Slack's delivery
keys and dialog state (a draft). Their commit then skips the fsync (SQLite
``synchronous=NORMAL`` in WAL mode, PostgreSQL ``synchronous_commit=off``): still atomic,
and durable against a crash of meldbot itself, only the last moments before a power cut may
be lost. Reports, the outbox, audit and everything else stay durable, so a report is
never confirmed before it is on disk.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.events import Platform
from storage import sqlite
from storage.attachments import SqlAttachmentRepository
from storage.audit import SqlAuditLog
from storage.bans import SqlBanRepository
from storage.cases import SqlCaseRepository
from storage.consultations import SqlConsultationRepository
from storage.deliveries import DeliveryKeys
from storage.dialogs import SqlDialogStates
from storage.follow_up import SqlAangifte, SqlExternalReports, SqlProposals
from storage.guesses import SqlCodeGuesses
from storage.manager import SqlInvitationRepository
from storage.manager_letters import SqlManagerLetters
from storage.measures import SqlMeasureRepository
from storage.models import AddressRow, CaseRow, DeliveryRow
from storage.outbox import SqlOutbox
from storage.posts import SqlPosts
from storage.privacy import SqlPersonRecords
from storage.queries import SqlCaseQueries
from storage.receipts import SqlReceiptRepository
from storage.registry import SqlRegistry
from storage.retention import SqlRetention
from storage.sealing import Sealer
from storage.search_index import Hashes
from storage.sessions import SqlIdentityLinks, SqlSessions
from storage.sqlite import DURABLE, READ_ONLY
from storage.submissions import SqlSubmissionLedger
from storage.timers import SqlTimers
from storage.together import Together
from storage.upsert import insert_for
from storage.web_history import SqlWebHistory


@dataclass(slots=True)
class SqlTransaction:
    session: AsyncSession
    cases: SqlCaseRepository
    outbox: SqlOutbox
    dialogs: SqlDialogStates
    audit: SqlAuditLog
    receipts: SqlReceiptRepository
    consultations: SqlConsultationRepository
    timers: SqlTimers
    guesses: SqlCodeGuesses
    attachments: SqlAttachmentRepository
    sessions: SqlSessions
    links: SqlIdentityLinks
    queries: SqlCaseQueries
    measures: SqlMeasureRepository
    bans: SqlBanRepository
    proposals: SqlProposals
    aangifte: SqlAangifte
    external_reports: SqlExternalReports
    invitations: SqlInvitationRepository
    manager_letters: SqlManagerLetters
    registry: SqlRegistry
    posts: SqlPosts
    retention: SqlRetention
    persons: SqlPersonRecords
    submissions: SqlSubmissionLedger


DialogStates = dict[str, dict[str, Any] | None]
DialogsAsked = tuple[tuple[str, ...], datetime]
DialogKept = tuple[str, dict[str, Any], datetime]

DIALOGS_TOGETHER = 100  # people's states per batch: a few hundred hashes in one IN (…)
ADDRESSES_KEPT = 10_000  # references remembered in memory, to skip rewriting the same one


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            hide_parameters=True,
            connect_args={"timeout": 30},
            pool_reset_on_return=None,  # sqlite.tune rolls back only what needs it
        )
        sqlite.tune(engine)
        return engine
    # No JIT: meldbot's queries are short, and compiling one costs more than it saves (a
    # list with a rare filter took 300 ms of JIT for 40 ms of work).
    settings = {"server_settings": {"jit": "off"}} if parsed.drivername.endswith("asyncpg") else {}
    # hide_parameters: an error's log line must not carry the values (a reporter's id).
    return create_async_engine(url, hide_parameters=True, pool_pre_ping=True, connect_args=settings)


class Database:
    """Implements ``bot.ports.Storage``."""

    def __init__(self, url: str, sealer: Sealer, clock: Callable[[], datetime]) -> None:
        self.engine = create_engine(url)
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        self._light_sessions = async_sessionmaker(
            self.engine.execution_options(**{DURABLE: False}), expire_on_commit=False
        )
        self._reading_sessions = async_sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )
        self._postgres = self.engine.dialect.name == "postgresql"
        # SQLite has one writer at a time. Writers that wait for each other here take turns
        # at once; writers that meet at SQLite's lock back off in its busy handler, sleeping
        # up to 100 ms a time, which under a burst cost more than the writing did.
        self._one_writer = None if self._postgres else asyncio.Lock()
        self._deliveries = DeliveryKeys(self._new_deliveries)
        # Built once, the rows come with each call: SQLAlchemy compiles it once and writes
        # the rows as multi-row VALUES itself, however many a batch has.
        deliveries = DeliveryRow.metadata.tables[DeliveryRow.__tablename__]
        self._new_keys = (
            self._insert()(deliveries).on_conflict_do_nothing().returning(deliveries.c.key)
        )
        self._addresses_kept: dict[tuple[str, str], str] = {}  # what ``remember`` last wrote
        # Conversation state, read and written together across events (``Together``).
        self._dialog_reads: Together[DialogsAsked, DialogStates] = Together(
            self._read_dialogs, DIALOGS_TOGETHER
        )
        self._dialog_writes: Together[DialogKept, None] = Together(
            self._write_dialogs, DIALOGS_TOGETHER
        )
        self._sealer = sealer
        self._clock = clock
        self._hashes = Hashes(sealer)

    @asynccontextmanager
    async def _session(
        self, *, durable: bool, read_only: bool = False
    ) -> AsyncIterator[AsyncSession]:
        if read_only:
            sessions = self._reading_sessions
        else:
            sessions = self._sessions if durable else self._light_sessions
        async with self._turn(read_only), sessions() as session, session.begin():
            if not durable and not read_only and self._postgres:
                await session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            yield session

    def _turn(self, read_only: bool) -> AbstractAsyncContextManager[object]:
        """This process's turn to write (SQLite); reads and PostgreSQL need none."""
        if read_only or self._one_writer is None:
            return nullcontext()
        return self._one_writer

    @asynccontextmanager
    async def transaction(
        self, *, durable: bool = True, read_only: bool = False
    ) -> AsyncIterator[SqlTransaction]:
        """``durable=False`` only for what is harmless to lose in a power cut (see above);
        ``read_only`` only for a transaction that writes nothing: on SQLite it takes no
        write lock, so a write in it could fail when another writer came first."""
        async with self._session(durable=durable, read_only=read_only) as session:
            outbox = SqlOutbox(session, self._clock(), self._sealer)
            yield SqlTransaction(
                session=session,
                cases=SqlCaseRepository(session, self._sealer, self._hashes),
                outbox=outbox,
                dialogs=SqlDialogStates(session, self._sealer, self._hashes),
                audit=SqlAuditLog(session, self._sealer, self._hashes),
                receipts=SqlReceiptRepository(session, self._sealer),
                consultations=SqlConsultationRepository(session, self._sealer),
                timers=SqlTimers(session, self._sealer),
                guesses=SqlCodeGuesses(session),
                attachments=SqlAttachmentRepository(session, self._sealer),
                sessions=SqlSessions(session, self._sealer),
                links=SqlIdentityLinks(session, self._sealer),
                queries=SqlCaseQueries(session, self._sealer, self._hashes),
                measures=SqlMeasureRepository(session, self._sealer),
                bans=SqlBanRepository(session, self._sealer),
                proposals=SqlProposals(session, self._sealer),
                aangifte=SqlAangifte(session, self._sealer),
                external_reports=SqlExternalReports(session, self._sealer),
                invitations=SqlInvitationRepository(session, self._sealer, self._hashes),
                manager_letters=SqlManagerLetters(session, self._sealer),
                registry=SqlRegistry(session),
                posts=SqlPosts(session, self._sealer, outbox),
                retention=SqlRetention(session, self._sealer),
                persons=SqlPersonRecords(session, self._sealer, self._hashes),
                submissions=SqlSubmissionLedger(session, self._hashes),
            )

    def _insert(self) -> Any:
        return insert_for(self.engine.dialect.name)

    async def first_delivery(self, key: str, now: datetime) -> bool:
        return await self._deliveries.first(key, now)

    async def _new_deliveries(self, keys: list[tuple[str, datetime]]) -> set[str]:
        # Not durable: lost in a power cut, a redelivery is handled once more at worst.
        rows = [{"key": key, "seen_at": seen_at} for key, seen_at in keys]
        async with self._session(durable=False) as session:
            result = await session.execute(self._new_keys, rows)
            return set(result.scalars())

    async def dialog_states(self, keys: Sequence[str], now: datetime) -> DialogStates:
        return await self._dialog_reads((tuple(keys), now))

    async def keep_dialog_state(self, key: str, state: dict[str, Any], expires: datetime) -> None:
        await self._dialog_writes((key, state, expires))

    async def _read_dialogs(self, asked: list[DialogsAsked]) -> list[DialogStates]:
        async with self._session(durable=False, read_only=True) as session:
            return await SqlDialogStates(session, self._sealer, self._hashes).get_each(asked)

    async def _write_dialogs(self, kept: list[DialogKept]) -> list[None]:
        async with self._session(durable=False) as session:
            await SqlDialogStates(session, self._sealer, self._hashes).put_each(kept)
        return [None] * len(kept)

    async def forget_deliveries(self, before: datetime) -> int:
        async with self._session(durable=True) as session:
            result = await session.execute(delete(DeliveryRow).where(DeliveryRow.seen_at < before))
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def remember(self, platform: Platform, key: str, reference: dict[str, Any]) -> None:
        """Keep the newest reference for ``key``; implements ``bot.ports.AddressBook``."""
        newest, *older = self._hashes.addresses(key)
        # Rewritten once a day even when unchanged (``seen_on`` keeps it from being purged);
        # kept in memory by its hash only.
        kept = (platform, newest)
        written = f"{self._clock().date()} {json.dumps(reference, sort_keys=True)}"
        digest = hashlib.sha256(written.encode()).hexdigest()
        if self._addresses_kept.get(kept) == digest and not older:
            return  # the same reference as last time: nothing to write
        values = {
            "key_sealed": self._sealer.seal(key),
            "reference_sealed": self._sealer.seal_json(reference),
            "seen_on": self._clock().date(),
        }
        statement = self._insert()(AddressRow).values(platform=platform, key_hash=newest, **values)
        # Durable: a page to an on-call person needs it; written about once a day anyway.
        async with self._session(durable=True) as session:
            if older:  # the same address hashed under a key before a rotation
                await session.execute(
                    delete(AddressRow).where(
                        AddressRow.platform == platform, AddressRow.key_hash.in_(older)
                    )
                )
            # An upsert, not a merge: two instances may see the same person at once.
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["platform", "key_hash"], set_=values
                )
            )
        if len(self._addresses_kept) >= ADDRESSES_KEPT:
            self._addresses_kept.clear()
        self._addresses_kept[kept] = digest

    async def recall(self, platform: Platform, key: str) -> dict[str, Any] | None:
        hashes = self._hashes.addresses(key)
        async with self._session(durable=True, read_only=True) as session:
            rows = await session.execute(
                select(AddressRow.key_hash, AddressRow.reference_sealed).where(
                    AddressRow.platform == platform, AddressRow.key_hash.in_(hashes)
                )
            )
            found: dict[str, str] = {key_hash: sealed for key_hash, sealed in rows}
        sealed = next((found[one] for one in hashes if one in found), None)
        return None if sealed is None else self._sealer.unseal_json(sealed)

    def web_history(self) -> SqlWebHistory:
        """The web chat's history; implements ``bot.ports.WebHistory``."""
        return SqlWebHistory(
            functools.partial(self._session, durable=True), self._sealer, self._hashes
        )

    async def reindex(self) -> int:
        """Rebuilds the blind index and the restricted cases' hashes under the current
        key (after the first sealing key was rotated, or for cases from before 0009);
        returns how many cases. One transaction per case, so it can run beside meldbot."""
        async with self._session(durable=True, read_only=True) as session:
            ids = list(await session.scalars(select(CaseRow.id).order_by(CaseRow.id)))
        for case_id in ids:
            async with self.transaction() as tx:
                await tx.cases.index.rebuild(case_id)
                await tx.cases.restrictions.rehash(case_id)
        return len(ids)

    async def checkpoint(self) -> None:
        """SQLite: copy the WAL into the database and empty it, so what a purge deleted
        is not left readable in the log file. PostgreSQL: nothing to do."""
        if self.engine.dialect.name != "sqlite":
            return
        async with self.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            await raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # type: ignore[union-attr]

    async def close(self) -> None:
        await self.engine.dispose()
