"""The databases meldbot is measured on: a SQLite file, then a real PostgreSQL server (a
throwaway one, or ``MELDBOT_TEST_POSTGRES_URL``'s). Without PostgreSQL installed the run
says so and measures SQLite only; under CI it stops instead, as the test suite does."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

from tests.postgres import throwaway_server

REQUIRED_IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
NAMES = ("sqlite", "postgresql")


class Missing(Exception):
    """PostgreSQL is not installed here."""


@contextmanager
def database(name: str, workdir: Path) -> Iterator[str]:
    """An empty database's URL for ``meldbot serve`` (it runs the migrations itself)."""
    if name == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'meldbot.db'}"
        return
    given = os.environ.get("MELDBOT_TEST_POSTGRES_URL")
    if given:
        yield asyncio.run(_created(given.rstrip("/")))
        return
    with throwaway_server() as base:
        if base is None:
            if REQUIRED_IN_CI:
                raise SystemExit("slack_load: PostgreSQL is required under CI but not installed")
            raise Missing("PostgreSQL (Debian package postgresql) is not installed")
        yield asyncio.run(_created(base))


def describe(name: str) -> str:
    if name == "sqlite" or os.environ.get("MELDBOT_TEST_POSTGRES_URL"):
        return name
    return f"{name} (a throwaway server with fsync=off)"


async def _created(server: str) -> str:
    name = f"meldbot_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(server.replace("postgresql+asyncpg", "postgresql") + "/postgres")
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    return f"{server}/{name}"
