"""Case references from one upsert per year: concurrent reports on several instances."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.case.models import NewReport, Reporter
from bot.case.service import CaseService
from bot.intake.signals import Recogniser
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from tests.fakes.messenger import FakeMessenger

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


async def _count(database: Database, query: str) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text(query))).scalar() or 0)


async def test_concurrent_reports_on_several_instances_each_get_their_own_reference(
    database_url: str,
) -> None:
    seal_key = new_key()
    instances = 1 if database_url.startswith("sqlite") else 2
    databases = [Database(database_url, Sealer(seal_key), lambda: NOW) for _ in range(instances)]
    await upgrade(databases[0].engine)
    services = [
        CaseService(
            database, {"web": FakeMessenger()}, lambda: NOW, lambda: None, Recogniser.load()
        )
        for database in databases
    ]
    try:
        started = time.perf_counter()
        cases = await asyncio.gather(
            *(
                services[n % instances].report(
                    NewReport(f"melding {n}"), Reporter("web", f"staff-{n}", None)
                )
                for n in range(100)
            )
        )
        took = time.perf_counter() - started
        backend = databases[0].engine.dialect.name
        print(f"\n{backend}: 100 concurrent reports on {instances} instance(s): {took:.2f} s")
        references = {case.reference for case in cases}
        assert len(references) == 100
        assert references == {f"M-2026-{n:04d}" for n in range(1, 101)}, "and without gaps"
        assert await _count(databases[0], "SELECT count(*) FROM cases") == 100
        assert await _count(databases[0], "SELECT last FROM case_numbers") == 100
    finally:
        for database in databases:
            await database.close()


@pytest.fixture
async def database(database_url: str) -> Database:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db  # type: ignore[misc]
    await db.close()


async def test_a_report_that_rolls_back_gives_its_number_back(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as tx:
            await tx.cases.create(NewReport("x"), None, "web", NOW)
            raise RuntimeError("the transaction fails after the number was claimed")
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("y"), None, "web", NOW)
    assert case.reference == "M-2026-0001"


async def test_the_year_is_amsterdams(database: Database) -> None:
    new_years_night = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 January there
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("x"), None, "web", new_years_night)
    assert case.reference == "M-2027-0001"


async def test_numbering_goes_on_from_the_cases_before_the_migration(database_url: str) -> None:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine, "0004")
    columns = (
        "reference, year, sequence, status, urgency, narrative_sealed, wants_feedback, "
        "language, coordination_platform, created_at, updated_at, version, aftercare"
    )
    async with db.engine.begin() as connection:
        for reference, year, sequence in [("M-2025-0041", 2025, 41), ("M-2026-0007", 2026, 7)]:
            await connection.execute(
                text(
                    f"INSERT INTO cases ({columns}) VALUES (:reference, :year, :sequence, 'new', "
                    "'normal', 'x', false, 'nl', 'web', :now, :now, 1, false)"
                ),
                {"reference": reference, "year": year, "sequence": sequence, "now": NOW},
            )
    await upgrade(db.engine)
    try:
        async with db.transaction() as tx:
            case = await tx.cases.create(NewReport("x"), None, "web", NOW)
            earlier = await tx.cases.create(NewReport("y"), None, "web", NOW.replace(year=2025))
        assert (case.reference, earlier.reference) == ("M-2026-0008", "M-2025-0042")
    finally:
        await db.close()
