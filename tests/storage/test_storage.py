"""Storage on SQLite and PostgreSQL: migrations, sealing at rest, audit, dedupe, outbox claims."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

from bot.case.models import EventKind, NewReport, Reporter
from bot.housekeeping import sweep
from storage.database import Database
from storage.migrate import upgrade
from storage.models import Base
from storage.sealing import Sealer, SealError, new_key

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
async def database(database_url: str) -> Database:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db  # type: ignore[misc]
    await db.close()


async def test_the_migrations_build_exactly_the_models(database: Database) -> None:
    def differences(connection: Connection) -> list[object]:
        return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))

    async with database.engine.connect() as connection:
        assert await connection.run_sync(differences) == []
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"cases", "case_events", "outbox", "dialog_states", "deliveries", "audit_log"} <= tables


async def test_narratives_names_and_messages_are_sealed_at_rest(database: Database) -> None:
    secret = "Meneer Bakker sloeg op de balie"
    async with database.transaction() as tx:
        case = await tx.cases.create(
            NewReport(secret, location="Balie 3"), Reporter("web", "u1", "Sanne Geheim"), "web", NOW
        )
        await tx.cases.add_event(case, EventKind.ANSWER, NOW, text="antwoord-geheim")
        await tx.dialogs.put("draft:web:u1", {"narrative": "concept-geheim"}, NOW + timedelta(1))
    async with database.engine.connect() as connection:
        dump = ""
        for table in ("cases", "case_events", "dialog_states"):
            rows = (await connection.execute(text(f"SELECT * FROM {table}"))).all()
            dump += repr(rows)
    for plain in (secret, "Balie 3", "Sanne Geheim", "antwoord-geheim", "concept-geheim"):
        assert plain not in dump
    async with database.transaction() as tx:
        loaded = await tx.cases.get(case.id)
    assert loaded is not None and loaded.report.narrative == secret


async def test_a_wrong_key_cannot_open_sealed_rows(database_url: str, tmp_path: Path) -> None:
    first = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(first.engine)
    async with first.transaction() as tx:
        case = await tx.cases.create(NewReport("geheim"), None, "web", NOW)
    await first.close()
    other = Database(database_url, Sealer(new_key()), lambda: NOW)
    with pytest.raises(SealError):
        async with other.transaction() as tx:
            await tx.cases.get(case.id)
    await other.close()


def test_keys_rotate_without_losing_old_rows() -> None:
    old, new = new_key(), new_key()
    token = Sealer(old).seal("melding")
    assert Sealer(f"{new},{old}").unseal(token) == "melding"
    assert Sealer(new).seal("x") != Sealer(new).seal("x"), "every seal has its own nonce"


async def test_references_count_up_per_year(database: Database) -> None:
    async with database.transaction() as tx:
        refs = [
            (await tx.cases.create(NewReport(str(i)), None, "web", NOW)).reference for i in range(3)
        ]
        next_year = await tx.cases.create(NewReport("x"), None, "web", NOW.replace(year=2027))
    assert refs == ["M-2026-0001", "M-2026-0002", "M-2026-0003"]
    assert next_year.reference == "M-2027-0001"


async def test_a_delivery_key_is_processed_once(database: Database) -> None:
    assert await database.first_delivery("slack:Ev1", NOW)
    assert not await database.first_delivery("slack:Ev1", NOW)
    assert await database.first_delivery("slack:Ev2", NOW)


async def test_delivery_keys_asked_at_once_are_each_new_exactly_once(database: Database) -> None:
    """A burst: keys go in batches of several hundred, some seen before, some asked twice."""
    for number in range(200):
        assert await database.first_delivery(f"slack:Ev{number}", NOW)
    keys = [f"slack:Ev{number}" for number in range(1200)] + ["slack:Ev700"] * 3
    answers = await asyncio.gather(*(database.first_delivery(key, NOW) for key in keys))
    new = [key for key, first in zip(keys, answers, strict=True) if first]
    assert sorted(new) == sorted(f"slack:Ev{number}" for number in range(200, 1200))


async def test_outbox_claims_are_leased_and_in_order_per_case(database: Database) -> None:
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("x"), None, "web", NOW)
        await tx.outbox.enqueue("case.alert", case_id=case.id)
        await tx.outbox.enqueue("case.thread", case_id=case.id)
    lease = NOW + timedelta(seconds=60)
    async with database.transaction() as tx:
        first = await tx.outbox.claim(NOW, lease, 10)
    assert [n.kind for n in first] == ["case.alert"], "the thread note waits for the alert"
    async with database.transaction() as tx:
        assert await tx.outbox.claim(NOW, lease, 10) == [], "a leased row is not claimed twice"
    async with database.transaction() as tx:
        again = await tx.outbox.claim(lease, lease + timedelta(seconds=60), 10)
    assert [n.id for n in again] == [first[0].id], "an expired lease makes the row due again"
    async with database.transaction() as tx:
        await tx.outbox.delivered(first[0].id, NOW)
    async with database.transaction() as tx:
        later = lease + timedelta(minutes=5)
        after = await tx.outbox.claim(later, later + timedelta(minutes=1), 10)
    assert [n.kind for n in after] == ["case.thread"]


async def test_audit_records_who_acted_on_a_case(database: Database) -> None:
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("x"), None, "web", NOW)
        await tx.audit.record("web:coord-1", "claim", NOW, case_id=case.id, actor_name="Ayla")
    async with database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM audit_log"))).all()
    assert "coord-1" not in repr(rows) and "Ayla" not in repr(rows), "the actor is sealed"
    async with database.transaction() as tx:
        entries = await tx.audit.of_actor("web:coord-1")
        assert await tx.audit.of_actor("web:coord-2") == []
    assert [(e.actor, e.actor_name, e.action) for e in entries] == [
        ("web:coord-1", "Ayla", "claim")
    ]


async def test_housekeeping_forgets_old_delivery_keys_and_expired_drafts(
    database: Database,
) -> None:
    await database.first_delivery("slack:old", NOW - timedelta(days=2))
    await database.first_delivery("slack:new", NOW)
    async with database.transaction() as tx:
        await tx.dialogs.put("draft:web:a", {"narrative": "x"}, NOW - timedelta(minutes=1))
        await tx.dialogs.put("draft:web:b", {"narrative": "y"}, NOW + timedelta(hours=1))
    assert await sweep(database, NOW) == (1, 1, 0)
    assert await database.first_delivery("slack:old", NOW), "forgotten, so new again"
    assert not await database.first_delivery("slack:new", NOW)


async def test_addresses_are_sealed_kept_per_platform_and_replaced(database: Database) -> None:
    reference = {"conversation": "a:personal-chat-17", "service_url": "https://smba.example/"}
    await database.remember("teams", "user:aad-1", reference)
    await database.remember("teams", "user:aad-1", {**reference, "conversation": "a:newer"})
    await database.remember("slack", "user:aad-1", {"conversation": "D1"})

    assert await database.recall("teams", "user:aad-1") == {**reference, "conversation": "a:newer"}
    assert await database.recall("slack", "user:aad-1") == {"conversation": "D1"}
    assert await database.recall("teams", "user:unknown") is None
    async with database.engine.connect() as connection:
        query = text("SELECT reference_sealed, seen_on FROM platform_addresses")
        rows = (await connection.execute(query)).all()
    assert len(rows) == 2
    assert all("personal-chat" not in row[0] and "newer" not in row[0] for row in rows)
    # The day only: a time of day could be lined up with an anonymous consultation.
    assert {str(row[1])[:10] for row in rows} == {"2026-05-04"}


async def test_a_message_whose_instance_died_halfway_is_claimed_as_in_doubt(
    database: Database,
) -> None:
    """A lease that ran out without a result: the next try knows it may be a second one."""
    now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    lease = timedelta(seconds=60)
    async with database.transaction() as tx:
        await tx.outbox.enqueue("awareness.post")
        [first] = await tx.outbox.claim(now, now + lease, 10)
    assert not first.in_doubt
    async with database.transaction() as tx:
        assert await tx.outbox.claim(now + timedelta(seconds=30), now + lease, 10) == []
    later = now + timedelta(seconds=61)  # the instance never said how it went
    async with database.transaction() as tx:
        [again] = await tx.outbox.claim(later, later + lease, 10)
    assert again.id == first.id and again.in_doubt
