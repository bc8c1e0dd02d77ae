"""Benchmark: what keeping the web chat in the database costs, and what a restart costs.

Writes PEOPLE personal chats of MESSAGES messages each, plus one case card a person in the
coordinator channel, through the real ``Conversations`` on a SQLite database (every write
committed and sealed before it is shown); then loads everything again as a restarted
meldbot does. Prints numbers only.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.web.store import COORDINATORS, Conversations
from bot.ui import Actions, Button, Message, Text
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key

PEOPLE = 200
MESSAGES = 20


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    return f"p50 {statistics.median(ordered) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"


def _message(number: int) -> Message:
    text = f"Bericht {number}: wat er bij de balie gebeurde, in een paar zinnen verteld."
    buttons = Actions([Button("Informatie toevoegen", "case.add_info", str(number))])
    return Message(text, [Text.of(text), buttons])


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        key = new_key()
        url = f"sqlite+aiosqlite:///{Path(folder) / 'b.db'}"
        database = Database(url, Sealer(key), lambda: datetime.now(UTC))
        await upgrade(database.engine, seal_key=key)
        conversations = Conversations(history=database.web_history())
        took: list[float] = []
        for person in range(PEOPLE):
            for number in range(MESSAGES):
                begin = time.perf_counter()
                await conversations.append(f"dm:staff-{person}", _message(number))
                took.append(time.perf_counter() - begin)
            begin = time.perf_counter()
            await conversations.append(COORDINATORS, _message(person))
            took.append(time.perf_counter() - begin)
        written = len(took)
        print(f"web history: {written} messages written, each committed: {_ms(took)}")

        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        restarted = Conversations(history=database.web_history())
        begin = time.perf_counter()
        await restarted.load()
        loaded = time.perf_counter() - begin
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        count = sum(1 for _ in restarted)
        print(
            f"web history: a restart loads {count} messages in {loaded:.2f} s (RSS +{grown:.0f} MB)"
        )
        size = (Path(folder) / "b.db").stat().st_size / 1024 / 1024
        print(f"web history: database file {size:.1f} MB")
        await database.close()


if __name__ == "__main__":
    asyncio.run(main())
