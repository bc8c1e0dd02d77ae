"""A throwaway PostgreSQL server for the test session (Debian's binaries, run as postgres)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Server:
    """A running throwaway server that a test may stop and start again (the database down)."""

    def __init__(self, ctl: list[str], port: int) -> None:
        self._ctl = ctl
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{port}"

    def start(self) -> None:
        subprocess.run(
            _as_postgres([*self._ctl, "start"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            check=True,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([*self._ctl, "-m", "immediate", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


@contextmanager
def throwaway_server() -> Iterator[str | None]:
    """Yields a base URL ``postgresql+asyncpg://postgres@127.0.0.1:PORT``, or None."""
    with stoppable_server() as server:
        yield server.url if server else None


@contextmanager
def stoppable_server() -> Iterator[Server | None]:
    """A new server of its own, or None where PostgreSQL is not installed."""
    bindir = _bindir()
    if bindir is None:
        yield None
        return
    root = Path(tempfile.mkdtemp(prefix="meldbot-pg-"))
    data, sockets = root / "data", root / "run"
    data.mkdir()
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(data, "postgres")
        shutil.chown(sockets, "postgres")
    port = _free_port()
    subprocess.run(
        _as_postgres(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
                "-E",
                "UTF8",
            ]
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        check=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    ctl = [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-w", "-o", options]
    server = Server(ctl, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
