"""A kill -9 in the middle of a burst of reports loses nothing on the web chat.

A real ``meldbot serve`` on a SQLite file takes reports through the web chat's own HTTP
API, many at once, and is killed (SIGKILL: no shutdown at all) while they arrive. A new
``meldbot serve`` on the same database must show every case the database holds in the
coordinator pane, and every report that was answered with its receipt (200) must be in
the database: a receipt is only ever shown for what was committed.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from storage.database import Database
from storage.sealing import Sealer, new_key
from tests.web.webchat import visible

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = ("sanne", "ahmed", "piet")
BURST = 45
BEFORE = 3  # reports whose cards are shown before the burst
KILL_AFTER = 12  # receipts answered before the kill; the rest are under way


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Meldbot:
    """``meldbot serve`` in a process of its own, on the given database."""

    def __init__(self, workdir: Path, database_url: str, seal_key: str) -> None:
        self.workdir = workdir
        self.env = {
            **{k: v for k, v in os.environ.items() if "proxy" not in k.lower()},
            "MELDBOT_DATABASE_URL": database_url,
            "MELDBOT_SEAL_KEY": seal_key,
            "MELDBOT_DATA_DIR": str(workdir),
            "MELDBOT_WEB_CHAT": "on",
            "MELDBOT_WEB_COORDINATORS": "fatima",
            "MELDBOT_LANGUAGE": "nl",
            # What the killed process had claimed is sent again after this (not a minute).
            "MELDBOT_OUTBOX_LEASE_SECONDS": "3",
        }
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self.launch()
        await self.healthy()

    def launch(self) -> None:
        self.port = free_port()
        log = (self.workdir / f"meldbot-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    async def healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + 60
        async with aiohttp.ClientSession() as http:
            while True:
                assert self.process.poll() is None, self.log()
                try:
                    async with http.get(f"{self.base}/healthz") as answer:
                        if answer.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                assert time.monotonic() < deadline, self.log()
                await asyncio.sleep(0.2)

    def log(self) -> str:
        return (self.workdir / f"meldbot-{self.port}.log").read_text(errors="replace")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def meldbot(tmp_path: Path) -> Iterator[Meldbot]:
    bot = Meldbot(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", new_key())
    yield bot
    bot.stop()


async def post(http: aiohttp.ClientSession, base: str, path: str, body: Any) -> dict[str, Any]:
    async with http.post(f"{base}/web/api/{path}", json=body, headers={"Origin": base}) as got:
        answer: dict[str, Any] = await got.json()
        assert got.status == 200, (path, got.status, answer)
        return answer


async def report(http: aiohttp.ClientSession, base: str, persona: str, story: str) -> None:
    """The report form from the home button, filled in and sent; returns once the receipt
    was answered (200), raises when the request failed on the way."""
    press = {"pane": "chat", "persona": persona, "message": None, "action": "report.start"}
    opened = await post(http, base, "action", {**press, "value": ""})
    values = {"narrative": story, "feedback": "yes"}
    answer = await post(http, base, "form", {"token": opened["form"]["token"], "values": values})
    assert answer == {"ok": True, "closeForm": True}, answer


async def snapshot(base: str) -> dict[str, Any]:
    """What a page opening now is shown first: the stream's snapshot."""
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"{base}/web/api/stream") as stream,
    ):
        event = ""
        while line := (await stream.content.readline()).decode():
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.startswith("data: ") and event == "snapshot":
                data: dict[str, Any] = json.loads(line[6:])
                return data
    raise AssertionError("the stream ended before its snapshot")


async def stored_cases(meldbot: Meldbot) -> dict[str, str]:
    """{reference: narrative} of every case in the database, opened with the key."""
    database = Database(
        meldbot.env["MELDBOT_DATABASE_URL"],
        Sealer(meldbot.env["MELDBOT_SEAL_KEY"]),
        lambda: datetime.now(UTC),
    )
    try:
        async with database.transaction() as tx:
            ids = list(await tx.session.scalars(text("SELECT id FROM cases")))
            cases = [await tx.cases.get(int(case_id)) for case_id in ids]
    finally:
        await database.close()
    return {case.reference: case.report.narrative for case in cases if case is not None}


def cards(shown: dict[str, Any]) -> list[str]:
    return [
        visible(m["html"])
        for m in shown["messages"]
        if m["conversation"] == "coordinators" and m["thread"] is None
    ]


async def test_a_kill_in_a_burst_of_reports_loses_no_case_and_shows_no_false_receipt(
    meldbot: Meldbot,
) -> None:
    await meldbot.start()
    answered: list[str] = []
    base = meldbot.base
    async with aiohttp.ClientSession() as http:
        for persona in PERSONAS:  # as a page does when it opens: the home with its buttons
            assert await post(http, base, "home", {"persona": persona}) == {"ok": True}

    async def one(number: int) -> None:
        story = f"Melding {number:03d}: een bezoeker werd boos bij de balie en gooide iets."
        async with aiohttp.ClientSession() as http:
            await report(http, base, PERSONAS[number % len(PERSONAS)], story)
        answered.append(story)

    # A few first, shown to the coordinators before the kill (their cards were posted and
    # marked sent: only the database can bring those back).
    for number in range(BEFORE):
        await one(number)
    for _ in range(600):
        if len(cards(await snapshot(base))) == BEFORE:
            break
        await asyncio.sleep(0.1)
    burst = [asyncio.create_task(one(n)) for n in range(BEFORE, BURST)]
    while len(answered) < KILL_AFTER:
        done = [task for task in burst if task.done() and task.exception()]
        assert not done, done[0].exception()
        await asyncio.sleep(0.01)
    meldbot.kill()
    outcomes = await asyncio.gather(*burst, return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    assert failed, "the kill came while reports were still arriving"
    assert all(isinstance(o, aiohttp.ClientError | AssertionError) for o in failed), failed

    stored = await stored_cases(meldbot)
    assert set(answered) <= set(stored.values()), "a receipt only for what was committed"

    await meldbot.start()
    deadline = time.monotonic() + 60
    while True:  # the outbox posts what it had not posted yet; then every case is there
        shown = cards(await snapshot(meldbot.base))
        missing = [ref for ref in stored if not any(ref in card for card in shown)]
        if not missing or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    assert missing == [], f"{len(missing)} of {len(stored)} cases not in the coordinator pane"
    assert len(stored) >= len(answered) >= KILL_AFTER
