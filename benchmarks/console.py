"""Benchmark: the console's lists, searches and case page on a million cases in PostgreSQL.

Fills a fresh database (``benchmarks/console_data.py``), then times the real
``CaseService`` — session, query, unsealing the summaries, the audit row — for every list
view and filter, both orders, a deep page, search by reference and by words, and opening
a case. Prints p50/p95 per scenario; ``--explain`` prints each list's query plan too.

    python -m benchmarks.console [--cases 1000000] [--samples 40] [--explain]
        [--database-url postgresql+asyncpg://user@host:port/db]

Without ``--database-url`` it starts a throwaway PostgreSQL server (as the tests do). A
database that holds cases already is measured as it is, given their ``MELDBOT_SEAL_KEY``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import asyncpg

from benchmarks.console_data import ME, fill, known_vocabulary
from bot.access.models import Principal, Role
from bot.case.models import Category, Status
from bot.case.queries import CaseFilter, Order, Search, View, Visibility
from bot.case.search import query_words, reference_prefix
from bot.case.service import CaseService
from bot.intake.signals import Recogniser
from storage.database import Database
from storage.migrate import upgrade
from storage.queries import SqlCaseQueries
from storage.sealing import Sealer, new_key
from tests.postgres import throwaway_server

AIM_MS = 200.0
ME_PRINCIPAL = Principal(ME.partition(":")[2], "Benchmark", frozenset({Role.COORDINATOR}))


@contextmanager
def _server(given: str | None) -> Iterator[str]:
    """A PostgreSQL database of its own: on the given server, or on a throwaway one."""
    if given:
        yield given
        return
    with throwaway_server() as base:
        if base is None:
            raise SystemExit("PostgreSQL is needed (Debian package postgresql)")
        name = f"meldbot_bench_{uuid.uuid4().hex[:8]}"
        asyncio.run(_create(base, name))
        yield f"{base}/{name}"


async def _create(base: str, name: str) -> None:
    admin = await asyncpg.connect(_dsn(base) + "/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()


def _dsn(url: str) -> str:
    return url.replace("postgresql+asyncpg", "postgresql")


Scenario = Callable[[int], Awaitable[int]]


def _scenarios(service: CaseService, vocab: list[str], refs: list[str]) -> dict[str, Scenario]:
    def listing(**wanted: Any) -> Scenario:
        async def run(_n: int) -> int:
            return len((await service.list(ME_PRINCIPAL, CaseFilter(**wanted))).cases)

        return run

    async def reference(n: int) -> int:
        return len((await service.list(ME_PRINCIPAL, CaseFilter(View.ALL, query=refs[n]))).cases)

    async def prefix(n: int) -> int:
        start = refs[n][: len("M-2024-0")]
        return len((await service.list(ME_PRINCIPAL, CaseFilter(View.ALL, query=start))).cases)

    async def open_case(n: int) -> int:
        return len((await service.read(ME_PRINCIPAL, refs[n])).events)

    rare, middle, common = vocab[-1], vocab[100], vocab[0]
    return {
        **{f"list {view.value}": listing(view=view) for view in View},
        "list open, most urgent": listing(view=View.OPEN, order=Order.MOST_URGENT),
        "list all, most urgent": listing(view=View.ALL, order=Order.MOST_URGENT),
        "list closed, most urgent": listing(view=View.CLOSED, order=Order.MOST_URGENT),
        "all + category trafficking": listing(view=View.ALL, category=Category.TRAFFICKING),
        "open + category verbal": listing(view=View.OPEN, category=Category.VERBAL_AGGRESSION),
        "all + status measure": listing(view=View.ALL, status=Status.MEASURE),
        "open + platform teams": listing(view=View.OPEN, platform="teams"),
        "closed + department": listing(view=View.CLOSED, department="Afdeling 3"),
        "all + trafficking + dept + slack": listing(
            view=View.ALL, category=Category.TRAFFICKING, department="Afdeling 5", platform="slack"
        ),
        "search reference (exact)": reference,
        "search reference (M-2024-0…)": prefix,
        "search rare word": listing(view=View.ALL, query=rare),
        "search common word": listing(view=View.ALL, query=common),
        "search two words": listing(view=View.ALL, query=f"{middle} {common}"),
        "search word, open only": listing(view=View.OPEN, query=middle),
        "search, no case has it": listing(view=View.ALL, query="zeldzaamwoordnergens"),
        "open a case (read)": open_case,
    }


async def _deep_pages(service: CaseService, pages: int) -> list[float]:
    """Each page after the first of "all, newest", following the cursors."""
    times, cursor = [], None
    for _ in range(pages):
        started = time.perf_counter()
        page = await service.list(ME_PRINCIPAL, CaseFilter(View.ALL), cursor)
        times.append(time.perf_counter() - started)
        cursor = page.next_cursor
    return times[1:]


def _line(name: str, times: list[float], rows: int) -> str:
    ordered = sorted(times)
    p50 = statistics.median(ordered) * 1000
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
    flag = "" if p95 <= AIM_MS else "  > aim"
    return f"{name:<34} {p50:>8.1f} {p95:>8.1f} {rows:>6}{flag}"


async def _explain(database: Database, url: str, vocab: list[str], skip: int = 0) -> None:
    """The plan of each list query, as PostgreSQL ran it."""
    connection = await asyncpg.connect(_dsn(url))
    service_search = [CaseFilter(view=view, order=order) for view in View for order in Order] + [
        CaseFilter(View.ALL, query=vocab[-1]),
        CaseFilter(View.ALL, query=f"{vocab[100]} {vocab[0]}"),
        CaseFilter(View.OPEN, query=vocab[100]),
        CaseFilter(View.ALL, query="M-2024-0"),
        CaseFilter(View.ALL, query="M-2023-1"),
        CaseFilter(
            View.ALL, category=Category.TRAFFICKING, department="Afdeling 5", platform="slack"
        ),
    ]
    try:
        async with database.transaction() as tx:
            queries: SqlCaseQueries = tx.queries
            for wanted in service_search[skip:]:
                statement = queries.statement(_search_of(wanted))
                compiled = statement.compile(
                    dialect=database.engine.dialect, compile_kwargs={"render_postcompile": True}
                )
                names = compiled.positiontup or []
                values = [compiled.params[name] for name in names]
                plan = await connection.fetch(f"EXPLAIN (ANALYZE, BUFFERS) {compiled}", *values)
                print(f"\n-- {wanted.view.value}, {wanted.order.value}, {wanted.query!r}")
                print("\n".join(row[0] for row in plan))
    finally:
        await connection.close()


def _search_of(wanted: CaseFilter) -> Search:
    """The search the service would make of ``wanted`` for the benchmark's coordinator."""
    words = query_words(wanted.query) if not reference_prefix(wanted.query) else ()
    return Search(
        wanted,
        Visibility(meldpunt=True, confidant=False, keys=frozenset({ME})),
        datetime.now(UTC),
        26,
        handlers=frozenset({ME}),
        words=words,
        reference=reference_prefix(wanted.query) if wanted.query else None,
    )


async def run(url: str, count: int, samples: int, explain: bool) -> None:
    given_key = os.environ.get("MELDBOT_SEAL_KEY")
    sealer = Sealer(given_key or new_key())
    database = Database(url, sealer, lambda: datetime.now(UTC))
    await upgrade(database.engine)
    connection = await asyncpg.connect(_dsn(url))
    present = int(await connection.fetchval("SELECT count(*) FROM cases"))
    await connection.close()
    if present and not given_key:
        raise SystemExit("the database has cases: give their MELDBOT_SEAL_KEY, or an empty one")
    if present:
        print(f"reusing the {present} cases already there")
    else:
        await fill(_dsn(url), count, sealer, datetime.now(UTC))
    service = CaseService(database, {}, lambda: datetime.now(UTC), lambda: None, Recogniser.load())
    connection = await asyncpg.connect(_dsn(url))
    refs = [
        row[0]
        for row in await connection.fetch(
            "SELECT reference FROM cases WHERE NOT restricted AND addressee = 'meldpunt' "
            "ORDER BY random() LIMIT $1",
            samples,
        )
    ]
    await connection.close()
    vocab = known_vocabulary()
    print(f"load average before timing: {os.getloadavg()[0]:.2f} (2 cores shared)")
    print(f"{'scenario (ms)':<34} {'p50':>8} {'p95':>8} {'rows':>6}")
    for name, scenario in _scenarios(service, vocab, refs).items():
        rows = await scenario(0)  # warm: the first run reads the pages from disk
        times = []
        for n in range(samples):
            started = time.perf_counter()
            rows = await scenario(n % len(refs))
            times.append(time.perf_counter() - started)
        print(_line(name, times, rows), flush=True)
    print(_line("page 2-21 of all (cursor)", await _deep_pages(service, 21), 25))
    print(f"aim: p95 ≤ {AIM_MS:.0f} ms; load average after: {os.getloadavg()[0]:.2f}")
    if explain:
        await _explain(database, url, vocab)
    await database.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--database-url", help="an empty PostgreSQL database to fill")
    parser.add_argument("--explain", action="store_true", help="print each list's plan")
    args = parser.parse_args()
    with _server(args.database_url) as url:
        asyncio.run(run(url, args.cases, args.samples, args.explain))


if __name__ == "__main__":
    main()
