"""Benchmark: what holding and showing a report's files costs (sealing, storing, reading).

Holds files of a few sizes through the real ``Attachments`` service and database (SQLite
in a temporary directory, or ``--database-url``), attaches them to a case and reads each
back unsealed. Prints numbers only.

    python -m benchmarks.attachments [--database-url postgresql+asyncpg://…/db]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.attachments.policy import MIB, Limits
from bot.attachments.service import Attachments
from bot.case.models import NewReport
from bot.events import IncomingFile
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

SIZES = (100 * 1024, MIB, 10 * MIB)
ROUNDS = 5


def _photo(size: int) -> bytes:
    return (b"\xff\xd8\xff\xe0" + os.urandom(size))[:size]  # random: nothing compresses


async def run(url: str) -> None:
    database = Database(url, Sealer(new_key()), lambda: datetime.now(UTC))
    await upgrade(database.engine)
    attachments = Attachments(database, lambda: datetime.now(UTC), Limits())
    print(f"database: {database.engine.dialect.name}")
    print(f"{'size':>8} {'hold ms':>9} {'case+attach':>12} {'read ms':>8} {'MB/s held':>10}")
    for size in SIZES:
        content = _photo(size)
        held, linked, read = [], [], []
        for _ in range(ROUNDS):
            start = time.perf_counter()
            [file] = await attachments.hold([IncomingFile("foto.jpg", "image/jpeg", size, content)])
            held.append(time.perf_counter() - start)
            assert file.id is not None
            start = time.perf_counter()
            async with database.transaction() as tx:
                case = await tx.cases.create(NewReport("meting"), None, "web", datetime.now(UTC))
                await attachments.attach(tx, case.id, [file.id])
            linked.append(time.perf_counter() - start)
            start = time.perf_counter()
            async with database.transaction() as tx:
                stored = await tx.attachments.get(file.id)
            read.append(time.perf_counter() - start)
            assert stored is not None and stored.content == content
        hold_ms = statistics.median(held) * 1000
        print(
            f"{size / MIB:>6.1f}MB {hold_ms:>9.1f} {statistics.median(linked) * 1000:>12.1f} "
            f"{statistics.median(read) * 1000:>8.1f} {size / MIB / (hold_ms / 1000):>10.0f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")
    await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        asyncio.run(run(url))


if __name__ == "__main__":
    main()
