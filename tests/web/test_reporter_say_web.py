"""End to end in the web chat: the reporter's say on a proposed measure, through the web
chat's own JSON endpoints and live stream, against the real composition root and database
(SQLite and PostgreSQL). Sanne answers with the buttons in her chat; the answer lands in the
case's thread; a second press and a colleague's press are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import MeasureKind, Reporter
from bot.events import Actor
from bot.measures.models import Plan, Step
from bot.measures.proposal_models import Answer
from bot.settings import Settings
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.waiting import until
from tests.web.webchat import Client, Json, WebChat, buttons, visible

MakeClient = Callable[[web.Application], Awaitable[Client]]
CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
WORDS = "Zullen we de klant hierop aanspreken?"
FATIMA = Actor("web", "fatima", "Fatima")


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


def with_button(chat: WebChat, action: str) -> Json | None:
    found = [m for m in chat.messages("dm:sanne") if action in buttons(m["html"])]
    return found[-1] if found else None


def said(chat: WebChat, words: str) -> list[str]:
    return [m["html"] for m in chat.pushed if words in visible(m["html"])]


async def test_sanne_answers_a_proposal_in_her_chat_and_hears_it_was_carried_out(
    running: tuple[WebChat, Runtime],
) -> None:
    chat, runtime = running
    assert runtime.measures is not None and runtime.proposals is not None
    await chat.say("chat", "sanne", CALM)
    draft = await until(lambda: with_button(chat, "report.send"), "the draft")
    await chat.press("chat", "sanne", draft, "report.send")
    await chat.shown("dm:sanne", "Je melding is ontvangen")
    card = await chat.shown("coordinators", "M-", root=True)
    [case] = await runtime.cases.cases_of(Reporter("web", "sanne"))
    talk = await runtime.measures.advise(
        FATIMA, case.id, Plan(MeasureKind.WARNING_LETTER, "Leidinggevende")
    )
    since = chat.mark()
    await runtime.proposals.propose(FATIMA, case.id, talk.id, WORDS)
    question = await chat.shown("dm:sanne", "Wat vind je van dit voorstel?", since=since)
    shown = visible(question["html"])
    assert "Waarschuwingsbrief" in shown and "krijgt een brief" in shown and WORDS in shown
    pressed = buttons(question["html"])
    assert set(pressed) == {"proposal.agree", "proposal.rather_not", "proposal.talk"}
    assert "Akkoord" in shown and "Liever niet" in shown and "Laten we praten" in shown
    await chat.shown("coordinators", "vroeg de melder wat die vindt", thread=card["id"])

    # A forged press: Ahmed sends Sanne's button as his own; the web chat's edge refuses.
    forged = {"pane": "chat", "persona": "ahmed", "message": question["id"]}
    forged |= {"action": "proposal.agree", "value": pressed["proposal.agree"]}
    await chat.post("action", forged, status=409)
    await chat.post("action", forged | {"message": None}, status=409)
    await chat.press("chat", "sanne", question, "proposal.talk")
    await chat.shown("dm:sanne", "je erover wilt praten")
    line = "De melder wil praten over de maatregel Waarschuwingsbrief. Bel de melder."
    await chat.shown("coordinators", line, thread=card["id"])
    # The answered question has no buttons left: pressing it again is refused too.
    await chat.post("action", forged | {"persona": "sanne"}, status=409)
    [proposal] = await runtime.proposals.of_case(FATIMA, case.id)
    assert proposal.answer is Answer.TALK, "answered once: nothing else changed it"
    assert not said(chat, "akkoord bent")

    since = chat.mark()
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await runtime.measures.step(FATIMA, case.id, talk.id, step)
    told = await chat.shown("dm:sanne", "is deze maatregel uitgevoerd", since=since)
    assert "Waarschuwingsbrief" in visible(told["html"])
