"""meldbot started as deploy/meldbot.service starts it (no systemd runs here): its command,
its environment and its working directory, with the paths moved into a temporary folder.
The embedded SQLite default then lands in the state directory, where the unit lets it write."""

from __future__ import annotations

import asyncio
import os
import shlex
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import BinaryIO

import aiohttp

from tests.web.test_killed_serve import free_port

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "meldbot.service"


def _service_lines(key: str) -> list[str]:
    prefix = f"{key}="
    return [
        line[len(prefix) :] for line in UNIT.read_text().splitlines() if line.startswith(prefix)
    ]


def _environment(moved: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env = {k: v for k, v in env.items() if not k.startswith(("MELDBOT_", "SLACK_"))}
    for line in _service_lines("Environment"):
        for assignment in shlex.split(line):
            name, _, value = assignment.partition("=")
            for old, new in moved.items():
                value = value.replace(old, new)
            env[name] = value
    return env


def _launch(
    command: list[str], cwd: Path, env: dict[str, str], log: BinaryIO
) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)


async def test_meldbot_keeps_its_cases_in_the_state_directory(tmp_path: Path) -> None:
    state, config, cache = tmp_path / "lib", tmp_path / "etc", tmp_path / "cache"
    state.mkdir()
    config.mkdir()
    # MELDBOT_CONFIG must point here: a settings file that is not there stops start-up.
    (config / "meldbot.toml").write_text('organisation = "Gemeente Voorbeeld"\n')
    moved = {"/var/lib/meldbot": str(state), "/etc/meldbot": str(config)}
    moved["/var/cache/meldbot"] = str(cache)
    (working_directory,) = _service_lines("WorkingDirectory")
    command = shlex.split(_service_lines("ExecStart")[0])
    port = free_port()
    command = [
        str(Path(sys.executable).with_name("meldbot")),
        *[str(port) if part == "3978" else part for part in command[1:]],
    ]
    log = (tmp_path / "meldbot.log").open("wb")
    process = _launch(command, Path(moved[working_directory]), _environment(moved), log)
    try:
        deadline = time.monotonic() + 60
        async with aiohttp.ClientSession() as http:
            while True:
                assert process.poll() is None, (tmp_path / "meldbot.log").read_text()
                try:
                    async with http.get(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                assert time.monotonic() < deadline, (tmp_path / "meldbot.log").read_text()
                await asyncio.sleep(0.2)
    finally:
        process.terminate()
        process.wait(15)
        log.close()
    assert (state / "var" / "meldbot.db").is_file()
    key = state / "var" / "seal.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600, "only meldbot reads the local seal key"
