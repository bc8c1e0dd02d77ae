"""A retention run killed halfway: every case untouched or fully purged, and the next run
goes on. The audit log's own retention, and its guard for everyone else."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from bot.app import RUNTIME, create_app
from bot.retention.models import Destroyed
from storage.models import AuditRow, CaseEventRow, CaseRow
from storage.retention import SqlRetention
from tests.core.conftest import Clock, Harness, make_settings
from tests.core.retention import closed_case, retention, years_later
from tests.fakes.messenger import FakeMessenger

SECOND = "Een bezoeker dreigde de medewerker van de receptie op te wachten na het werk."


class Killed(Exception):
    pass


async def _events(bot: Harness, case_id: int) -> int:
    async with bot.runtime.database.transaction() as tx:
        count = await tx.session.scalar(
            select(func.count()).select_from(CaseEventRow).where(CaseEventRow.case_id == case_id)
        )
    return int(count or 0)


async def test_a_run_killed_in_the_second_case_leaves_it_whole_and_resumes(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await closed_case(bot)
    second = await closed_case(bot, SECOND, by="staff-2", name="Ahmed Yilmaz")
    assert second.closed_at is not None
    events = await _events(bot, second.id)
    assert events > 0
    bot.clock.now = years_later(second.closed_at, 2)

    recorded = SqlRetention.record_destroyed
    calls: list[str] = []

    async def dies_on_the_second(self: SqlRetention, entry: Destroyed) -> None:
        calls.append(entry.reference)
        if len(calls) == 2:
            raise Killed  # after its deletes, inside its transaction
        await recorded(self, entry)

    monkeypatch.setattr(SqlRetention, "record_destroyed", dies_on_the_second)
    with pytest.raises(Killed):
        await retention(bot).run()
    assert calls == [first.reference, second.reference]
    async with bot.runtime.database.transaction() as tx:
        purged, kept = await tx.cases.get(first.id), await tx.cases.get(second.id)
        assert await tx.retention.is_purged(first.id)
        assert not await tx.retention.is_purged(second.id)
    assert purged is not None and purged.report.narrative == ""
    assert kept is not None and kept.report.narrative == SECOND
    assert kept.reporter is not None and kept.handler_name is not None
    assert await _events(bot, first.id) == 0 and await _events(bot, second.id) == events

    monkeypatch.setattr(SqlRetention, "record_destroyed", recorded)
    resumed = await retention(bot).run()
    assert [one.reference for one in resumed.purged] == [second.reference]
    start = bot.clock.now - timedelta(days=1)
    listed = await retention(bot).destroyed(None, start, bot.clock.now + timedelta(days=1))
    assert [entry.reference for entry in listed] == [first.reference, second.reference]


async def _audit_moments(bot: Harness) -> list[datetime]:
    async with bot.runtime.database.transaction() as tx:
        rows = await tx.session.scalars(select(AuditRow.at).order_by(AuditRow.id))
        return list(rows)


async def test_audit_entries_go_after_their_own_period_and_the_log_stays_append_only(
    bot: Harness,
) -> None:
    case = await closed_case(bot)
    old = await _audit_moments(bot)
    assert old
    bot.clock.now = years_later(min(old), 7) - timedelta(days=1)
    assert (await retention(bot).run()).audit_forgotten == 0
    newer = await _audit_moments(bot)
    assert len(newer) > len(old)  # the purge two years on wrote its own entry

    bot.clock.now = years_later(max(old), 7) + timedelta(seconds=1)
    assert (await retention(bot).run()).audit_forgotten == len(old)
    assert await _audit_moments(bot) == newer[len(old) :]

    engine = bot.runtime.database.engine
    for statement in ("DELETE FROM audit_log", "UPDATE audit_log SET action = 'x'"):
        with pytest.raises(DBAPIError, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text(statement))
    async with bot.runtime.database.transaction() as tx:
        tombstone = await tx.session.get(CaseRow, case.id)
    assert tombstone is not None and tombstone.purged_at is not None


async def test_on_sqlite_nothing_purged_is_left_in_the_file_or_its_wal(tmp_path: Path) -> None:
    """``secure_delete`` zeroes what was deleted, the checkpoint empties the WAL: the
    sealed tokens of the narrative and the messages are in neither file afterwards."""
    path = tmp_path / "meldbot.db"
    clock = Clock()
    app = await create_app(make_settings(f"sqlite+aiosqlite:///{path}", tmp_path), clock=clock)
    runtime = app[RUNTIME]
    runtime.messengers["web"] = FakeMessenger()
    bot = Harness(runtime, runtime.messengers["web"], clock)  # type: ignore[arg-type]
    try:
        case = await closed_case(bot)
        async with runtime.database.transaction() as tx:
            session = tx.session
            tokens = [await session.scalar(select(CaseRow.narrative_sealed))]
            tokens += [t for t in await session.scalars(select(CaseEventRow.text_sealed)) if t]
        assert case.closed_at is not None and len(tokens) > 1
        bot.clock.now = years_later(case.closed_at, 2)
        assert (await retention(bot).run()).purged
        wal = path.with_name(path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
        raw = path.read_bytes()
        assert [token for token in tokens if token and token.encode() in raw] == []
    finally:
        await runtime.database.close()
