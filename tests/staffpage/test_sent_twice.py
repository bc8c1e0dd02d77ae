"""A staff page form sent twice is one report, also when the second sending reaches
another instance of meldbot (or the same one after a restart), whose memory of sent
forms is empty: the database remembers. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from bot.app import RUNTIME, Runtime, create_app
from dialogs import consult as consult_dialog
from storage.sealing import new_key
from tests.core.conftest import Clock, make_settings
from tests.site.conftest import free_port
from tests.staffpage.conftest import CODE, REFERENCE, Page

STORY = "Bij de balie werd een collega geduwd door een bezoeker."


class Instance:
    def __init__(self, url: str, session: aiohttp.ClientSession, runtime: Runtime) -> None:
        self.url, self.session, self.runtime = url, session, runtime

    async def cases(self) -> list[str]:
        async with self.runtime.database.engine.connect() as connection:
            return list(await connection.scalars(text("SELECT reference FROM cases")))

    async def get(self, path: str) -> Page:
        async with self.session.get(self.url + path) as response:
            return Page(response.status, response.headers, await response.text())

    async def post(self, path: str, data: dict[str, str]) -> Page:
        async with self.session.post(self.url + path, data=data) as response:
            return Page(response.status, response.headers, await response.text())


@pytest.fixture
async def instances(database_url: str, tmp_path: Path) -> AsyncIterator[list[Instance]]:
    """Two meldbots on one database with one sealing key, as a deployment runs them."""
    key = new_key()
    servers: list[TestServer] = []
    made: list[Instance] = []
    session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
    for _ in range(2):
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        config = make_settings(database_url, tmp_path, public_url=url, language="nl")
        config = config.model_copy(update={"seal_key": key, "web_chat": "on"})
        app = await create_app(config, clock=Clock())
        server = TestServer(app, host="127.0.0.1", port=port)
        await server.start_server()
        servers.append(server)
        made.append(Instance(url, session, app[RUNTIME]))
    yield made
    await session.close()
    for server in servers:
        await server.close()


async def test_an_anonymous_report_sent_to_two_instances_is_one_case(
    instances: list[Instance],
) -> None:
    first, second = instances
    opened = await first.get("/melden/anoniem")
    form = {"_anon": opened.token(), "narrative": STORY, "danger": "no", "category": ""}
    sent = await first.post("/melden/anoniem", form)
    assert sent.status == 200, sent.text()
    code, reference = CODE.search(sent.text()), REFERENCE.search(sent.text())
    assert code is not None and reference is not None

    again = await second.post("/melden/anoniem", form)
    assert again.status == 200, again.text()
    assert reference.group(0) in again.text() and "was al ontvangen" in again.text()
    assert CODE.search(again.text()) is None, "no new code: it would open nothing"

    assert await first.cases() == [reference.group(0)]


async def test_sent_again_after_an_error_it_is_received_once(
    instances: list[Instance], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored, but the answer failed: the page shows the form again with the error, and
    the visitor sends that form again. One case; no new code."""
    issued = consult_dialog.views.issued
    failed: list[bool] = []

    def fails_once(*args: Any) -> Any:
        if not failed:
            failed.append(True)
            raise RuntimeError("the answer was lost")
        return issued(*args)

    monkeypatch.setattr(consult_dialog.views, "issued", fails_once)
    page = instances[0]
    opened = await page.get("/melden/anoniem")
    form = {"_anon": opened.token(), "narrative": STORY, "danger": "no", "category": ""}
    refused = await page.post("/melden/anoniem", form)
    assert refused.status == 400 and STORY in refused.text()  # the text stays in the box
    again = await page.post("/melden/anoniem", {**form, "_anon": refused.token()})
    assert again.status == 200, again.text()
    [reference] = await page.cases()
    assert reference in again.text() and "was al ontvangen" in again.text()
    assert CODE.search(again.text()) is None
