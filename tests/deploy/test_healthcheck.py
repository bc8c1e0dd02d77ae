"""deploy/healthcheck, the container's HEALTHCHECK: it asks /readyz on MELDBOT_PORT and
exits 0 only on a 2xx, 1 on any other answer or none; it prints one line and no body."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from tests.web.test_killed_serve import Meldbot, free_port

ROOT = Path(__file__).resolve().parents[2]
HEALTHCHECK = ROOT / "deploy" / "healthcheck"


class Answering:
    """A real HTTP server on this machine that answers /readyz with the status it is given."""

    def __init__(self) -> None:
        self.status = 200
        self.asked: list[str] = []
        self.port = free_port()

    async def readyz(self, request: web.Request) -> web.Response:
        self.asked.append(request.path)
        return web.Response(status=self.status, text="database: unreachable")


@pytest.fixture
async def answering() -> AsyncIterator[Answering]:
    server = Answering()
    app = web.Application()
    app.router.add_get("/readyz", server.readyz)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", server.port).start()
    yield server
    await runner.cleanup()


async def _check(port: int, *url: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    # In a thread: the server answering it runs on this test's event loop.
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, str(HEALTHCHECK), *url],
        capture_output=True,
        text=True,
        env={**env, "MELDBOT_PORT": str(port)},
        timeout=60,
        check=False,
    )


async def test_ready_is_zero_and_not_ready_is_one(answering: Answering) -> None:
    ready = await _check(answering.port)
    assert ready.returncode == 0, ready.stdout
    assert answering.asked == ["/readyz"]
    answering.status = 503
    not_ready = await _check(answering.port)
    assert not_ready.returncode == 1
    assert not_ready.stdout.strip() == (
        f"meldbot: not ready: http://127.0.0.1:{answering.port}/readyz answered 503"
    )
    assert "database" not in not_ready.stdout, "the answer's body is not repeated"


async def test_nothing_listening_is_not_ready() -> None:
    result = await _check(free_port())
    assert result.returncode == 1
    assert "did not answer" in result.stdout
    assert "Traceback" not in result.stderr


async def test_a_real_meldbot_serve_answers_it(tmp_path: Path) -> None:
    meldbot = Meldbot(tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", "")
    del meldbot.env["MELDBOT_SEAL_KEY"]  # the embedded default: its own key in the data dir
    await meldbot.start()
    try:
        ready = await _check(meldbot.port)  # the default: /readyz on MELDBOT_PORT
        assert ready.returncode == 0, ready.stdout
        missing = await _check(meldbot.port, f"{meldbot.base}/no-such-page")
        assert missing.returncode == 1 and "answered 404" in missing.stdout
    finally:
        meldbot.stop()
