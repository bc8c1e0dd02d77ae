"""Where PostgreSQL is not installed the Slack load benchmark measures SQLite only, and
says so; under CI it stops instead, as the test suite does."""

from __future__ import annotations

from pathlib import Path

import pytest

import tests.postgres
from benchmarks.slack_load import databases


@pytest.fixture
def no_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tests.postgres, "_bindir", lambda: None)
    monkeypatch.delenv("MELDBOT_TEST_POSTGRES_URL", raising=False)


def test_sqlite_needs_no_server(tmp_path: Path, no_postgresql: None) -> None:
    with databases.database("sqlite", tmp_path) as url:
        assert url == f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}"


def test_without_postgresql_the_run_says_it_is_missing(
    tmp_path: Path, no_postgresql: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(databases, "REQUIRED_IN_CI", False)
    opening = databases.database("postgresql", tmp_path)
    with pytest.raises(databases.Missing, match="PostgreSQL"), opening:
        pass


def test_under_ci_a_missing_postgresql_stops_the_run(
    tmp_path: Path, no_postgresql: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(databases, "REQUIRED_IN_CI", True)
    opening = databases.database("postgresql", tmp_path)
    with pytest.raises(SystemExit, match="required under CI"), opening:
        pass
