"""The submission ledger on SQLite and PostgreSQL: a key is claimed once, kept only as a
keyed hash, found under an older sealing key, forgotten after its time; two transactions
claiming one key at once end with one claim."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.submission import once
from bot.submission.models import Produced, Submitted
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
KEY = "slack:V0REPORT42:report"


@pytest.fixture
async def database(database_url: str) -> Database:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db  # type: ignore[misc]
    await db.close()


async def test_a_key_is_claimed_once_and_tells_what_it_made(database: Database) -> None:
    async with database.transaction() as tx:
        assert await tx.submissions.claim(KEY, Produced.REPORT, NOW) is None
        await tx.submissions.produced(KEY, 42)
    async with database.transaction() as tx:
        again = await tx.submissions.claim(KEY, Produced.REPORT, NOW)
        other = await tx.submissions.claim("slack:V0OTHER:report", Produced.REPORT, NOW)
    assert again == Submitted(Produced.REPORT, 42)
    assert other is None


async def test_a_claim_rolled_back_is_no_claim(database: Database) -> None:
    with pytest.raises(RuntimeError):
        async with database.transaction() as tx:
            await tx.submissions.claim(KEY, Produced.REPORT, NOW)
            raise RuntimeError("the report could not be stored")
    async with database.transaction() as tx:
        assert await tx.submissions.find(KEY) is None


async def test_the_key_is_kept_as_a_keyed_hash(database: Database) -> None:
    async with database.transaction() as tx:
        await tx.submissions.claim(KEY, Produced.CONSULTATION, NOW)
    async with database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM submissions"))).all()
    assert len(rows) == 1
    assert "V0REPORT42" not in repr(rows) and KEY not in repr(rows)


async def test_a_key_hashed_under_an_older_sealing_key_is_found(database_url: str) -> None:
    old, new = new_key(), new_key()
    before = Database(database_url, Sealer(old), lambda: NOW)
    await upgrade(before.engine)
    async with before.transaction() as tx:
        await tx.submissions.claim(KEY, Produced.REPORT, NOW)
        await tx.submissions.produced(KEY, 7)
    await before.close()
    rotated = Database(database_url, Sealer(f"{new},{old}"), lambda: NOW)
    async with rotated.transaction() as tx:
        found = await tx.submissions.claim(KEY, Produced.REPORT, NOW)
    await rotated.close()
    assert found == Submitted(Produced.REPORT, 7)


async def test_two_claims_at_once_end_with_one(database: Database) -> None:
    claimed: dict[int, Submitted | None] = {}

    async def claim(target: int) -> None:
        async with database.transaction() as tx:
            earlier = await tx.submissions.claim(KEY, Produced.REPORT, NOW)
            if earlier is None:
                await asyncio.sleep(0.05)  # the other transaction meets the held key
                await tx.submissions.produced(KEY, target)
            claimed[target] = earlier

    await asyncio.gather(claim(1), claim(2))
    [winner] = [target for target, earlier in claimed.items() if earlier is None]
    [loser] = [earlier for earlier in claimed.values() if earlier is not None]
    assert loser == Submitted(Produced.REPORT, winner), "the second learns what the first made"


async def test_old_submissions_are_forgotten_anonymous_ones_sooner(database: Database) -> None:
    async with database.transaction() as tx:
        await tx.submissions.claim("named-old", Produced.REPORT, NOW - timedelta(days=31))
        await tx.submissions.claim("named-new", Produced.REPORT, NOW - timedelta(days=2))
        await tx.submissions.claim("anon-old", Produced.ANONYMOUS_REPORT, NOW - timedelta(days=2))
        await tx.submissions.claim("anon-new", Produced.CONSULTATION, NOW - timedelta(hours=1))
    forgotten = await once.forget(database, NOW)  # what housekeeping runs every hour
    assert forgotten == 2
    async with database.transaction() as tx:
        kept = [
            k
            for k in ("named-old", "named-new", "anon-old", "anon-new")
            if await tx.submissions.find(k)
        ]
    assert kept == ["named-new", "anon-new"]
