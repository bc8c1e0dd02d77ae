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
