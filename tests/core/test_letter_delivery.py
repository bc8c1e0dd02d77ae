"""A drafted letter reaches the invited manager (issue 13, item 5): the same path as a
download (role check, refusals), stored sealed per invitation, audited ``letter.send``,
a thread line without content, one outbox delivery — once per request — and the manager
downloading it (audited ``letter.download``), nobody else. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import io
import secrets
from datetime import date

import pytest
from docx import Document
from sqlalchemy import text

from bot.access.models import Principal
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import CaseEvent, EventKind, MeasureKind
from bot.letters.config import LetterSettings
from bot.letters.sending import LetterSending
from bot.letters.values import Filled
from bot.manager.models import Invitee
from bot.measures.models import Plan, Step
from tests.core.conftest import JAN, PIET, Harness, MakeBot
from tests.core.console import ANNA, MAX, report
from tests.privacy import audit_rows
from tests.text import links, text_of

NORM = "Wij behandelen elkaar met respect."
LETTERS = LetterSettings(address="Markt 1\n1234 AB Voorbeeld", house_rules=NORM, objection="x")
STORY = "De klant riep: ik weet waar je woont. Toen sloeg hij op de balie."
EXCERPT = "De klant riep: ik weet waar je woont."
WARNING = Plan(MeasureKind.WARNING_LETTER, "Leidinggevende Burgerzaken")
FILLED = Filled(EXCERPT, incident_on=date(2026, 2, 27))
PIET_KEY = Invitee("web:piet", "Piet Pieters")
REFS: dict[int, str] = {}
MAX_SIGNED_IN = Principal(MAX.subject, MAX.name, MAX.roles, "max@example.org")


def sending(bot: Harness) -> LetterSending:
    assert bot.runtime.letter_sending is not None
    return bot.runtime.letter_sending


def key() -> str:
    return secrets.token_urlsafe(24)


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


async def _rows(bot: Harness, query: str) -> list[tuple[object, ...]]:
    async with bot.runtime.database.engine.connect() as connection:
        return [tuple(row) for row in await connection.execute(text(query))]


async def _invited(bot: Harness, manager: Invitee = PIET_KEY) -> tuple[int, int, int]:
    case = await report(bot, STORY, manager_consent=True)
    REFS[case.id] = case.reference
    assert bot.runtime.measures is not None and bot.runtime.managers is not None
    measure = await bot.runtime.measures.advise(JAN, case.id, WARNING)
    invitation = await bot.runtime.managers.invite(JAN, case.id, measure.id, manager, "Zie brief.")
    await bot.settle()
    return case.id, measure.id, invitation.id


@pytest.fixture
async def minimal(make_bot: MakeBot) -> Harness:
    return await make_bot(organisation="Gemeente Voorbeeld", letters=LETTERS)


@pytest.fixture
async def full(make_bot: MakeBot) -> Harness:
    return await make_bot(
        organisation="Gemeente Voorbeeld", letters=LETTERS, channel_content="full"
    )


async def test_minimal_sends_a_link_to_the_page_and_stores_the_letter_sealed(
    minimal: Harness,
) -> None:
    bot = minimal
    case_id, measure_id, _invitation = await _invited(bot)
    before = len(bot.platform.dms(PIET.user_id))
    assert await sending(bot).send(JAN, case_id, measure_id, FILLED, key()) == 1
    await bot.settle()
    [dm] = bot.platform.dms(PIET.user_id)[before:]
    said = text_of(dm.message)
    assert "Een brief om te versturen" in said and EXCERPT not in said
    assert links(dm.message)["Openen in meldbot"].endswith("/console/zaken/" + REFS[case_id])
    assert bot.platform.uploads == [], "with minimal no file leaves meldbot"
    [(sealed,)] = await _rows(bot, "SELECT content_sealed FROM manager_letters")
    assert b"word/document.xml" not in bytes(sealed), "the .docx is sealed at rest"
    assert ("web:coord-1", "letter.send", "waarschuwingsbrief") in await audit_rows(
        bot.runtime.database, "actor", "action", "detail"
    )
    events = [e for e in await _events(bot, case_id) if e.kind is EventKind.LETTER_SENT]
    assert len(events) == 1 and events[0].note is None and events[0].text is None
    [root] = bot.platform.roots()
    lines = [text_of(s.message) for s in bot.platform.thread(root.ref)]
    line = next(line for line in lines if "brief voor de maatregel" in line)
    assert EXCERPT not in line and "Waarschuwingsbrief" in line


async def test_full_uploads_the_docx_to_the_managers_chat(full: Harness) -> None:
    bot = full
    case_id, measure_id, _invitation = await _invited(bot)
    await sending(bot).send(JAN, case_id, measure_id, FILLED, key())
    await bot.settle()
    [(address, filename, content, _alt)] = bot.platform.uploads
    assert address.conversation == f"dm:{PIET.user_id}" and filename.endswith(".docx")
    assert EXCERPT in docx_text(content) and NORM in docx_text(content)


async def test_one_request_sends_once(minimal: Harness) -> None:
    bot = minimal
    case_id, measure_id, _invitation = await _invited(bot)
    once = key()
    assert await sending(bot).send(JAN, case_id, measure_id, FILLED, once) == 1
    assert await sending(bot).send(JAN, case_id, measure_id, FILLED, once) == 0
    await bot.settle()
    assert len(await _rows(bot, "SELECT id FROM manager_letters")) == 1
    assert len(await _rows(bot, "SELECT id FROM outbox WHERE kind = 'manager.letter'")) == 1
    sends = await _rows(bot, "SELECT id FROM audit_log WHERE action = 'letter.send'")
    assert len(sends) == 1
    assert await sending(bot).send(JAN, case_id, measure_id, FILLED, key()) == 1


async def test_two_presses_at_once_send_once(minimal: Harness) -> None:
    bot = minimal
    case_id, measure_id, _invitation = await _invited(bot)
    once = key()
    pressed = [sending(bot).send(JAN, case_id, measure_id, FILLED, once) for _ in range(2)]
    assert sorted(await asyncio.gather(*pressed)) == [0, 1]
    assert len(await _rows(bot, "SELECT id FROM manager_letters")) == 1


async def test_refusals_store_and_send_nothing(minimal: Harness) -> None:
    bot = minimal
    case = await report(bot, STORY, manager_consent=True)
    assert bot.runtime.measures is not None
    lone = await bot.runtime.measures.advise(JAN, case.id, WARNING)
    with pytest.raises(CaseError, match="No manager is invited"):
        await sending(bot).send(JAN, case.id, lone.id, FILLED, key())
    with pytest.raises(CaseError, match="out of date"):
        await sending(bot).send(JAN, case.id, lone.id, FILLED, "short")
    case_id, measure_id, _invitation = await _invited(bot)
    with pytest.raises(NotAllowed):  # an analyst reads trends, never sends letters
        await sending(bot).send(ANNA, case_id, measure_id, FILLED, key())
    with pytest.raises(CaseError, match="as literally as you can"):
        await sending(bot).send(JAN, case_id, measure_id, Filled("", date(2026, 2, 27)), key())
    await bot.runtime.measures.step(JAN, case_id, measure_id, Step.DROPPED, note="Niet nodig.")
    with pytest.raises(CaseError, match="dropped"):
        await sending(bot).send(JAN, case_id, measure_id, FILLED, key())
    case_id, measure_id, _invitation = await _invited(bot)
    await bot.runtime.cases.close(JAN, case_id, "Afgehandeld.", None)
    with pytest.raises(CaseError, match="closed"):
        await sending(bot).send(JAN, case_id, measure_id, FILLED, key())
    await bot.settle()
    assert await _rows(bot, "SELECT id FROM manager_letters") == []
    assert await _rows(bot, "SELECT id FROM outbox WHERE kind = 'manager.letter'") == []
    assert await _rows(bot, "SELECT id FROM audit_log WHERE action = 'letter.send'") == []


async def test_only_the_invited_manager_downloads_and_a_mail_manager_gets_no_chat(
    full: Harness,
) -> None:
    bot = full
    manager = Invitee("email:max@example.org", "Max Manager")
    case_id, measure_id, invitation_id = await _invited(bot, manager)
    sent_before = len(bot.platform.sent)
    await sending(bot).send(JAN, case_id, measure_id, FILLED, key())
    await bot.settle()
    assert bot.platform.uploads == [] and all(
        "Een brief om te versturen" not in text_of(s.message)
        for s in bot.platform.sent[sent_before:]
    ), "a manager invited by e-mail gets it only on the page"
    assert await sending(bot).with_letter(MAX_SIGNED_IN, [invitation_id]) == {invitation_id}
    letter = await sending(bot).for_manager(MAX_SIGNED_IN, invitation_id)
    assert EXCERPT in docx_text(letter.content)
    other = Principal("other-sub", "Olga Ander", MAX.roles, "olga@example.org")
    for someone in (other, JAN, Principal("x", "Zelfde", frozenset(), "max@example.org")):
        with pytest.raises(NotAllowed):
            await sending(bot).for_manager(someone, invitation_id)
    assert await sending(bot).with_letter(other, [invitation_id]) == set()
    audit = await audit_rows(bot.runtime.database, "actor", "detail", "action")
    downloads = [(actor, detail) for actor, detail, action in audit if action == "letter.download"]
    assert downloads == [("console:max-sub", "waarschuwingsbrief")]


async def _events(bot: Harness, case_id: int) -> list[CaseEvent]:
    async with bot.runtime.database.transaction() as tx:
        return await tx.cases.events(case_id)
