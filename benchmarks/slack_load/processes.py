"""The processes of one measurement: the fake Slack, a bolt app, ``meldbot serve``. Each
runs in a context that stops it however the block ends (an error, Ctrl-C)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from storage.sealing import new_key
from tests.slack.support import COORDINATOR_CHANNEL, SECRET

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "xoxb-test"  # noqa: S105 (what the fake Slack accepts)
STARTUP_SECONDS = 60.0


@dataclass(frozen=True)
class Served:
    """An app under load: where Slack posts its events."""

    name: str
    events_url: str
    process: subprocess.Popen[bytes]
    log: Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(**extra: str) -> dict[str, str]:
    """This process's environment without proxies (slack_sdk would follow them) and
    without meldbot's or Slack's own settings, plus ``extra``."""
    kept = {
        key: value
        for key, value in os.environ.items()
        if "proxy" not in key.lower() and not key.startswith(("MELDBOT_", "SLACK_"))
    }
    return {**kept, **extra}


@contextmanager
def _running(argv: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            argv, cwd=ROOT, env=env, stdout=output, stderr=output
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def fake_slack(workdir: Path) -> Iterator[str]:
    """The fake Slack Web API; yields its base URL."""
    url_file = workdir / "fake-slack.url"
    argv = [sys.executable, "-m", "benchmarks.slack_load.fake", str(url_file)]
    with _running(argv, _environment(), workdir / "fake-slack.log") as process:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not url_file.exists() or not url_file.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(_failed("the fake Slack", workdir / "fake-slack.log"))
            time.sleep(0.05)
        yield url_file.read_text()


@contextmanager
def bolt_app(kind: str, api_url: str, workdir: Path) -> Iterator[Served]:
    port = free_port()
    log = workdir / f"bolt-{kind}.log"
    argv = [sys.executable, "-m", "benchmarks.slack_load.bolt_apps", kind, str(port)]
    with _running([*argv, api_url, SECRET], _environment(), log) as process:
        yield Served(f"bolt {kind}", f"http://127.0.0.1:{port}/slack/events", process, log)


@contextmanager
def meldbot(database_url: str, api_url: str, workdir: Path) -> Iterator[Served]:
    """A real ``meldbot serve``, configured as an operator would: environment variables."""
    port = free_port()
    data = workdir / "meldbot-data"
    data.mkdir(exist_ok=True)
    env = _environment(
        MELDBOT_DATABASE_URL=database_url,
        MELDBOT_DATA_DIR=str(data),
        MELDBOT_SEAL_KEY=new_key(),
        MELDBOT_WEB_CHAT="off",
        MELDBOT_SLACK_COORDINATOR_CHANNEL=COORDINATOR_CHANNEL,
        SLACK_BOT_TOKEN=TOKEN,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
    )
    argv = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
    log = workdir / "meldbot.log"
    with _running(argv, env, log) as process:
        yield Served("meldbot", f"http://127.0.0.1:{port}/slack/events", process, log)


async def wait_healthy(served: Served) -> None:
    """Until ``/healthz`` answers 200 (the app is listening)."""
    url = served.events_url.replace("/slack/events", "/healthz")
    deadline = time.monotonic() + STARTUP_SECONDS
    async with aiohttp.ClientSession() as http:
        while True:
            if served.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(_failed(served.name, served.log))
            try:
                async with http.get(url) as answer:
                    if answer.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.1)


def _failed(name: str, log: Path) -> str:
    tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
    return f"{name} did not start; the end of its output:\n{tail}"
