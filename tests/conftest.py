"""Shared fixtures: a fresh database per test on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import gc
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from tests.postgres import throwaway_server

REQUIRED_IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _short_collections() -> None:
    """What earlier tests left alive is set aside from the cycle collector: over the whole
    suite the heap grows past 2 GB, and one full collection in the middle of a timed Slack
    exchange could pause the event loop beyond Slack's 3 s for an ack."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # slack_sdk and aiohttp follow HTTP(S)_PROXY and ignore NO_PROXY: local fakes only.
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("MELDBOT_CONFIG", raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str | None]:
    given = os.environ.get("MELDBOT_TEST_POSTGRES_URL")
    if given:
        yield given.rstrip("/")
        return
    with throwaway_server() as url:
        yield url


def _require(what: str) -> None:
    message = f"{what} is required for the test suite but is not available"
    if REQUIRED_IN_CI:
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(params=["sqlite", "postgresql"])
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_server: str | None
) -> AsyncIterator[str]:
    """A fresh, empty database: a SQLite file, or a new database on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}"
        return
    if postgres_server is None:
        _require("PostgreSQL (Debian package postgresql)")
    name = f"meldbot_{uuid.uuid4().hex[:12]}"
    admin_dsn = postgres_server.replace("postgresql+asyncpg", "postgresql") + "/postgres"
    admin = await asyncpg.connect(admin_dsn)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{postgres_server}/{name}"
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
