"""The web chat: a report form sent again after the person saw an error is one report.

The first sending stores the case, but its answer fails, so the form stays open with an
error; the person sends the same form again. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from sqlalchemy import func, select

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import Case
from bot.i18n import Translator
from bot.settings import Settings
from dialogs.report import ReportDialog
from storage.models import CaseRow
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.waiting import until
from tests.web.webchat import Client, WebChat, visible

MakeClient = Callable[[web.Application], Awaitable[Client]]
STORY = "Een bezoeker gooide een stoel om bij de balie."


@pytest.fixture
async def running(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> AsyncIterator[tuple[WebChat, Runtime]]:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=["fatima"],
        language="nl",
    )
    app = await create_app(settings, clock=Clock())
    chat = WebChat(await aiohttp_client(app))
    await chat.open()
    yield chat, app[RUNTIME]
    await chat.close()


async def test_a_form_sent_again_after_an_error_is_one_report(
    running: tuple[WebChat, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat, runtime = running
    receipt = ReportDialog.receipt
    failed: list[int] = []

    async def fails_once(dialog: ReportDialog, case: Case, t: Translator) -> Any:
        if not failed:
            failed.append(case.id)
            raise RuntimeError("the answer was lost")
        return await receipt(dialog, case, t)

    monkeypatch.setattr(ReportDialog, "receipt", fails_once)
    await chat.home("sanne")
    form = await chat.press("chat", "sanne", None, "report.start", "")
    assert form is not None
    sent = {"token": form["token"], "values": {"narrative": STORY, "danger": "no"}}
    refused = await chat.post("form", sent, status=422)
    assert refused["ok"] is False and "form" in refused  # the person sees an error
    assert await chat.post("form", sent) == {"ok": True, "closeForm": True}

    async with runtime.database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(CaseRow)) == 1
    await chat.shown("coordinators", "M-", root=True)
    receipts = await until(
        lambda: [m for m in chat.messages("dm:sanne") if "ontvangen" in visible(m["html"])],
        "the receipt in Sanne's chat",
    )
    async with runtime.database.transaction() as tx:
        case = await tx.cases.get(failed[0])
    assert case is not None and case.reference in visible(receipts[0]["html"])
    await chat.caught_up("sanne")
    assert len([m for m in chat.messages("dm:sanne") if case.reference in visible(m["html"])]) == 1
