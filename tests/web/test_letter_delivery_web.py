"""A letter reaches the invited manager in the web chat, through its real HTTP API and
event stream: the web chat takes no Word file from meldbot, so with ``"full"`` the
manager gets a download link served by meldbot (behind the sign-in); with ``"minimal"``
a link to their page. Never the letter's text. SQLite and PostgreSQL."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest

from bot.app import RUNTIME, create_app
from bot.case.models import MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.letters.config import LetterSettings
from bot.letters.values import Filled
from bot.manager.models import Invitee
from bot.measures.models import Plan
from bot.settings import Settings
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.web.served import MakeClient
from tests.web.webchat import WebChat, visible

COORDINATOR, REPORTER, MANAGER = "fatima", "sanne", "ahmed"
EXCERPT = "De klant riep bij de zwaluwbalie: ik weet waar je woont."
PUBLIC_URL = "https://meldbot.example.org"
Start = Callable[[str], Awaitable[tuple[WebChat, str, int]]]


@pytest.fixture
async def start(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> AsyncIterator[Start]:
    chats: list[WebChat] = []

    async def started(channel_content: str) -> tuple[WebChat, str, int]:
        settings = Settings(
            database_url=database_url,
            data_dir=tmp_path,
            seal_key=new_key(),
            web_chat="on",
            web_coordinators=[COORDINATOR],
            language="nl",
            public_url=PUBLIC_URL,
            organisation="Gemeente Voorbeeld",
            letters=LetterSettings(address="Markt 1", house_rules="Respect.", objection="-"),
            channel_content=channel_content,  # type: ignore[arg-type]
        )
        app = await create_app(settings, clock=Clock())
        chat = WebChat(await aiohttp_client(app))
        await chat.open()
        chats.append(chat)
        runtime = app[RUNTIME]
        report = NewReport(f"{EXCERPT} Toen sloeg hij.", manager_consent=True)
        case = await runtime.cases.report(report, Reporter("web", REPORTER, "Sanne"))
        assert runtime.measures and runtime.managers and runtime.letter_sending
        fatima = Actor("web", COORDINATOR, "Fatima")
        plan = Plan(MeasureKind.WARNING_LETTER, "Leidinggevende")
        measure = await runtime.measures.advise(fatima, case.id, plan)
        manager = Invitee(f"web:{MANAGER}", "Ahmed")
        invitation = await runtime.managers.invite(fatima, case.id, measure.id, manager, "-")
        filled = Filled(EXCERPT, incident_on=date(2026, 2, 27))
        key = secrets.token_urlsafe(24)
        await runtime.letter_sending.send(fatima, case.id, measure.id, filled, key)
        await runtime.outbox.settle()
        return chat, case.reference, invitation.id

    yield started
    for chat in chats:
        await chat.close()


async def test_full_gives_a_download_link_served_by_meldbot(start: Start) -> None:
    chat, _reference, invitation = await start("full")
    shown = await chat.shown(f"dm:{MANAGER}", "Je downloadt hem hier")
    assert f'href="{PUBLIC_URL}/console/uitgenodigd/{invitation}/brief"' in shown["html"]
    assert "Brief downloaden" in visible(shown["html"])
    assert EXCERPT not in shown["html"], "the letter's text stays in the file"


async def test_minimal_links_to_the_managers_page(start: Start) -> None:
    chat, reference, _invitation = await start("minimal")
    shown = await chat.shown(f"dm:{MANAGER}", "Je downloadt hem op je pagina in meldbot")
    assert f'href="{PUBLIC_URL}/console/zaken/{reference}"' in shown["html"]
    assert "/brief" not in shown["html"] and EXCERPT not in shown["html"]
