"""MELDBOT_LOG_FORMAT=json: one JSON object a line, each with the id of the request it
was written for, and no person's id, name or text after a whole report."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from adapters.web import personas
from bot.app import create_app
from bot.observability.logs import configure_logging, log_failure
from bot.settings import Settings
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import dm_message, event_callback
from tests.privacy import _found
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until
from tests.web.test_anonymity import MakeClient
from tests.web.webchat import WebChat

STAFF = "u07logjson9k"
NAME = "Lotte Logregel-Vermeer"
DM = f"dm:{STAFF}"
NARRATIVE = "Een bezoeker dreigde mij bij de balie met een schaar."
PLACE = "de balie op de tweede verdieping"


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    """What ``meldbot serve`` writes with MELDBOT_LOG_FORMAT=json, to standard error."""
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("json", force=True)  # beside the test runner's own handlers
    yield stream
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "meldbot", False)]:
        root.removeHandler(handler)


@pytest.fixture
async def chat(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[WebChat]:
    monkeypatch.setattr(personas, "_STAFF", ((STAFF, NAME), *personas._STAFF))
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima"],
        language="nl",
        log_format="json",
    )
    web_chat = WebChat(await aiohttp_client(await create_app(settings, clock=Clock())))
    await web_chat.open()
    yield web_chat
    await web_chat.close()


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


async def test_json_lines_carry_the_request_id_and_nobody_s_data(
    written: io.StringIO, chat: WebChat
) -> None:
    await chat.home(STAFF)
    form = await chat.press("chat", STAFF, None, "report.start", "")
    since = chat.mark()
    values = {"narrative": NARRATIVE, "location": PLACE, "danger": "yes", "feedback": "yes"}
    await chat.fill("chat", form, values)
    await chat.shown(DM, "is ontvangen", since=since)
    await chat.caught_up("fatima")

    traced = await chat.client.get("/healthz", headers={"X-Request-Id": "trace-0123abcd"})
    assert traced.headers["X-Request-Id"] == "trace-0123abcd"
    hostile = await chat.client.get("/healthz", headers={"X-Request-Id": "x\u2028<script>" * 3})
    made = hostile.headers["X-Request-Id"]
    assert made != "x\u2028<script>" * 3 and made.isalnum(), "a new, safe id instead"

    lines = _lines(written)  # each line parses: json.loads raised otherwise
    assert len(lines) > 10
    assert {"time", "level", "logger", "message", "request_id"} <= set(lines[0])
    in_requests = [line for line in lines if line["request_id"] != "-"]
    assert {line["request_id"] for line in in_requests} >= {"trace-0123abcd", made}
    assert [line["logger"] for line in lines if line["request_id"] == "trace-0123abcd"] == [
        "aiohttp.access"
    ], "the access line of that request, and nothing else"
    assert len({line["request_id"] for line in in_requests}) > 3, "one id per request"

    text = written.getvalue()
    assert _found(text, [STAFF, NAME, DM, NARRATIVE, PLACE]) == []
    assert "Lotte" not in text and "Logregel" not in text


async def test_the_work_after_a_slack_ack_carries_the_request_s_id(
    written: io.StringIO, database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    """Slack is answered first and replied to afterwards: the reply's log lines still say
    which request they belong to."""
    async with FakeSlack(members={COORDINATOR_CHANNEL: ["UCOORD1", "UBOT"]}) as slack:
        settings = make_settings(
            slack,
            database_url=database_url,
            data_dir=tmp_path,
            seal_key=new_key(),
            log_format="json",
        )
        meldbot = SlackSender(await aiohttp_client(await create_app(settings, clock=Clock())))
        event = event_callback(dm_message("ULOGGED1", "hoi"), "Ev0LOGGED01")
        first = event_callback(dm_message("ULOGGED0", "eerst"), "Ev0LOGGED00")
        assert (await meldbot.post(first, headers={"X-Request-Id": "slack-event-0000"})).ok
        await slack.wait_for("chat.postMessage")
        # A later event is handled by the same workers: it must carry its own id.
        acked = await meldbot.post(event, headers={"X-Request-Id": "slack-event-0001"})
        assert acked.status == 200
        await slack.wait_for("chat.postMessage", count=2)
        await until(
            lambda: [
                line
                for line in _lines(written)
                if line["request_id"] == "slack-event-0001"
                and line["logger"].startswith("adapters.slack")
            ],
            "the reply's log line, with the event's request id",
        )
        assert "ULOGGED1" not in written.getvalue() and "hoi" not in _messages(written)


def _messages(stream: io.StringIO) -> list[str]:
    return [line["message"] for line in _lines(stream)]


def test_the_meldbot_command_writes_json_lines_when_told(tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "MELDBOT_LOG_FORMAT": "json",
        "MELDBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        "MELDBOT_DATA_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = [json.loads(line) for line in done.stderr.splitlines() if line.strip()]
    assert lines, "the migrations say what they do"
    assert all(line["request_id"] == "-" and line["level"] for line in lines)
    plain = subprocess.run(
        [sys.executable, "-m", "bot.cli", "db", "upgrade"],
        env={**environment, "MELDBOT_LOG_FORMAT": "text"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert plain.stdout.strip() == "meldbot: database is up to date"
    assert not [line for line in plain.stderr.splitlines() if line.startswith("{")]


def test_a_failure_is_logged_by_its_kind_and_its_text_only_at_debug(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An exception's text can carry what was being handled: ERROR says only its kind."""
    logger = logging.getLogger("meldbot.test.failure")
    caplog.set_level(logging.DEBUG, logger.name)
    try:
        raise KeyError(f"dm:{STAFF}")
    except KeyError:
        log_failure(logger, "timer %s failed", "case.reminder")
    error, debug = caplog.records
    assert (error.levelno, error.getMessage()) == (
        logging.ERROR,
        "timer case.reminder failed (KeyError)",
    )
    assert error.exc_info is None and STAFF not in error.getMessage()
    assert debug.levelno == logging.DEBUG and debug.exc_info is not None
