"""The code-guess throttle in the database: concurrent guesses on two instances, what it keeps."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

from bot.case.service import CaseService
from bot.consultation.receipts import SecretHasher, parse_code
from bot.consultation.service import ConsultationService, ReceiptRefused
from bot.consultation.throttle import GUESS_LIMIT, guesser_hash, guesser_key
from bot.housekeeping import sweep
from bot.intake.signals import Recogniser
from bot.onboarding import person_key
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from tests.core.conftest import Clock
from tests.fakes.messenger import FakeMessenger
from tests.privacy import tables_holding

OWNER, STRANGER = "web:staff-1", "web:piet"
WRONG = "That code does not open anything. Check it and try again."
HELD_OFF = "Too many tries from you. Please try again after {time}."


class CountingHasher(SecretHasher):
    """Real Argon2id, counting every check of a secret."""

    def __init__(self) -> None:
        super().__init__()
        self.verified = 0

    async def verify(self, stored: str | None, secret: str) -> bool:
        self.verified += 1
        return await super().verify(stored, secret)


@dataclass
class Instances:
    """Two meldbot instances (each its own engine) on one database, with one seal key."""

    databases: list[Database]
    services: list[ConsultationService]
    hasher: CountingHasher
    clock: Clock
    key: bytes

    async def rows(self) -> dict[str, int]:
        async with self.databases[0].engine.connect() as connection:
            query = text("SELECT guesser, attempts FROM code_guesses")
            return {guesser: attempts for guesser, attempts in await connection.execute(query)}


@pytest.fixture
async def instances(database_url: str) -> AsyncIterator[Instances]:
    seal_key, clock, hasher = new_key(), Clock(), CountingHasher()
    databases = [Database(database_url, Sealer(seal_key), clock) for _ in range(2)]
    await upgrade(databases[0].engine)
    services = []
    for database in databases:
        cases = CaseService(
            database, {"web": FakeMessenger()}, clock, lambda: None, Recogniser.load()
        )
        key = guesser_key(seal_key)
        services.append(ConsultationService(database, cases, clock, lambda: None, hasher, key))
    yield Instances(databases, services, hasher, clock, guesser_key(seal_key))
    for database in databases:
        await database.close()


async def _code(instances: Instances) -> str:
    _consultation, issued = await instances.services[0].start(
        "Is dit genoeg om te melden?", platform="web", language="nl", contact=None
    )
    return issued.code


async def _refusal(service: ConsultationService, typed: str, guesser: str) -> str:
    try:
        await service.unlock(typed, guesser)
    except ReceiptRefused as refusal:
        return refusal.reason
    return "opened"


async def test_concurrent_guesses_on_two_instances_cost_exactly_the_allowed_checks(
    instances: Instances,
) -> None:
    code = await _code(instances)
    wrong = f"{code[:4]}-AAAA-AAAA-AAAA"
    started = time.perf_counter()
    answers = await asyncio.gather(
        *(_refusal(instances.services[n % 2], wrong, STRANGER) for n in range(30))
    )
    took = time.perf_counter() - started
    checks = instances.hasher.verified
    backend = instances.databases[0].engine.dialect.name
    print(f"\n{backend}: 30 concurrent wrong codes, 2 instances: {took:.2f} s, {checks} checks")
    assert instances.hasher.verified == GUESS_LIMIT
    assert answers.count(WRONG) == GUESS_LIMIT
    assert answers.count(HELD_OFF) == 30 - GUESS_LIMIT
    assert await instances.rows() == {guesser_hash(instances.key, STRANGER): GUESS_LIMIT + 1}


async def test_a_strangers_guesses_never_stop_the_owner(instances: Instances) -> None:
    code = await _code(instances)
    wrong = f"{code[:4]}-AAAA-AAAA-AAAA"
    answers = await asyncio.gather(
        *(_refusal(instances.services[n % 2], wrong, STRANGER) for n in range(50))
    )
    assert set(answers) == {WRONG, HELD_OFF}
    for service in instances.services:
        assert await _refusal(service, code, OWNER) == "opened"


async def test_known_and_unknown_pseudonyms_get_the_same_answers(instances: Instances) -> None:
    code = await _code(instances)
    unknown = "ZZZZ" if code[:4] != "ZZZZ" else "YYYY"
    service = instances.services[0]
    known = [await _refusal(service, f"{code[:4]}-AAAA-AAAA-AAAA", "web:a") for _ in range(12)]
    other = [await _refusal(service, f"{unknown}-AAAA-AAAA-AAAA", "web:b") for _ in range(12)]
    assert known == other == [WRONG] * GUESS_LIMIT + [HELD_OFF] * 2
    assert instances.hasher.verified == 2 * GUESS_LIMIT, "an unknown one costs a check too"


async def test_a_right_code_leaves_nothing_of_the_person_and_no_id_is_kept(
    instances: Instances,
) -> None:
    code = await _code(instances)
    parsed = parse_code(code)
    assert parsed is not None
    service = instances.services[0]
    assert await _refusal(service, f"{code[:4]}-AAAA-AAAA-AAAA", OWNER) == WRONG
    assert await _refusal(service, "K7Q2", OWNER) != WRONG, "malformed"
    assert await instances.rows() == {guesser_hash(instances.key, OWNER): 1}, "malformed is free"
    for _ in range(3):
        await _refusal(service, f"{code[:4]}-AAAA-AAAA-AAAA", STRANGER)

    assert await _refusal(service, code, OWNER) == "opened"
    assert await instances.rows() == {guesser_hash(instances.key, STRANGER): 3}
    database = instances.databases[0]
    held = await tables_holding(database.engine, database._sealer, [OWNER, STRANGER, "piet"])
    assert held == {}, "only keyed hashes: no id, and no plain hash of one"
    async with database.engine.connect() as connection:
        columns = (await connection.execute(text("SELECT * FROM code_guesses"))).keys()
    assert set(columns) == {"guesser", "window_start", "attempts"}, "nothing names a receipt"


async def test_windows_run_out_and_housekeeping_deletes_them(instances: Instances) -> None:
    code = await _code(instances)
    service = instances.services[0]
    for _ in range(GUESS_LIMIT + 1):
        await _refusal(service, f"{code[:4]}-AAAA-AAAA-AAAA", STRANGER)
    instances.clock.advance(minutes=30)
    await _refusal(service, f"{code[:4]}-AAAA-AAAA-AAAA", "web:later")
    instances.clock.advance(minutes=30)
    assert await sweep(instances.databases[0], instances.clock()) == (0, 0, 1)
    assert list(await instances.rows()) == [guesser_hash(instances.key, "web:later")]
    assert await _refusal(service, code, STRANGER) == "opened", "a new hour, a new window"


def test_the_throttle_key_is_its_own() -> None:
    seal_key = new_key()
    key = guesser_key(seal_key)
    assert key == guesser_key(f"{seal_key},{new_key()}"), "the key in use, the first"
    assert key != guesser_key(new_key())
    assert key != person_key(seal_key), "not the welcome feature's key either"
    assert guesser_hash(key, OWNER) != guesser_hash(key, STRANGER)
