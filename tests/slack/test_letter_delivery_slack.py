"""A letter reaches the invited manager on Slack, through slack-bolt's client with Slack
faked at its HTTP edge: with ``channel_content = "full"`` the .docx itself in the
manager's DM (files_upload_v2), whose bytes open with python-docx and hold the excerpt;
with "minimal" a message with a link to their page and no file."""

from __future__ import annotations

import io
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from docx import Document

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.letters.config import LetterSettings
from bot.letters.values import Filled
from bot.manager.models import Invitee
from bot.measures.models import Plan
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.fakes.slack_api import FakeSlack
from tests.slack.anonymity_support import text_of
from tests.slack.support import make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
JAN, ANNA, MAX = "UJAN", "UANNA", "UMAX"
PUBLIC_URL = "https://meldbot.example.org"
EXCERPT = "De klant riep bij de havikbalie: ik weet waar je woont."
LETTERS = LetterSettings(
    address="Markt 1\n1234 AB Voorbeeld", house_rules="Respect.", objection="-"
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as started:
        yield started


async def _sent(
    tmp_path: Path, fake: FakeSlack, aiohttp_client: MakeClient, channel_content: str
) -> tuple[Runtime, str]:
    settings = make_settings(
        fake,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        public_url=PUBLIC_URL,
        slack_coordinators=[JAN],
        language="nl",
        organisation="Gemeente Voorbeeld",
        letters=LETTERS,
        channel_content=channel_content,
    )
    app = await create_app(settings, clock=Clock())
    await aiohttp_client(app)
    runtime = app[RUNTIME]
    report = NewReport(f"{EXCERPT} Toen sloeg hij op de balie.", manager_consent=True)
    case = await runtime.cases.report(report, Reporter("slack", ANNA, "Anna"))
    assert runtime.measures and runtime.managers and runtime.letter_sending
    jan = Actor("slack", JAN, "Jan")
    plan = Plan(MeasureKind.WARNING_LETTER, "Leidinggevende Burgerzaken")
    measure = await runtime.measures.advise(jan, case.id, plan)
    await runtime.managers.invite(jan, case.id, measure.id, Invitee(f"slack:{MAX}", "Max"), "-")
    await runtime.outbox.settle()
    filled = Filled(EXCERPT, incident_on=date(2026, 2, 27))
    key = secrets.token_urlsafe(24)
    assert await runtime.letter_sending.send(jan, case.id, measure.id, filled, key) == 1
    await runtime.outbox.settle()
    return runtime, case.reference


async def test_full_puts_the_docx_in_the_managers_dm(
    tmp_path: Path, fake: FakeSlack, aiohttp_client: MakeClient
) -> None:
    _runtime, reference = await _sent(tmp_path, fake, aiohttp_client, "full")
    [file] = await until(lambda: fake.shared_files("D" + MAX), "the letter in Max's DM")
    assert file.filename == f"waarschuwingsbrief-{reference}.docx"
    assert file.title and reference in file.title and EXCERPT not in file.title
    assert file.content is not None
    body = "\n".join(p.text for p in Document(io.BytesIO(file.content)).paragraphs)
    assert EXCERPT in body and "Toen sloeg hij" not in body
    assert fake.shared_files("D" + ANNA) == [], "the letter goes to the manager only"


async def test_minimal_sends_a_link_and_no_file(
    tmp_path: Path, fake: FakeSlack, aiohttp_client: MakeClient
) -> None:
    _runtime, reference = await _sent(tmp_path, fake, aiohttp_client, "minimal")
    letter = await until(
        lambda: [
            m
            for m in fake.in_channel("D" + MAX)
            if "Een brief om te versturen" in text_of(m.blocks)
        ],
        "the letter's message in Max's DM",
    )
    [message] = letter
    assert f"{PUBLIC_URL}/console/zaken/{reference}" in str(message.blocks)
    assert EXCERPT not in text_of(message.blocks)
    assert fake.calls_to("files.getUploadURLExternal") == [], "minimal: no file leaves meldbot"
    assert fake.shared_files("D" + MAX) == []
