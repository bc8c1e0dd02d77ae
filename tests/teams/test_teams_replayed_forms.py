"""The same form card sent twice — Teams redelivering the activity, or the person sending
the card again after an error — is one report, and both answers show its reference."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.app import RUNTIME, create_app
from bot.case.models import Case
from bot.i18n import Translator
from dialogs.report import ReportDialog
from storage.models import CaseRow
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_payloads import TeamsBot, TeamsPayloads
from tests.teams.support import (
    COORDINATION,
    MIA,
    TeamsSender,
    action,
    card_of,
    make_settings,
    submit,
    text_of,
)
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
REFERENCE = re.compile(r"M-\d{4}-\d{4,}")


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(bot=TeamsBot()) as connector:
        yield connector


async def test_a_form_card_sent_twice_is_one_report(
    database_url: str, tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient
) -> None:
    settings = make_settings(fake, database_url=database_url, data_dir=tmp_path, seal_key=new_key())
    app = await create_app(settings)
    sender, teams = TeamsSender(await aiohttp_client(app)), TeamsPayloads(fake.url)
    chat = teams.personal(MIA)["id"]
    assert (await sender.post(teams.personal_message("meld", user=MIA))).status in (200, 202)
    [form_message] = await until(lambda: fake.activities(chat), "the report form")
    form = card_of(form_message)
    data = submit(form, {"narrative": "Een bezoeker bedreigde mij aan de balie."})
    invoke = teams.card_action_invoke(
        data, action(form, "form")["verb"], form_message["id"], user=MIA, team=COORDINATION
    )

    answers = []
    for _ in range(3):  # the very activity again, then as the person sends it once more
        response = await sender.post(invoke)
        assert response.status == 200
        answers.append(text_of((await response.json())["value"]))

    async with app[RUNTIME].database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(CaseRow)) == 1
    [reference] = set(REFERENCE.findall(answers[0]))
    assert all(set(REFERENCE.findall(answer)) == {reference} for answer in answers)
    assert all("has been received" in answer for answer in answers)


async def test_one_card_showing_a_form_again_takes_a_second_report(
    database_url: str, tmp_path: Path, fake: FakeBotConnector, aiohttp_client: MakeClient
) -> None:
    """A card shows each answer in place, so one message can show the same form twice:
    two renderings, two reports."""
    settings = make_settings(fake, database_url=database_url, data_dir=tmp_path, seal_key=new_key())
    app = await create_app(settings)
    sender, teams = TeamsSender(await aiohttp_client(app)), TeamsPayloads(fake.url)
    chat = teams.personal(MIA)["id"]
    await sender.post(teams.personal_message("hoi", user=MIA))
    [menu] = await until(lambda: fake.activities(chat), "the menu")
    start = action(card_of(menu), "button", "report.start")
    references = set()
    for story in ("De eerste bezoeker schold mij uit.", "Een tweede bezoeker spuugde."):
        # The form opens in the menu's place, a new rendering each time.
        press = teams.card_action_invoke(start["data"], start["verb"], menu["id"], user=MIA)
        form = (await (await sender.post(press)).json())["value"]
        data = submit(form, {"narrative": story})
        invoke = teams.card_action_invoke(data, action(form, "form")["verb"], menu["id"], user=MIA)
        answer = await (await sender.post(invoke)).json()
        references |= set(REFERENCE.findall(text_of(answer["value"])))
    async with app[RUNTIME].database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(CaseRow)) == 2
    assert len(references) == 2


async def test_a_form_sent_again_after_an_error_is_one_report(
    database_url: str,
    tmp_path: Path,
    fake: FakeBotConnector,
    aiohttp_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stored, but the answer failed: the card comes back with the error, and the person
    sends that card again."""
    receipt = ReportDialog.receipt
    failed: list[int] = []

    async def fails_once(dialog: ReportDialog, case: Case, t: Translator) -> Any:
        if not failed:
            failed.append(case.id)
            raise RuntimeError("the answer was lost")
        return await receipt(dialog, case, t)

    monkeypatch.setattr(ReportDialog, "receipt", fails_once)
    settings = make_settings(fake, database_url=database_url, data_dir=tmp_path, seal_key=new_key())
    app = await create_app(settings)
    sender, teams = TeamsSender(await aiohttp_client(app)), TeamsPayloads(fake.url)
    chat = teams.personal(MIA)["id"]
    await sender.post(teams.personal_message("meld", user=MIA))
    [form_message] = await until(lambda: fake.activities(chat), "the report form")
    form = card_of(form_message)
    typed = {"narrative": "Een bezoeker bedreigde mij aan de balie."}
    invoke = teams.card_action_invoke(
        submit(form, typed), action(form, "form")["verb"], form_message["id"], user=MIA
    )
    refused = (await (await sender.post(invoke)).json())["value"]
    assert "meldbot.form" in str(refused), "the form is shown again, with the error"
    again = teams.card_action_invoke(
        submit(refused, typed), action(refused, "form")["verb"], form_message["id"], user=MIA
    )
    answer = text_of((await (await sender.post(again)).json())["value"])
    async with app[RUNTIME].database.engine.connect() as connection:
        assert await connection.scalar(select(func.count()).select_from(CaseRow)) == 1
        [reference] = list(await connection.scalars(select(CaseRow.reference)))
    assert "has been received" in answer and reference in answer
