"""Fills a PostgreSQL database with many cases for ``benchmarks.console``, by COPY.

A realistic spread over five years: most old cases closed, recent ones open; categories,
departments, platforms and urgency in proportions a meldpunt sees; narratives of 15-40
words from a Zipf-like vocabulary (so some words are rare and some common), indexed in the
blind index as meldbot indexes them; integrity reports restricted to three people. The
clocks (``due_at``) are set as the case service would have left them.
"""

from __future__ import annotations

import functools
import itertools
import random
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from bot.case.models import Category, Status, format_reference
from bot.case.search import words
from storage.models import NOTHING_DUE
from storage.sealing import Sealer
from storage.search_index import Hashes

YEARS = 5
SEED = 11
POOL = 20_000  # distinct narratives: sealing each of a million separately adds nothing
CATEGORIES = [
    (Category.VERBAL_AGGRESSION, 35),
    (Category.THREAT, 20),
    (Category.INTIMIDATION, 12),
    (Category.PHYSICAL_VIOLENCE, 8),
    (Category.ONLINE_AGGRESSION, 8),
    (Category.DISCRIMINATION, 6),
    (Category.SEXUAL_INTIMIDATION, 4),
    (Category.OTHER, 4),
    (Category.INTEGRITY, 2),
    (Category.TRAFFICKING, 1),
]
DEPARTMENTS = [f"Afdeling {n}" for n in range(1, 13)]
PLATFORMS = [("slack", 45), ("teams", 45), ("web", 10)]
HANDLERS = [f"slack:U{n:03d}" for n in range(8)] + [f"teams:oid-{n}" for n in range(8)]
HANDLERS += [f"console:sub-{n}" for n in range(4)]
ME = "console:sub-0"  # the coordinator the benchmark lists as ("mine")
INTEGRITY = ("console:sub-1", "slack:U001", "teams:oid-1")
_SYLLABLES = "ba be bo da de di do ka ke ko la le li lo ma me mo na ne no pa pe ra re ro sa se"
SYLLABLES = (_SYLLABLES + " si so ta te to va ve wa we za").split()

_CASE_COLUMNS = (
    "id reference year sequence status urgency category narrative_sealed wants_feedback "
    "language coordination_platform handler_hash handler_sealed handler_name_sealed "
    "created_at updated_at closed_at version department aftercare self_harm addressee due_at "
    "first_contact_at urgency_rank restricted reporter_hash reporter_sealed"
)
CASE_COLUMNS = _CASE_COLUMNS.split()
EVENT_COLUMNS = ["case_id", "kind", "created_at", "actor_name_sealed", "reporter_informed"]


def vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    found: set[str] = set()
    while len(found) < size:
        found.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(found)


def known_vocabulary() -> list[str]:
    """The words ``fill`` writes with, most common first (the benchmark searches them)."""
    return vocabulary(random.Random(SEED))  # noqa: S311 - made-up data


def narratives(rng: random.Random, vocab: list[str]) -> list[str]:
    weights = [1 / (rank + 1) for rank in range(len(vocab))]  # Zipf: a few words everywhere
    texts = []
    for _ in range(POOL):
        chosen = rng.choices(vocab, weights=weights, k=rng.randint(15, 40))
        texts.append("De " + " ".join(chosen) + " bij de balie.")
    return texts


def _state(rng: random.Random, age: timedelta) -> Status:
    open_share = 0.7 if age < timedelta(days=30) else 0.2 if age < timedelta(days=180) else 0.01
    if rng.random() >= open_share:
        return Status.CLOSED
    return rng.choices([Status.NEW, Status.IN_PROGRESS, Status.MEASURE], [15, 60, 25])[0]


Sealed = Callable[[str | None], tuple[str | None, str | None]]


def cases(
    count: int, now: datetime, sealed: list[str], person: Sealed, name: Callable[[str], str]
) -> Iterator[tuple[tuple[Any, ...], int]]:
    """Each case's row (``CASE_COLUMNS``) and which narrative of the pool it has;
    ``person`` gives a key's keyed hash and sealed key, ``name`` a sealed name."""
    rng = random.Random(7)  # noqa: S311 - made-up data, seeded so every run is the same
    start = now - timedelta(days=365 * YEARS)
    step = (now - start) / count
    sequences: dict[int, int] = {}
    categories, cat_weights = zip(*CATEGORIES, strict=True)
    platforms, platform_weights = zip(*PLATFORMS, strict=True)
    for case_id in range(1, count + 1):
        created = start + step * case_id
        year = created.year
        sequences[year] = sequences.get(year, 0) + 1
        status = _state(rng, now - created)
        urgent = rng.random() < 0.05
        category = rng.choices(categories, cat_weights)[0]
        handler = None if status is Status.NEW else rng.choice(HANDLERS)
        contact = created + timedelta(minutes=rng.randint(5, 600)) if handler else None
        due = NOTHING_DUE
        if status is not Status.CLOSED and handler is None:
            due = created + (timedelta(minutes=30) if urgent else timedelta(hours=24))
        elif status is not Status.CLOSED and category is Category.INTEGRITY:
            due = created + timedelta(days=91)
        closed = created + timedelta(days=rng.randint(1, 60)) if status is Status.CLOSED else None
        text = rng.randrange(POOL)
        platform = rng.choices(platforms, platform_weights)[0]
        reporter = None if rng.random() < 0.15 else f"{platform}:user-{rng.randrange(5000)}"
        yield (
            (
                case_id,
                format_reference(year, sequences[year]),
                year,
                sequences[year],
                status.value,
                "urgent" if urgent else "normal",
                category.value,
                sealed[text],
                True,
                "nl",
                platform,
                *person(handler),
                name(handler) if handler else None,
                created,
                closed or contact or created,
                closed,
                1,
                rng.choice(DEPARTMENTS) if rng.random() < 0.7 else None,
                False,
                False,
                "confidant" if rng.random() < 0.01 else "meldpunt",
                due,
                contact,
                0 if urgent else 1,
                category is Category.INTEGRITY,
                *person(reporter),  # some anonymous
            ),
            text,
        )


CHUNK = 50_000


async def fill(dsn: str, count: int, sealer: Sealer, now: datetime) -> None:
    rng = random.Random(SEED)  # noqa: S311 - made-up data, seeded so every run is the same
    pool = narratives(rng, vocabulary(rng))
    began = time.perf_counter()
    sealed = [sealer.seal(text) or "" for text in pool]
    hashes = Hashes(sealer)
    pool_words = [[hashes.word(w) for w in sorted(words(text))] for text in pool]
    people = {key: (hashes.person(key), sealer.seal(key)) for key in INTEGRITY}
    claimed_by = sealer.seal("Coördinator")

    @functools.cache
    def person(key: str | None) -> tuple[str | None, str | None]:
        return (hashes.person(key), sealer.seal(key)) if key else (None, None)

    @functools.cache
    def name(handler: str) -> str:
        return sealer.seal(f"Coördinator {handler[-3:]}") or ""

    totals = [0, 0, 0, 0]
    connection = await asyncpg.connect(dsn)
    try:
        # The blind index is indexed once, after it is full: much faster than row by row.
        await connection.execute("ALTER TABLE case_words DROP CONSTRAINT pk_case_words")
        await connection.execute("DROP INDEX ix_case_words_case_id")
        generated = cases(count, now, sealed, person, name)
        while True:
            chunk = list(itertools.islice(generated, CHUNK))
            if not chunk:
                break
            rows = [row for row, _text in chunk]
            found = [(word, row[0]) for row, text in chunk for word in pool_words[text]]
            named = [(row[0], *people[key]) for row in rows if row[25] for key in INTEGRITY]
            events = [(row[0], "reported", row[14], None, False) for row in rows]
            events += [(row[0], "claimed", row[23], claimed_by, True) for row in rows if row[11]]
            await connection.copy_records_to_table("cases", records=rows, columns=CASE_COLUMNS)
            await connection.copy_records_to_table(
                "case_events", records=events, columns=EVENT_COLUMNS
            )
            await connection.copy_records_to_table("case_words", records=found)
            await connection.copy_records_to_table(
                "case_restrictions", records=named, columns=["case_id", "person", "person_sealed"]
            )
            for n, part in enumerate((rows, events, found, named)):
                totals[n] += len(part)
        await connection.execute(
            "ALTER TABLE case_words ADD CONSTRAINT pk_case_words PRIMARY KEY (word, case_id)"
        )
        await connection.execute("CREATE INDEX ix_case_words_case_id ON case_words (case_id)")
        await connection.execute("SELECT setval('cases_id_seq', $1)", count)
        await connection.execute("SELECT setval('case_events_id_seq', $1)", totals[1])
        await connection.execute("VACUUM ANALYZE")
    finally:
        await connection.close()
    print(
        f"filled: {totals[0]} cases, {totals[1]} events, {totals[2]} index words, "
        f"{totals[3]} restriction rows in {time.perf_counter() - began:.0f} s"
    )
