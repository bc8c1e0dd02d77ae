"""The console's own actions, through the same role checks and outbox as the chat buttons:
hand over, internal note, message to the reporter."""

from __future__ import annotations

import pytest

from bot.case.errors import CaseError, NotAllowed
from bot.case.models import EventKind
from bot.events import Actor
from tests.core.conftest import JAN, PIET, SANNE, Harness
from tests.core.console import ANNA, RIA, report
from tests.core.test_consultation import code_in, follow
from tests.text import buttons, text_of

KARIN = Actor("web", "coord-2", "Karin Kok")


def _thread(bot: Harness) -> list[str]:
    [root] = bot.platform.roots()
    return [text_of(sent.message) for sent in bot.platform.thread(root.ref)]


def _reporter_heard(bot: Harness) -> list[str]:
    _receipt, *news = bot.platform.dms(SANNE.user_id)
    return [text_of(sent.message) for sent in news]


async def test_a_hand_over_changes_the_handler_and_tells_the_thread_and_them(
    bot: Harness,
) -> None:
    case = await report(bot, by=SANNE.user_id)
    await bot.runtime.cases.claim(JAN, case.id)
    handed = await bot.runtime.cases.hand_over(JAN, case.id, KARIN.key, "Karin Kok")
    await bot.settle()
    assert (handed.handler_id, handed.handler_name) == (KARIN.key, "Karin Kok")
    assert "Jan Jansen heeft deze zaak overgedragen aan Karin Kok." in _thread(bot)[-1]
    [note] = bot.platform.dms(KARIN.user_id)
    heard = text_of(note.message)
    assert "Jan Jansen heeft zaak M-2026-0001 aan jou overgedragen." in heard
    assert "balie" not in heard, "which case, never what was reported"
    assert "Karin Kok behandelt nu je melding M-2026-0001." in _reporter_heard(bot)[-1]
    file = await bot.runtime.cases.read(KARIN, case.id)
    assert file.events[-1].kind is EventKind.REASSIGNED and file.events[-1].note == "Karin Kok"
    assert file.case.first_contact_at is not None


async def test_a_hand_over_goes_only_to_someone_who_may_handle_the_case(bot: Harness) -> None:
    case = await report(bot)
    cases = bot.runtime.cases
    refusals = [
        (JAN, "web:staff-2", "Ahmed"),  # not a coordinator
        (JAN, "slack:U1", "Iemand"),  # a platform meldbot does not talk to
        (JAN, "console:someone", "Iemand"),  # a console identity not linked yet
        (JAN, "geen sleutel", "Iemand"),
        (JAN, KARIN.key, "  "),
    ]
    for by, key, name in refusals:
        with pytest.raises(CaseError) as refused:
            await cases.hand_over(by, case.id, key, name)
        assert not isinstance(refused.value, NotAllowed), key
    for stranger in (PIET, ANNA):
        with pytest.raises(NotAllowed):
            await cases.hand_over(stranger, case.id, KARIN.key, "Karin Kok")
    await cases.hand_over(RIA, case.id, KARIN.key, "Karin Kok")
    with pytest.raises(CaseError, match="already handles"):
        await cases.hand_over(JAN, case.id, KARIN.key, "Karin Kok")
    await cases.close(KARIN, case.id, "Klaar.", None)
    with pytest.raises(CaseError, match="closed"):
        await cases.hand_over(KARIN, case.id, JAN.key, "Jan Jansen")


async def test_an_internal_note_never_reaches_the_reporter(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    heard_before = _reporter_heard(bot)
    await bot.runtime.cases.note(JAN, case.id, "De klant is bekend bij de politie.")
    await bot.settle()
    assert _reporter_heard(bot) == heard_before
    assert "De klant is bekend bij de politie." in _thread(bot)[-1]
    assert "Samenvatting" not in _thread(bot)[-1], "a note is not a closing summary"
    with pytest.raises(NotAllowed):
        await bot.runtime.cases.note(PIET, case.id, "Ik ook.")
    with pytest.raises(CaseError, match="something"):
        await bot.runtime.cases.note(JAN, case.id, " \u200b ")
    with pytest.raises(CaseError, match="under"):
        await bot.runtime.cases.note(JAN, case.id, "x" * 3001)


async def test_a_note_is_not_in_an_anonymous_reporters_view(bot: Harness) -> None:
    values = {"narrative": "Iemand intimideert me bij de ingang.", "danger": "no", "notify": "no"}
    code = code_in(await bot.submit(SANNE, "report.anonymous", values))
    await bot.settle()
    [root] = bot.platform.roots()
    case_id = int(buttons(root.message)["case.ask"])
    await bot.runtime.cases.note(JAN, case_id, "Geheime notitie voor het team.")
    await bot.runtime.cases.message(JAN, case_id, "Dank je, we kijken ernaar.")
    shown = text_of(await follow(bot, code))
    assert "Dank je, we kijken ernaar." in shown
    assert "Geheime notitie" not in shown


async def test_a_message_reaches_the_reporter_like_a_question(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id, wants_feedback=False)
    await bot.runtime.cases.message(JAN, case.id, "Wil je me terugbellen?")
    await bot.settle()
    heard = _reporter_heard(bot)[-1]
    assert "Er is een bericht over je melding M-2026-0001." in heard
    assert "Wil je me terugbellen?" in heard
    assert "Jan Jansen stuurde de melder een bericht:" in _thread(bot)[-1]
    assert "De melder is geïnformeerd." in _thread(bot)[-1]
    with pytest.raises(CaseError, match="under"):
        await bot.runtime.cases.message(JAN, case.id, "x" * 3001)
    with pytest.raises(NotAllowed):
        await bot.runtime.cases.message(PIET, case.id, "Hallo")
