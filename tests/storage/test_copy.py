"""``meldbot db copy``: an embedded SQLite installation, filled through the real services,
copied into a fresh PostgreSQL database and read back there with the same key."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import func, select, text

from bot.app import RUNTIME, create_app
from bot.attachments.models import FileKind
from bot.case.models import NewReport, Reporter
from bot.cli import main
from bot.events import Actor
from bot.settings import Settings
from storage.copy import CopyRefused, copy_database
from storage.database import Database
from storage.models import Base
from storage.sealing import Sealer
from tests.core.conftest import Clock, make_settings
from tests.fakes.messenger import FakeMessenger

STAFF = Reporter("web", "staff-1", "Sanne de Vries")
JAN = Actor("web", "coord-1", "Jan Jansen")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
async def empty_postgres(postgres_server: str | None) -> AsyncIterator[str]:
    if postgres_server is None:
        pytest.fail("PostgreSQL (Debian package postgresql) is required for db copy")
    name = f"meldbot_copy_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(
        postgres_server.replace("postgresql+asyncpg", "postgresql") + "/postgres"
    )
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{postgres_server}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def _filled(settings: Settings) -> list[str]:
    """Three cases (events, a file, a claim's audit rows) and a consultation."""
    clock = Clock()
    app = await create_app(settings, clock=clock)
    runtime = app[RUNTIME]
    runtime.messengers["web"] = FakeMessenger(coordinators={JAN.user_id})
    try:
        async with runtime.database.transaction() as tx:
            held = await tx.attachments.hold("foto.png", FileKind.PNG, PNG, clock())
        references = []
        for n, narrative in enumerate(("Een klant sloeg.", "Gescholden.", "Bedreigd."), 1):
            files = [held] if n == 1 else []
            case = await runtime.cases.report(NewReport(narrative, attachments=files), STAFF)
            references.append(case.reference)
            await runtime.cases.claim(JAN, case.id)  # an event and an audit row
        await runtime.consultations.start("Mag dit?", platform="web", language="nl", contact=None)
        await runtime.outbox.settle()
    finally:
        await runtime.database.close()
    return references


async def _counts(database: Database) -> dict[str, int]:
    async with database.engine.connect() as connection:
        return {
            table.name: int(await connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def test_a_copy_reads_back_with_the_same_key(tmp_path: Path, empty_postgres: str) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", tmp_path)
    references = await _filled(settings)
    assert settings.seal_key is not None
    counts = await copy_database(settings.database_url, empty_postgres)
    source = Database(settings.database_url, Sealer(settings.seal_key), Clock())
    target = Database(empty_postgres, Sealer(settings.seal_key), Clock())
    try:
        assert counts == await _counts(source) == await _counts(target)
        assert counts["cases"] == 3 and counts["attachments"] == 1
        assert counts["consultations"] == 1 and counts["audit_log"] > 0
        async with target.transaction() as tx:
            first = await tx.cases.by_reference(references[0])
            assert first is not None and first.report.narrative == "Een klant sloeg."
            [info] = await tx.attachments.of_case(first.id)
            stored = await tx.attachments.get(info.id)
            assert stored is not None and stored.content == PNG
            assert len(await tx.cases.events(first.id)) >= 1
        async with target.engine.connect() as connection:
            with pytest.raises(Exception, match="append-only"):
                await connection.execute(text("DELETE FROM audit_log"))
    finally:
        await source.close()
        await target.close()
    with pytest.raises(CopyRefused, match="already holds data"):
        await copy_database(settings.database_url, empty_postgres)
    app = await create_app(settings.model_copy(update={"database_url": empty_postgres}))
    runtime = app[RUNTIME]
    runtime.messengers["web"] = FakeMessenger()
    try:
        case = await runtime.cases.report(NewReport("Na de verhuizing."), STAFF)
        assert case.id == 4 and case.reference.endswith("0004"), "sequences past the copy"
    finally:
        await runtime.database.close()


async def test_the_command_copies_and_refuses_bad_input_in_one_sentence(
    tmp_path: Path,
    empty_postgres: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", tmp_path)
    monkeypatch.setenv("MELDBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MELDBOT_SEAL_KEY", settings.seal_key or "")
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path))

    async def run(*argv: str) -> int:
        return await asyncio.to_thread(main, list(argv))

    for argv, said in (
        (("db", "copy"), "needs --to"),
        (("db", "copy", "--to", "mysql://x/y"), "must be a postgresql+asyncpg://"),
        (("db", "copy", "--to", empty_postgres), "There is no database at"),
    ):
        assert await run(*argv) == 2
        err = capsys.readouterr().err
        assert said in err and err.count("\n") == 1 and "Traceback" not in err, argv
    await _filled(settings)
    assert await run("db", "copy", "--to", empty_postgres) == 0
    out = capsys.readouterr().out
    assert "  cases: 3\n" in out and "  consultations: 1\n" in out
    assert await run("db", "copy", "--to", empty_postgres) == 2
    err = capsys.readouterr().err
    assert err == (
        "meldbot: The target database already holds data (in case_numbers): "
        "db copy fills only an empty database.\n"
    )
