"""The manager loop in the web chat, through its real HTTP API and event stream: the
reporter's consent by button, the manager persona's invitation (the web chat is meldbot's
own surface, so what was shared is shown), "Hoe ging het?" answered in its form, the
thread line for the coordinators, and a forged answer refused. SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import MeasureKind, NewReport, Reporter
from bot.events import Actor
from bot.manager.models import Invitee
from bot.measures.models import Plan
from bot.settings import Settings
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.web.served import MakeClient
from tests.web.webchat import WebChat, buttons, visible

COORDINATOR = "fatima"
REPORTER, MANAGER, OTHER = "sanne", "ahmed", "piet"
SHARED = "De klant bij de zwaluwbalie was boos. Nodig hem uit voor een <gesprek>."
NOTE = "Het gesprek ging goed; hij bood excuses aan."


@pytest.fixture
async def running(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient
) -> AsyncIterator[tuple[WebChat, Runtime, Clock]]:
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=[COORDINATOR],
        language="nl",
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    chat = WebChat(await aiohttp_client(app))
    await chat.open()
    yield chat, app[RUNTIME], clock
    await chat.close()


async def test_the_manager_loop_in_the_web_chat(
    running: tuple[WebChat, Runtime, Clock],
) -> None:
    chat, runtime, clock = running
    case = await runtime.cases.report(
        NewReport("Een klant schold bij de zwaluwbalie."), Reporter("web", REPORTER, "Sanne")
    )
    assert runtime.measures is not None and runtime.managers is not None
    fatima = Actor("web", COORDINATOR, "Fatima")
    plan = Plan(MeasureKind.ORDER_TALK, "Leidinggevende", planned_on=date(2026, 3, 4))
    measure = await runtime.measures.advise(fatima, case.id, plan)
    await runtime.managers.ask_consent(fatima, case.id)
    await runtime.outbox.settle()

    question = await chat.shown(f"dm:{REPORTER}", "Niets gebeurt zonder jouw ja")
    assert set(buttons(question["html"])) == {"consent.yes", "consent.no"}
    value = buttons(question["html"])["consent.yes"]
    forged = {"pane": "chat", "persona": OTHER, "message": question["id"]}
    refused = await chat.post("action", forged | {"action": "consent.yes", "value": value}, 409)
    assert refused["ok"] is False, "someone else cannot press the reporter's button"
    await chat.press("chat", REPORTER, question, "consent.yes")
    await chat.shown(f"dm:{REPORTER}", "Nu mag de coördinator je leidinggevende betrekken")

    manager = Invitee(f"web:{MANAGER}", "Ahmed")
    await runtime.managers.invite(fatima, case.id, measure.id, manager, SHARED)
    await runtime.outbox.settle()
    invited = await chat.shown(f"dm:{MANAGER}", "Je wordt gevraagd een maatregel uit te voeren")
    shown = visible(invited["html"])
    assert "Nodig hem uit voor een <gesprek>." in shown, "the web chat shows what was shared"
    assert "&lt;gesprek&gt;" in invited["html"], "escaped for the page"
    assert "Tips voor jou" in shown and "zwaluwbalie was boos" in shown
    assert "schold" not in shown, "nothing else of the case"

    clock.now = datetime(2026, 3, 5, 9, 1, tzinfo=UTC)
    await runtime.scheduler.tick()
    await runtime.outbox.settle()
    how = await chat.shown(f"dm:{MANAGER}", "Hoe ging het?")
    form = await chat.press("chat", MANAGER, how, "manager.done")
    assert form is not None
    bad = await chat.post("form", {"token": form["token"], "values": {"answer": "best"}}, 422)
    assert "Kies een van de mogelijkheden." in bad["form"]["html"], "not an option: refused"
    await chat.fill("chat", form, {"answer": "done", "note": NOTE})
    await chat.shown(f"dm:{MANAGER}", "je antwoord is bij het meldpunt")
    await runtime.outbox.settle()
    line = await chat.shown("coordinators", "De leidinggevende meldt: de maatregel Ordegesprek")
    assert "is gedaan" in visible(line["html"])
    assert NOTE in visible(line["html"]), "the web chat is meldbot's own: the note is there"
