"""/slack/events against hostile requests: unsigned ones are refused before anything reads
them, signed but broken ones are a 4xx or handled, and never a 5xx or a traceback."""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.app import RUNTIME, Runtime, create_app
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack
from tests.fuzz.conftest import LogWatch, quiet
from tests.fuzz.hostile import MARK
from tests.fuzz.slack_cases import (
    FORM,
    raw_request,
    sign_bytes,
    signed_request,
    submission,
    unsigned_headers,
)
from tests.slack.support import COORDINATOR_CHANNEL, SECRET, make_settings

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
BATCH = 25


@pytest.fixture
async def fake_slack() -> Any:
    async with FakeSlack(members={COORDINATOR_CHANNEL: ["UCOORD1", "UBOT"]}) as fake:
        yield fake


async def _meldbot(
    fake: FakeSlack, client: MakeClient, database_url: str, tmp_path: Path
) -> tuple[TestClient[Any, Any], Runtime]:
    settings = make_settings(
        fake,
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        language="nl",
        slack_coordinators=["UCOORD1", "UFUZZ1"],
    )
    app = await create_app(settings)
    return await client(app), app[RUNTIME]


async def _send(
    client: TestClient[Any, Any], requests: list[tuple[bytes, dict[str, str]]]
) -> list[int]:
    statuses: list[int] = []
    for start in range(0, len(requests), BATCH):
        batch = requests[start : start + BATCH]
        answers: list[ClientResponse] = await asyncio.gather(
            *(client.post("/slack/events", data=body, headers=headers) for body, headers in batch)
        )
        for answer in answers:
            await answer.read()
            statuses.append(answer.status)
    return statuses


async def _rows(runtime: Runtime, table: str) -> int:
    async with runtime.database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_unsigned_requests_are_refused_before_they_are_read(
    fake_slack: FakeSlack,
    aiohttp_client: MakeClient,
    database_url: str,
    tmp_path: Path,
    log_watch: LogWatch,
) -> None:
    client, runtime = await _meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    rng = random.Random(1601)
    requests = []
    for n in range(1200):
        if n % 2:
            body, content_type = raw_request(rng, n)
        else:
            _, body, content_type = signed_request(rng, n)
        requests.append(
            (body, {"Content-Type": content_type, **unsigned_headers(rng, SECRET, body)})
        )

    statuses = await _send(client, requests)
    await quiet()

    assert set(statuses) == {401}
    assert log_watch.problems() == []
    # Nobody was answered, nothing was opened (who the bot is was asked once, at start).
    assert [call for call in fake_slack.calls if call.method != "auth.test"] == []
    assert await _rows(runtime, "cases") == 0
    assert await _rows(runtime, "dialog_states") == 0


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_signed_broken_requests_are_never_a_server_error(
    fake_slack: FakeSlack,
    aiohttp_client: MakeClient,
    database_url: str,
    tmp_path: Path,
    log_watch: LogWatch,
) -> None:
    client, runtime = await _meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    rng = random.Random(1602)
    requests, shapes = [], []
    for n in range(1500):
        if n % 5 == 0:
            body, content_type = raw_request(rng, n)
            shapes.append("raw")
        else:
            shape, body, content_type = signed_request(rng, n)
            shapes.append(shape)
        requests.append((body, {"Content-Type": content_type, **sign_bytes(SECRET, body)}))

    statuses = await _send(client, requests)
    await quiet()
    await runtime.outbox.settle()

    failed = sorted(
        {(shape, status) for shape, status in zip(shapes, statuses, strict=True) if status >= 500}
    )
    problems = log_watch.problems(known=_form_id_logged)
    assert not failed and not problems, "\n".join([str(failed), *problems])
    assert 200 in statuses and 400 in statuses  # both paths were really taken


def _form_id_logged(record: logging.LogRecord) -> bool:
    return record.name.startswith("adapters.slack.") and str(record.msg).startswith("slack: form")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_forms_id_as_sent_does_not_reach_the_log(
    fake_slack: FakeSlack,
    aiohttp_client: MakeClient,
    database_url: str,
    tmp_path: Path,
    log_watch: LogWatch,
) -> None:
    client, _ = await _meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    rng = random.Random(1603)
    requests = []
    for _ in range(20):
        payload = submission(rng)
        payload["view"]["callback_id"] = f"{MARK} {rng.randrange(10**6)}"
        body = urlencode({"payload": json.dumps(payload)}).encode()
        requests.append((body, {"Content-Type": FORM, **sign_bytes(SECRET, body)}))

    statuses = await _send(client, requests)
    await quiet()

    assert set(statuses) == {200}
    assert [r for r in log_watch.records if _form_id_logged(r) and MARK in r.getMessage()] == []
