"""What every fuzz test checks besides the status codes: the log."""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable, Iterator

import pytest

from tests.fuzz.hostile import ID_MARK, MARK


def _nothing(record: logging.LogRecord) -> bool:
    return False


class LogWatch(logging.Handler):
    """Keeps every record any logger emits (SDK loggers too) while a fuzz test runs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def problems(
        self, *, known: Callable[[logging.LogRecord], bool] = lambda _: False
    ) -> list[str]:
        """Tracebacks, and any line carrying a hostile text or id of a payload; ``known``:
        a finding with a test of its own."""
        found = []
        for record in self.records:
            if known(record):
                continue
            text = _rendered(record)
            # A library's failure (its details withheld) or the core's is a crash too.
            withheld = "details withheld" in text and record.levelno >= logging.ERROR
            crashed = withheld or "in the core" in text
            if record.exc_info or "Traceback" in text or crashed:
                # Where it failed: the last lines of a traceback.
                found.append(f"{record.levelname} from {record.name}: {text[:120]} … {text[-700:]}")
            # The access log of the test servers (the fakes' too) has the request line; the
            # one of ``meldbot serve`` (``AccessLog``) is checked in its own tests.
            if record.name != "aiohttp.access" and (MARK in text or ID_MARK in text):
                found.append(f"payload content in {record.name}: {text[:300]}")
        return sorted(set(found))[:20]  # the kinds: thousands of one failure say no more


def _rendered(record: logging.LogRecord) -> str:
    try:
        text = record.getMessage()
    except Exception:  # a broken format string is itself worth seeing
        text = f"{record.msg!r} % {record.args!r}"
    if record.exc_info and record.exc_info[1] is not None:
        text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
    return text


@pytest.fixture
def log_watch() -> Iterator[LogWatch]:
    watch = LogWatch()
    root = logging.getLogger()
    level = root.level
    root.addHandler(watch)
    root.setLevel(logging.INFO)  # what ``meldbot serve`` logs
    try:
        yield watch
    finally:
        root.removeHandler(watch)
        root.setLevel(level)


async def quiet(seconds: float = 120.0) -> None:
    """Waits until the work begun after the answers (listeners, replies) has finished."""
    mine = asyncio.current_task()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    busy: list[asyncio.Task[object]] = []
    while loop.time() < deadline:
        busy = [t for t in asyncio.all_tasks() if t is not mine and _for_a_request(t)]
        if not busy:
            return
        await asyncio.wait(busy, timeout=0.5)
    names = [getattr(t.get_coro(), "__qualname__", "?") for t in busy]
    raise AssertionError(f"background work did not finish: {names[:10]}")


# Tasks that live as long as the server: its connections, meldbot's loops and their waits.
LONG_LIVED = (
    "RequestHandler",
    "Event.wait",
    "sleep",
    "Scheduler",
    "Outbox",
    "_loop",
    "Housekeeper",
    "Inbox._worker",  # Slack's: each event it handles is a task of its own (``Inbox._one``)
)


def _for_a_request(task: asyncio.Task[object]) -> bool:
    name = getattr(task.get_coro(), "__qualname__", "")
    return not task.done() and not any(long in name for long in LONG_LIVED)
