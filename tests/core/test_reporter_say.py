"""The reporter has a say (seed 002): a coordinator proposes an advised measure, the reporter
answers in their chat (Akkoord / Liever niet / Laten we praten) and the answer lands on the
case; the reporter hears when a measure was carried out. Forged and stale buttons are
refused. On SQLite and PostgreSQL, with the controlled clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from bot.case.detail import Detail
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import CaseEvent, EventKind, MeasureKind, Reporter
from bot.i18n import translator
from bot.measures.models import Plan, Step
from bot.measures.proposal import ReporterSay
from bot.measures.proposal_models import Answer
from bot.measures.say_views import thread_line
from bot.measures.service import MeasureService
from tests.core.conftest import AHMED, JAN, SANNE, Harness
from tests.core.console import ANNA, BEA, report
from tests.core.test_consultation import code_in, follow
from tests.text import block_text, buttons, text_of

TALK = Plan(MeasureKind.ORDER_TALK, "Leidinggevende Burgerzaken")
WORDS = "We denken dat een gesprek met de klant helpt."


def say(bot: Harness) -> ReporterSay:
    assert bot.runtime.proposals is not None
    return bot.runtime.proposals


def measures(bot: Harness) -> MeasureService:
    assert bot.runtime.measures is not None
    return bot.runtime.measures


def _thread(bot: Harness) -> str:
    [root] = bot.platform.roots()
    return "\n".join(text_of(sent.message) for sent in bot.platform.thread(root.ref))


async def _count(bot: Harness, table: str) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def _proposed(bot: Harness) -> tuple[int, int, dict[str, str]]:
    """A case with an advised talk proposed to Sanne: (case id, measure id, her buttons)."""
    case = await report(bot, by=SANNE.user_id)
    talk = await measures(bot).advise(JAN, case.id, TALK)
    await say(bot).propose(JAN, case.id, talk.id, WORDS)
    await bot.settle()
    question = bot.platform.dms(SANNE.user_id)[-1].message
    return case.id, talk.id, buttons(question)


async def test_the_reporter_is_asked_in_plain_words_and_the_answer_lands_on_the_case(
    bot: Harness,
) -> None:
    case_id, talk_id, pressed = await _proposed(bot)
    question = bot.platform.dms(SANNE.user_id)[-1].message
    shown = text_of(question)
    assert "Wat vind je van dit voorstel?" in shown and "Ordegesprek" in shown
    assert "spreekt de persoon aan op het gedrag" in shown and WORDS in shown
    assert set(pressed) == {"proposal.agree", "proposal.rather_not", "proposal.talk"}
    assert [b.label for b in question.blocks[-1].buttons] == [  # type: ignore[union-attr]
        "Akkoord",
        "Liever niet",
        "Laten we praten",
    ]
    thread = _thread(bot)
    assert "Jan Jansen vroeg de melder wat die vindt van de maatregel Ordegesprek." in thread
    assert WORDS in thread, "the web chat is meldbot's own surface: it shows content"

    answered = await bot.press(SANNE, "proposal.talk", pressed["proposal.talk"])
    assert answered.replace is not None and "wilt praten" in text_of(answered.replace)
    await bot.settle()
    assert "De melder wil praten over de maatregel Ordegesprek. Bel de melder." in _thread(bot)
    [proposal] = await say(bot).of_case(JAN, case_id)
    assert (proposal.measure_id, proposal.answer) == (talk_id, Answer.TALK)
    assert proposal.answered_at == bot.clock()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    entries = await bot.runtime.audit.of_case(BEA, case.reference)
    found = [
        (e.action, e.detail) for e in entries if e.action in {"measure.propose", "proposal.answer"}
    ]
    assert found == [("measure.propose", None), ("proposal.answer", "talk")]
    assert await _count(bot, "measure_proposals") == 1


async def test_forged_and_stale_buttons_are_refused_and_change_nothing(bot: Harness) -> None:
    case_id, _talk, pressed = await _proposed(bot)
    value = pressed["proposal.agree"]
    _, event_id = value.split(":")
    other = await report(bot, "Iemand anders werd uitgescholden.", by=AHMED.user_id)
    for who, forged in (
        (AHMED, value),  # not the reporter
        (SANNE, f"{other.id}:{event_id}"),  # another case
        (SANNE, f"{case_id}:999999"),  # no such proposal
        (SANNE, "nonsense"),
    ):
        refused = await bot.press(who, "proposal.agree", forged)
        assert refused.private and "niet van jou" in text_of(refused.private[0]), forged
    await bot.press(SANNE, "proposal.rather_not", value)
    again = await bot.press(SANNE, "proposal.agree", value)
    assert again.private and "al beantwoord" in text_of(again.private[0])
    [proposal] = await say(bot).of_case(JAN, case_id)
    assert proposal.answer is Answer.RATHER_NOT
    with pytest.raises(NotAllowed):
        await say(bot).answer(AHMED, value, Answer.AGREE)
    async with bot.runtime.database.engine.connect() as connection:
        kinds = (await connection.execute(text("SELECT kind FROM case_events"))).scalars().all()
    assert [k for k in kinds if k.startswith("proposal_")] == ["proposal_rather_not"]


async def test_a_closed_case_a_dropped_measure_and_an_open_proposal_are_refused(
    bot: Harness,
) -> None:
    case = await report(bot, by=SANNE.user_id)
    talk = await measures(bot).advise(JAN, case.id, TALK)
    await say(bot).propose(JAN, case.id, talk.id)
    with pytest.raises(CaseError, match="not answered the proposal"):
        await say(bot).propose(JAN, case.id, talk.id)
    letter = await measures(bot).advise(
        JAN, case.id, Plan(MeasureKind.WARNING_LETTER, "Leidinggevende")
    )
    await measures(bot).step(JAN, case.id, letter.id, Step.DROPPED, "Niet nodig.")
    with pytest.raises(CaseError, match="dropped or evaluated"):
        await say(bot).propose(JAN, case.id, letter.id)
    other = await report(bot, "Een ander voorval.", by=AHMED.user_id)
    with pytest.raises(CaseError, match="not with this case"):
        await say(bot).propose(JAN, other.id, talk.id)
    with pytest.raises(CaseError, match="keep it under"):
        await say(bot).propose(JAN, other.id, talk.id, "x" * 3001)
    with pytest.raises(NotAllowed):
        await say(bot).propose(ANNA, case.id, talk.id)
    await bot.runtime.cases.close(JAN, case.id, "Afgerond.", None)
    with pytest.raises(CaseError, match="closed"):
        await say(bot).propose(JAN, case.id, talk.id)
    assert await _count(bot, "measure_proposals") == 1, "nothing half-saved"


async def test_the_reporter_hears_a_measure_was_carried_out_and_not_the_other_steps(
    bot: Harness,
) -> None:
    case = await report(bot, by=SANNE.user_id)
    talk = await measures(bot).advise(JAN, case.id, TALK)
    await measures(bot).step(JAN, case.id, talk.id, Step.AGREED)
    await bot.settle()
    before = len(bot.platform.dms(SANNE.user_id))
    await measures(bot).step(JAN, case.id, talk.id, Step.CARRIED_OUT, "Interne notitie.")
    await measures(bot).step(JAN, case.id, talk.id, Step.EVALUATED, "Rustig gebleven.")
    await bot.settle()
    heard = [text_of(sent.message) for sent in bot.platform.dms(SANNE.user_id)[before:]]
    assert len(heard) == 1, heard
    assert "Goed om te weten: voor je melding" in heard[0] and "Ordegesprek" in heard[0]
    assert "Interne notitie." not in heard[0], "the step's note is for coordinators"


async def test_an_anonymous_reporter_reads_the_proposal_with_their_code(bot: Harness) -> None:
    values = {"narrative": "Ik werd uitgescholden bij de balie.", "danger": "no", "notify": "no"}
    code = code_in(await bot.submit(SANNE, "report.anonymous", values))
    await bot.settle()
    [root] = bot.platform.roots()
    case_id = int(buttons(root.message)["case.ask"])
    talk = await measures(bot).advise(JAN, case_id, TALK)
    await say(bot).propose(JAN, case_id, talk.id, WORDS)
    await measures(bot).step(JAN, case_id, talk.id, Step.AGREED)
    await measures(bot).step(JAN, case_id, talk.id, Step.CARRIED_OUT)
    await bot.settle()
    view = text_of(await follow(bot, code))
    assert "Wat vind je van dit voorstel?" in view and WORDS in view
    assert "knop Reageren" in view and "Deze maatregel is uitgevoerd: Ordegesprek." in view


async def test_a_reporter_without_a_chat_or_a_code_cannot_be_asked(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    talk = await measures(bot).advise(JAN, case.id, TALK)
    async with bot.runtime.database.engine.begin() as connection:
        await connection.execute(
            text(
                "UPDATE cases SET reporter_hash = NULL, reporter_sealed = NULL, "
                "reporter_name_sealed = NULL"
            )
        )
    with pytest.raises(CaseError, match="anonymous without a receipt code"):
        await say(bot).propose(JAN, case.id, talk.id)


def test_the_thread_line_of_an_answer_names_the_measure_only() -> None:
    at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    event = CaseEvent(1, 1, EventKind.PROPOSAL_AGREED, at, "Sanne", measure=MeasureKind.CALL_BAN)
    blocks = thread_line(event, translator("nl"), Detail(False, "https://meldbot.example"))
    assert [block_text(b) for b in blocks] == ["De melder is akkoord met de maatregel Belverbod."]
    asked = CaseEvent(2, 1, EventKind.MEASURE_PROPOSED, at, "Jan", text=WORDS, measure=None)
    minimal = thread_line(asked, translator("nl"), Detail(False, "https://meldbot.example"))
    assert WORDS not in " ".join(block_text(b) for b in minimal)
    assert "lees het in meldbot" in block_text(minimal[-1])
