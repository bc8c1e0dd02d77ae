"""Anonymous means anonymous, in the web chat, end to end.

One staff member consults and reports anonymously through the web chat's own JSON
endpoints, against the real composition root and a real database (SQLite and
PostgreSQL). Afterwards every table and column (sealed ones opened), every captured
log line and everything the coordinator channel was ever shown is searched for the
person's identifiers and their hashes: none may be found. A named report by the same
person at the end proves that the search does see them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from aiohttp import web

from adapters.web import personas
from bot.app import RUNTIME, Runtime, create_app
from bot.settings import Settings
from storage.sealing import new_key
from tests.core.conftest import Clock
from tests.privacy import log_lines_holding, tables_holding
from tests.web.webchat import Client, Json, WebChat, buttons, receipt_code, visible

MakeClient = Callable[[web.Application], Awaitable[Client]]

# Identifiers nothing else in meldbot could contain by chance.
STAFF = "u07sanne4q2"
NAME = "Sanne Verbeek-Anoniem"
DM = f"dm:{STAFF}"  # the web chat's personal conversation with this person
IDENTIFIERS = [STAFF, NAME, DM]
COORDINATOR = "fatima"
HONEST = "meldbot slaat niet op wie je bent. Deze webchat draait op een server van je organisatie"
REFERENCE = re.compile(r"M-\d{4}-\d{4}")

QUESTION = "Een klant wacht me elke avond op bij de uitgang. Moet ik dat melden?"
ANSWER = "Ja, dat is intimidatie. Maak er gerust een melding van."
REPLY = "Dank je, ik denk erover na."
NARRATIVE = "Een klant wacht me al twee weken elke avond op bij de personeelsuitgang."
CASE_QUESTION = "Weet je welke dagen hij er stond?"
CASE_ANSWER = "Maandag, woensdag en vrijdag, steeds rond zes uur."
DIRECT = "Een bezoeker schold mij uit aan de balie en gooide een stoel om."
NOTIFY_QUESTION = "Mijn leidinggevende maakt grapjes over mijn afkomst. Is dat iets voor jullie?"
NOTIFY_ANSWER = "Ja, zeker. Bel ons gerust of beantwoord dit met je code."


@pytest.fixture
async def running(
    database_url: str, tmp_path: Path, aiohttp_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[WebChat, Runtime]]:
    # A staff persona with a distinctive id: "sanne" is too short to search for reliably.
    monkeypatch.setattr(personas, "_STAFF", ((STAFF, NAME), *personas._STAFF))
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        seal_key=new_key(),
        web_chat="on",
        web_coordinators=[COORDINATOR],
        language="nl",
    )
    app = await create_app(settings, clock=Clock())
    chat = WebChat(await aiohttp_client(app))
    await chat.open()
    yield chat, app[RUNTIME]
    await chat.close()


def capture_logs(caplog: pytest.LogCaptureFixture) -> None:
    """INFO for everything, DEBUG for meldbot's own loggers."""
    caplog.set_level(logging.INFO)
    for name in ("meldbot", "bot", "dialogs", "storage", "adapters"):
        caplog.set_level(logging.DEBUG, logger=name)


async def stored(runtime: Runtime) -> dict[str, list[str]]:
    database = runtime.database
    return await tables_holding(database.engine, database._sealer, IDENTIFIERS)


async def consult(chat: WebChat, question: str, notify: str) -> tuple[str, Json]:
    """A consultation from the home button; the receipt code and the coordinators' card."""
    form = await chat.press("chat", STAFF, None, "consult.start", "")
    assert form is not None and HONEST in visible(form["html"]), "said before typing"
    since = chat.mark()
    await chat.fill("chat", form, {"situation": question, "notify": notify})
    code = receipt_code(await chat.shown(DM, "Je ontvangstcode", since=since))
    card = await chat.shown("coordinators", f"Overleg · Anonieme collega · {code[:4]}", root=True)
    assert set(buttons(card["html"])) == {"consult.answer", "consult.close"}
    return code, card


async def consultation_becomes_a_case(chat: WebChat) -> None:
    """(1) answered, read with the code, replied to, made an anonymous report, asked about."""
    code, card = await consult(chat, QUESTION, "no")
    await chat.form_of("coordinators", COORDINATOR, card, "consult.answer", {"answer": ANSWER})
    await chat.shown("coordinators", ANSWER, thread=card["id"])

    await chat.say("chat", STAFF, f"status {code}")
    view = await chat.shown(DM, ANSWER)
    assert QUESTION in visible(view["html"])
    await chat.form_of("chat", STAFF, view, "consult.reply", {"text": REPLY})
    await chat.shown(DM, "Verstuurd.")
    await chat.shown("coordinators", REPLY, thread=card["id"])

    await chat.say("chat", STAFF, code)  # the code alone, as shown
    view = await chat.shown(DM, REPLY)
    form = await chat.press("chat", STAFF, view, "consult.report")
    assert form is not None and QUESTION in form["html"], "the question is the draft"
    report = {"narrative": NARRATIVE, "identity": "anonymous", "category": "intimidation"}
    await chat.fill("chat", form, {**report, "when": "earlier", "location": "", "danger": "no"})
    done = await chat.shown(DM, "Je ontvangstcode blijft dezelfde")
    reference = REFERENCE.search(visible(done["html"]))
    assert reference is not None
    case = await chat.shown("coordinators", reference.group(0), root=True)
    assert f"Melder: Anonieme collega · {code[:4]}" in visible(case["html"])
    await chat.shown("coordinators", f"anonieme melding {reference.group(0)}", thread=card["id"])

    await chat.press("coordinators", COORDINATOR, case, "case.claim")
    case = await chat.shown("coordinators", "In behandeling", root=True)
    ask = {"question": CASE_QUESTION}
    await chat.form_of("coordinators", COORDINATOR, case, "case.ask", ask)
    await chat.shown("coordinators", CASE_QUESTION, thread=case["id"])

    await chat.say("chat", STAFF, f"status {code}")
    view = await chat.shown(DM, CASE_QUESTION)
    assert set(buttons(view["html"])) == {"consult.reply"}
    await chat.form_of("chat", STAFF, view, "consult.reply", {"text": CASE_ANSWER})
    await chat.shown("coordinators", CASE_ANSWER, thread=case["id"])


async def direct_anonymous_report(chat: WebChat) -> None:
    """(2) an anonymous report straight from the menu."""
    form = await chat.press("chat", STAFF, None, "report.anonymous", "")
    assert form is not None and HONEST in visible(form["html"])
    answers = {"narrative": DIRECT, "category": "verbal_aggression", "when": "just_now"}
    since = chat.mark()
    await chat.fill("chat", form, {**answers, "location": "balie", "danger": "no", "notify": "no"})
    code = receipt_code(await chat.shown(DM, "Je ontvangstcode", since=since))
    case = await chat.shown("coordinators", f"Melder: Anonieme collega · {code[:4]}", root=True)
    assert DIRECT in visible(case["html"])


async def noticed_then_closed(chat: WebChat, runtime: Runtime) -> None:
    """(3) with a notice: the contact is kept, sealed, until the coordinator closes."""
    _code, card = await consult(chat, NOTIFY_QUESTION, "yes")
    assert await stored(runtime) == {"receipts.contact_sealed": [STAFF]}, "only the contact"
    answer = {"answer": NOTIFY_ANSWER}
    await chat.form_of("coordinators", COORDINATOR, card, "consult.answer", answer)
    notice = await chat.shown(DM, "Er is nieuws over wat je anoniem hebt gevraagd")
    assert NOTIFY_ANSWER not in visible(notice["html"]), "the notice carries no content"
    assert set(buttons(notice["html"])) == {"receipt.enter"}

    await chat.press("coordinators", COORDINATOR, chat.latest[card["id"]], "consult.close")
    await chat.shown("coordinators", "heeft dit overleg gesloten", thread=card["id"])


async def test_anonymous_consultations_and_reports_leave_no_trace(
    running: tuple[WebChat, Runtime], caplog: pytest.LogCaptureFixture
) -> None:
    chat, runtime = running
    capture_logs(caplog)
    await chat.home(STAFF)

    await consultation_becomes_a_case(chat)
    await direct_anonymous_report(chat)
    await noticed_then_closed(chat, runtime)
    await runtime.outbox.settle()
    await chat.caught_up(COORDINATOR)

    assert await stored(runtime) == {}
    assert log_lines_holding(caplog.records, IDENTIFIERS) == []
    shown = chat.seen_by_coordinators()
    assert len(shown) > 20
    for text in shown:
        for clue in (*IDENTIFIERS, "Sanne", "Verbeek"):
            assert clue.casefold() not in text.casefold(), (clue, text)

    # The control: the same person reports with their name, and is found at once.
    form = await chat.press("chat", STAFF, None, "report.start", "")
    since = chat.mark()
    await chat.fill("chat", form, {"narrative": "Met naam: hij dreigde mij.", "feedback": "yes"})
    await chat.shown(DM, "is ontvangen", since=since)
    await runtime.outbox.settle()
    await chat.caught_up(COORDINATOR)
    found = await stored(runtime)
    assert STAFF in found["cases.reporter_sealed"] and NAME in found["cases.reporter_name_sealed"]
    assert any(NAME in text for text in chat.seen_by_coordinators())


async def test_a_story_typed_before_going_anonymous_is_not_kept_with_the_person(
    running: tuple[WebChat, Runtime],
) -> None:
    """Typed under their name, then sent anonymously: the draft goes along in the form,
    and neither what they typed nor the draft that quoted it stays in their chat's history."""
    chat, runtime = running
    await chat.home(STAFF)
    await chat.say("chat", STAFF, DIRECT)
    await chat.shown(DM, DIRECT, since=0)
    form = await chat.press("chat", STAFF, None, "report.anonymous", "")
    assert form is not None and DIRECT in visible(form["html"]), "carried along"
    answers = {"narrative": DIRECT, "category": "verbal_aggression", "when": "just_now"}
    since = chat.mark()
    await chat.fill("chat", form, {**answers, "location": "balie", "danger": "no", "notify": "no"})
    await chat.shown(DM, "Je ontvangstcode", since=since)
    await runtime.outbox.settle()
    await chat.caught_up(COORDINATOR)
    assert await stored(runtime) == {}
