"""Several real ``meldbot serve`` processes on one PostgreSQL database, posting scheduled
reminders to a fake Slack Web API in this process. Used by the two-instance test and by
the scheduled-posts benchmark."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import asyncpg

from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack
from tests.slack.support import COORDINATOR_CHANNEL, SECRET

ROOT = Path(__file__).resolve().parents[2]


class ArrivalsSlack(FakeSlack):
    """The fake Slack, noting when each channel message arrived (wall clock)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[str, float]] = []

    def _chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = super()._chat_postMessage(params)
        self.arrivals.append((str(answer["channel"]), time.time()))
        return answer


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Instance:
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def kill(self) -> None:
        """SIGKILL: no shutdown, no rollback by the process itself, like a crashed host."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)


@dataclass
class Fleet:
    database_url: str
    slack: ArrivalsSlack
    workdir: Path
    channels: list[str]
    schedule: str
    instances: list[Instance] = field(default_factory=list)

    def start_instance(self) -> Instance:
        port = _free_port()
        log = self.workdir / f"meldbot-{port}.log"
        env = {
            **{k: v for k, v in os.environ.items() if "proxy" not in k.lower()},
            "MELDBOT_DATABASE_URL": self.database_url,
            "MELDBOT_SEAL_KEY": SEAL_KEY,
            "MELDBOT_CONFIG": str(self._config()),
            "MELDBOT_DATA_DIR": str(self.workdir),
            "MELDBOT_WEB_CHAT": "off",
            "MELDBOT_SCHEDULER_INTERVAL_SECONDS": "1",
            "MELDBOT_OUTBOX_LEASE_SECONDS": "5",
            "SLACK_BOT_TOKEN": self.slack.token,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": self.slack.url,
            "MELDBOT_SLACK_COORDINATOR_CHANNEL": COORDINATOR_CHANNEL,
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        instance = Instance(port, process, log)
        self.instances.append(instance)
        return instance

    def _config(self) -> Path:
        path = self.workdir / "meldbot.toml"
        reminders = "".join(
            f'\n[[reminders]]\nplatform = "slack"\nchannel = "{channel}"\n'
            f'schedule = "{self.schedule}"\n'
            for channel in self.channels
        )
        path.write_text(f'language = "nl"\n{reminders}')
        return path

    async def wait_healthy(self, seconds: float = 60.0) -> None:
        import aiohttp

        deadline = time.monotonic() + seconds
        async with aiohttp.ClientSession() as http:
            for instance in self.instances:
                while True:
                    if instance.process.poll() is not None:
                        raise RuntimeError(f"meldbot exited:\n{instance.log.read_text()}")
                    try:
                        url = f"http://127.0.0.1:{instance.port}/healthz"
                        async with http.get(url) as answer:
                            if answer.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    if time.monotonic() > deadline:
                        raise TimeoutError(instance.log.read_text())
                    await asyncio.sleep(0.2)

    def stop(self) -> None:
        for instance in self.instances:
            if instance.process.poll() is None:
                instance.process.send_signal(signal.SIGTERM)
        for instance in self.instances:
            try:
                instance.process.wait(15)
            except subprocess.TimeoutExpired:
                instance.kill()

    async def occurrences(self) -> list[Occurrence]:
        """Every reminder occurrence the instances planned, with its outcome and when the
        platform accepted it (the outbox row's ``sent_at``)."""
        connection = await asyncpg.connect(self.database_url.replace("+asyncpg", ""))
        try:
            rows = await connection.fetch(
                """
                select t.job, t.due_at, t.outcome, o.sent_at, o.attempts
                from timers t left join outbox o on o.timer_id = t.id
                where t.kind = 'awareness.reminder' order by t.due_at
                """
            )
        finally:
            await connection.close()
        return [Occurrence(r["job"], r["due_at"], r["outcome"], r["sent_at"]) for r in rows]


@dataclass(frozen=True)
class Occurrence:
    job: str
    due_at: datetime
    outcome: str | None
    sent_at: datetime | None

    @property
    def channel(self) -> str:
        return self.job.split(":")[1]


SEAL_KEY = new_key()  # one key for the whole fleet, as production shares one


@asynccontextmanager
async def fleet(
    server: str, workdir: Path, channels: list[str], schedule: str
) -> AsyncIterator[Fleet]:
    """A fresh database on ``server`` (``postgresql+asyncpg://…``), migrated once, and a
    fake Slack; instances are started by the caller and stopped on exit."""
    name = f"meldbot_fleet_{uuid.uuid4().hex[:10]}"
    admin = await asyncpg.connect(server.replace("+asyncpg", "") + "/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    slack = ArrivalsSlack()
    await slack.start()
    group = Fleet(f"{server}/{name}", slack, workdir, channels, schedule)
    try:
        yield group
    finally:
        group.stop()
        await slack.close()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
