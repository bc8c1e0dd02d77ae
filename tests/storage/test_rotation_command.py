"""``meldbot seal rotate`` on the command line: a summary and exit 0, or one sentence and
exit 2 when a sealed value opens with none of the configured keys."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.case.models import NewReport, Reporter
from bot.cli import main
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
REPORTER = Reporter("slack", "U0COMMAND", "Sanne")


async def _report(url: str, keys: str) -> None:
    database = Database(url, Sealer(keys), lambda: NOW)
    await upgrade(database.engine, seal_key=keys)
    async with database.transaction() as tx:
        await tx.cases.create(NewReport("De klant dreigde."), REPORTER, "slack", NOW)
    await database.close()


async def _reporters_cases(url: str, keys: str) -> int:
    database = Database(url, Sealer(keys), lambda: NOW)
    async with database.transaction() as tx:
        found = await tx.cases.open_for_reporter(REPORTER)
    await database.close()
    return len(found)


def test_seal_rotate_on_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = new_key(), new_key()
    url = f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}"
    asyncio.run(_report(url, old))
    monkeypatch.setenv("MELDBOT_DATABASE_URL", url)
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MELDBOT_SEAL_KEY", f"{new},{old}")
    assert main(["seal", "rotate"]) == 0
    said = capsys.readouterr().out
    assert "rows sealed anew" in said and "cases 1" in said and "1 cases reindexed" in said
    assert asyncio.run(_reporters_cases(url, new)) == 1, "found with the old key gone"

    monkeypatch.setenv("MELDBOT_SEAL_KEY", new_key())
    assert main(["seal", "rotate"]) == 2
    assert "opens with none of the keys" in capsys.readouterr().err
