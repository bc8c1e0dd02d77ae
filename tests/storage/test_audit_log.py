"""The audit log at rest: append-only in the database itself, kept beyond its case; and
migration 0009 filling in what cases and entries from before it lack."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from bot.case.models import NewReport, Reporter
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


@pytest.fixture
async def database(database_url: str) -> Database:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db  # type: ignore[misc]
    await db.close()


async def _one_entry(database: Database) -> int:
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("Melding"), Reporter("web", "u1"), "web", NOW)
        await tx.audit.record(
            "web:coord-1", "open", NOW, actor_name="Jan", case_id=case.id, reference=case.reference
        )
    return case.id


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET action = 'nothing happened'",
        "UPDATE audit_log SET actor_hash = 'someone-else'",
        "UPDATE audit_log SET actor_sealed = actor_name_sealed",
        "UPDATE audit_log SET reference = NULL, case_id = NULL",
        "DELETE FROM audit_log",
    ],
)
async def test_the_database_refuses_to_change_or_delete_an_entry(
    database: Database, statement: str
) -> None:
    await _one_entry(database)
    with pytest.raises((DBAPIError, IntegrityError)) as refused:
        async with database.engine.begin() as connection:
            await connection.execute(text(statement))
    assert "append-only" in str(refused.value)
    async with database.transaction() as tx:
        entries = await tx.audit.between(NOW, NOW + timedelta(seconds=1))
    assert [(e.actor, e.actor_name, e.action) for e in entries] == [("web:coord-1", "Jan", "open")]


async def test_a_detached_entry_stays_detached(database: Database) -> None:
    """Only emptying a foreign key is let through (what deleting a case does); pointing an
    entry at another case is not."""
    case_id = await _one_entry(database)
    other = await _one_entry(database)
    with pytest.raises((DBAPIError, IntegrityError), match="append-only"):
        async with database.engine.begin() as connection:
            await connection.execute(
                text("UPDATE audit_log SET case_id = :other WHERE case_id = :id"),
                {"other": other, "id": case_id},
            )


async def test_emptying_the_log_is_refused_either_way(database: Database) -> None:
    await _one_entry(database)
    statements = ["DELETE FROM audit_log WHERE true"]
    if database.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_log CASCADE")
    for statement in statements:
        with pytest.raises((DBAPIError, IntegrityError), match="append-only"):
            async with database.engine.begin() as connection:
                await connection.execute(text(statement))


async def test_deleting_a_case_keeps_its_entries_by_reference(database: Database) -> None:
    case_id = await _one_entry(database)
    async with database.engine.begin() as connection:
        await connection.execute(text("DELETE FROM cases WHERE id = :id"), {"id": case_id})
    async with database.transaction() as tx:
        [entry] = await tx.audit.of_case("M-2026-0001")
        between = await tx.audit.between(NOW, NOW + timedelta(seconds=1))
    assert (entry.case_id, entry.reference, entry.actor_name) == (None, "M-2026-0001", "Jan")
    assert between == [entry]


async def test_0009_fills_in_the_clocks_and_the_references_of_earlier_rows(
    database_url: str,
) -> None:
    key = new_key()
    sealer = Sealer(key)
    db = Database(database_url, sealer, lambda: NOW)
    await upgrade(db.engine, "0007")
    created = NOW.replace(tzinfo=None) if db.engine.dialect.name == "sqlite" else NOW
    columns = (
        "reference, year, sequence, status, urgency, narrative_sealed, wants_feedback, "
        "language, coordination_platform, created_at, updated_at, version, aftercare, "
        "self_harm, addressee"
    )
    values = (
        ":ref, 2026, :seq, :status, :urgency, :story, true, 'nl', 'web', :at, :at, 1, false, "
        "false, 'meldpunt'"
    )
    async with db.engine.begin() as connection:
        for seq, status, urgency in (
            (1, "new", "normal"),
            (2, "new", "urgent"),
            (3, "closed", "normal"),
        ):
            await connection.execute(
                text(f"INSERT INTO cases ({columns}) VALUES ({values})"),
                {
                    "ref": f"M-2026-000{seq}",
                    "seq": seq,
                    "status": status,
                    "urgency": urgency,
                    "at": created,
                    "story": sealer.seal("Melding van voor 0009"),
                },
            )
        await connection.execute(
            text(
                "INSERT INTO audit_log (case_id, actor, action, at) "
                "VALUES (1, 'web:c', 'read', :at)"
            ),
            {"at": created},
        )
    await upgrade(db.engine, seal_key=key)
    async with db.transaction() as tx:
        normal, urgent, closed = [await tx.cases.get(n) for n in (1, 2, 3)]
        [entry] = await tx.audit.of_case("M-2026-0001")
    assert normal is not None and urgent is not None and closed is not None
    assert normal.due_at == NOW + timedelta(hours=24)
    assert urgent.due_at == NOW + timedelta(minutes=30)
    assert closed.due_at is None
    assert entry.case_id == 1
    await db.close()
