"""Benchmark: what recording and retracting a case's messages costs.

Runs the real core, outbox dispatcher and a SQLite database with a platform that keeps
nothing: delivers CASES named reports with LINES thread lines each (every post recorded),
then retracts every case and delivers the deletions. Prints numbers only.
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
from pathlib import Path

from bot.app import RUNTIME, create_app
from bot.case.models import EventKind, NewReport, Reporter
from bot.settings import Settings
from storage.sealing import new_key
from tests.fakes.messenger import FakeMessenger

CASES = 100
LINES = 10


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'b.db'}",
            data_dir=Path(folder),
            seal_key=new_key(),
            web_chat="off",
        )
        runtime = (await create_app(settings))[RUNTIME]
        platform = FakeMessenger()
        runtime.messengers["web"] = platform
        ids = []
        started = time.perf_counter()
        for number in range(CASES):
            reporter = Reporter("web", f"staff-{number}", "Medewerker")
            case = await runtime.cases.report(NewReport(f"Melding {number}."), reporter)
            for line in range(LINES):
                await runtime.cases.reporter_adds(
                    reporter, case.id, f"Aanvulling {line}.", EventKind.ADDITION
                )
            await runtime.outbox.settle()
            ids.append(case.id)
        posted = time.perf_counter() - started
        messages = len(platform.sent)

        took = []
        for case_id in ids:
            begin = time.perf_counter()
            async with runtime.database.transaction() as tx:
                await tx.posts.retract_case(case_id)
            took.append(time.perf_counter() - begin)
        begin = time.perf_counter()
        await runtime.outbox.settle()
        deleted = time.perf_counter() - begin
        await runtime.database.close()
    per_case = messages / CASES
    print(f"benchmark: retraction on SQLite ({CASES} cases, {per_case:.0f} messages each)")
    print(f"  posting, every message recorded: {messages / posted:.0f} messages/s")
    print(f"  retract_case (queue and forget): {_ms(took)}")
    print(f"  deletions delivered:             {len(platform.deleted) / deleted:.0f} messages/s")


if __name__ == "__main__":
    logging.disable(logging.WARNING)
    asyncio.run(main())
