"""Measures as things with a life (seed 004): advised, agreed, carried out, evaluated or
dropped, each step in the history, the thread and the audit log; every refusal says what
to change and saves nothing. On SQLite and PostgreSQL (the ``database_url`` fixture)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from bot.case.detail import Detail
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import CaseEvent, EventKind, MeasureKind
from bot.i18n import Translator
from bot.measures import guidance
from bot.measures.models import LADDER, Plan, Step, in_ladder_order
from bot.measures.service import MeasureService
from bot.measures.views import shown, step_note
from bot.ui import Block
from tests.core.conftest import JAN, PIET, SANNE, Harness
from tests.core.console import ANNA, BEA, report
from tests.text import block_text, text_of

TODAY = date(2026, 3, 2)  # the harness clock: Monday 2 March 2026, 10:00 in Amsterdam
TALK = Plan(MeasureKind.ORDER_TALK, "Leidinggevende Burgerzaken", planned_on=date(2026, 3, 4))
BAN = Plan(
    MeasureKind.BUILDING_BAN,
    "Leidinggevende Burgerzaken",
    starts_on=date(2026, 3, 5),
    ends_on=date(2026, 9, 5),
    note="Alleen het stadskantoor.",
)


def measures(bot: Harness) -> MeasureService:
    assert bot.runtime.measures is not None
    return bot.runtime.measures


def _thread(bot: Harness) -> list[str]:
    [root] = bot.platform.roots()
    return [text_of(sent.message) for sent in bot.platform.thread(root.ref)]


def _text(blocks: list[Block]) -> str:
    return "\n".join(block_text(block) for block in blocks)


async def _count(bot: Harness, table: str) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar_one())


async def test_a_measure_lives_from_advised_to_evaluated_with_its_history(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    advised = await measures(bot).advise(JAN, case.id, TALK)
    assert (advised.step, advised.carried_out_by) == (Step.ADVISED, "Leidinggevende Burgerzaken")
    for step, note in (
        (Step.AGREED, None),
        (Step.CARRIED_OUT, "De burger bood excuses aan."),
        (Step.EVALUATED, "Het is rustig gebleven."),
    ):
        bot.clock.advance(days=1)
        await measures(bot).step(JAN, case.id, advised.id, step, note)
    await bot.settle()
    [stored] = await measures(bot).of_case(JAN, case.id)
    assert stored.step is Step.EVALUATED and stored.planned_on == date(2026, 3, 4)
    assert [one.step for one in stored.history] == [
        Step.ADVISED,
        Step.AGREED,
        Step.CARRIED_OUT,
        Step.EVALUATED,
    ]
    assert [one.note for one in stored.history][2:] == [
        "De burger bood excuses aan.",
        "Het is rustig gebleven.",
    ]
    assert {one.actor_name for one in stored.history} == {"Jan Jansen"}
    assert stored.history[-1].at == datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    file = await bot.runtime.cases.read(JAN, case.id)
    assert file.case.measure is MeasureKind.ORDER_TALK, "an agreed measure counts in the trends"
    kinds = [e.kind for e in file.events if e.measure]
    assert kinds == [
        EventKind.MEASURE_ADVISED,
        EventKind.MEASURE_AGREED,
        EventKind.MEASURE_CARRIED_OUT,
        EventKind.MEASURE_EVALUATED,
    ]
    thread = _thread(bot)
    assert "Jan Jansen legde een stap vast bij de maatregel Ordegesprek" in thread[-4]
    assert ": Geëvalueerd." in thread[-1]
    assert "Het is rustig gebleven." in thread[-1], "the web chat is meldbot's own surface"
    heard = [text_of(sent.message) for sent in bot.platform.dms(SANNE.user_id)]
    about = [one for one in heard[1:] if "maatregel" in one.lower()]
    assert len(about) == 1 and "is deze maatregel uitgevoerd" in about[0], "only carried out"


async def test_each_step_is_audited_and_the_sealed_note_is_not_stored_in_plain(
    bot: Harness,
) -> None:
    case = await report(bot)
    ban = await measures(bot).advise(JAN, case.id, BAN)
    await measures(bot).step(JAN, case.id, ban.id, Step.DROPPED, "De burger is verhuisd.")
    entries = await bot.runtime.audit.of_case(BEA, case.reference)
    found = [(e.action, e.detail) for e in entries if e.action.startswith("measure.")]
    assert found == [
        ("measure.advise", "building_ban"),
        ("measure.step", "building_ban dropped"),
    ]
    async with bot.runtime.database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM measure_steps"))).all()
        measure = (await connection.execute(text("SELECT * FROM measures"))).one()
    stored = repr(rows) + repr(measure)
    assert "verhuisd" not in stored and "Burgerzaken" not in stored and "stadskantoor" not in stored
    [back] = await measures(bot).of_case(JAN, case.id)
    assert back.history[-1].note == "De burger is verhuisd." and back.step is Step.DROPPED
    assert (back.starts_on, back.ends_on) == (date(2026, 3, 5), date(2026, 9, 5))


async def test_a_dropped_measure_no_longer_counts_for_the_case(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    service = measures(bot)
    talk = await service.advise(JAN, case.id, TALK)
    ban = await service.advise(JAN, case.id, BAN)
    await service.step(JAN, case.id, talk.id, Step.AGREED)
    bot.clock.advance(hours=1)
    await service.step(JAN, case.id, ban.id, Step.AGREED)

    async def counted() -> MeasureKind | None:
        return (await bot.runtime.cases.read(JAN, case.id)).case.measure

    assert await counted() is MeasureKind.BUILDING_BAN
    await service.step(JAN, case.id, ban.id, Step.DROPPED, "De burger is verhuisd.")
    assert await counted() is MeasureKind.ORDER_TALK, "the talk that was agreed still counts"
    await service.step(JAN, case.id, talk.id, Step.DROPPED, "Niet meer nodig.")
    assert await counted() is None


@pytest.mark.parametrize(
    ("plan", "complaint"),
    [
        (replace(TALK, planned_on=date(2026, 3, 1)), "in the past"),
        (replace(BAN, ends_on=date(2026, 3, 4)), "ends before it starts"),
        (replace(BAN, ends_on=None), "needs a start date and an end date"),
        (replace(TALK, starts_on=TODAY), "Only a call ban or a building ban"),
        (replace(TALK, carried_out_by="   "), "Write who carries out"),
        (replace(TALK, kind=MeasureKind.NONE), "Choose a measure"),
        (replace(TALK, note="x" * 3001), "under 3000 characters"),
    ],
)
async def test_a_bad_plan_is_refused_with_what_to_change_and_nothing_saved(
    bot: Harness, plan: Plan, complaint: str
) -> None:
    case = await report(bot)
    audited = await _count(bot, "audit_log")
    with pytest.raises(CaseError) as refused:
        await measures(bot).advise(JAN, case.id, plan)
    assert complaint in refused.value.reason.format(**refused.value.values)
    assert not isinstance(refused.value, NotAllowed)
    assert await _count(bot, "measures") == 0 and await _count(bot, "measure_steps") == 0
    assert await _count(bot, "audit_log") == audited


async def test_today_is_a_planned_date_and_a_one_day_ban_is_fine(bot: Harness) -> None:
    case = await report(bot)
    await measures(bot).advise(JAN, case.id, replace(TALK, planned_on=TODAY))
    await measures(bot).advise(
        JAN, case.id, replace(BAN, kind=MeasureKind.CALL_BAN, ends_on=BAN.starts_on)
    )
    assert len(await measures(bot).of_case(JAN, case.id)) == 2


async def test_a_step_that_does_not_follow_is_refused(bot: Harness) -> None:
    case = await report(bot)
    service = measures(bot)
    talk = await service.advise(JAN, case.id, TALK)
    letter = await service.advise(JAN, case.id, replace(TALK, kind=MeasureKind.WARNING_LETTER))

    async def refused(measure_id: int, step: Step, note: str | None, complaint: str) -> None:
        steps = await _count(bot, "measure_steps")
        with pytest.raises(CaseError, match=complaint):
            await service.step(JAN, case.id, measure_id, step, note)
        assert await _count(bot, "measure_steps") == steps

    await refused(talk.id, Step.CARRIED_OUT, None, "First record that the measure is agreed")
    await refused(talk.id, Step.EVALUATED, None, "First record that the measure is agreed")
    await refused(talk.id, Step.ADVISED, None, "recorded already")
    await refused(talk.id, Step.DROPPED, "  ", "Write why the measure is dropped")
    await service.step(JAN, case.id, letter.id, Step.AGREED)
    await refused(letter.id, Step.EVALUATED, None, "First record that the measure is carried out")
    await refused(letter.id, Step.AGREED, None, "recorded already")
    await service.step(JAN, case.id, letter.id, Step.CARRIED_OUT)
    await service.step(JAN, case.id, letter.id, Step.EVALUATED)
    await refused(letter.id, Step.DROPPED, "Toch niet.", "is evaluated")
    await service.step(JAN, case.id, talk.id, Step.DROPPED, "Niet nodig.")
    await refused(talk.id, Step.EVALUATED, None, "was dropped")
    await refused(talk.id, Step.AGREED, None, "was dropped")


async def test_measures_of_a_closed_case_and_of_another_case_are_refused(bot: Harness) -> None:
    case = await report(bot)
    other = await report(bot, "Iemand dreigde aan de telefoon.")
    talk = await measures(bot).advise(JAN, case.id, TALK)
    with pytest.raises(CaseError, match="not with this case"):
        await measures(bot).step(JAN, other.id, talk.id, Step.AGREED)
    with pytest.raises(CaseError, match="not with this case"):
        await measures(bot).step(JAN, case.id, talk.id + 1000, Step.AGREED)
    await bot.runtime.cases.close(JAN, case.id, "Afgerond.", None)
    with pytest.raises(CaseError, match=r"closed\. Reopen it to advise"):
        await measures(bot).advise(JAN, case.id, TALK)
    with pytest.raises(CaseError, match=r"closed\. Reopen it to record"):
        await measures(bot).step(JAN, case.id, talk.id, Step.AGREED)
    assert (await measures(bot).of_case(JAN, case.id))[0].step is Step.ADVISED


async def test_only_the_cases_coordinators_advise_and_step(bot: Harness) -> None:
    case = await report(bot)
    talk = await measures(bot).advise(JAN, case.id, TALK)
    for stranger in (PIET, ANNA, BEA):
        with pytest.raises(NotAllowed):
            await measures(bot).advise(stranger, case.id, TALK)
        with pytest.raises(NotAllowed):
            await measures(bot).step(stranger, case.id, talk.id, Step.AGREED)
        with pytest.raises(NotAllowed):
            await measures(bot).of_case(stranger, case.id)
    assert len(await measures(bot).of_case(JAN, case.id)) == 1


def _event(kind: EventKind, note: str | None) -> CaseEvent:
    moment = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return CaseEvent(1, 7, kind, moment, "Jan", note=note, measure=MeasureKind.CALL_BAN)


def test_the_thread_line_names_kind_and_step_and_quotes_the_note_only_with_content() -> None:
    t = Translator("nl")
    url = "https://meldbot.example.org"
    event = _event(EventKind.MEASURE_DROPPED, "De reiger is verhuisd.")
    minimal = _text(step_note(event, t, Detail(False, url)))
    full = _text(step_note(event, t, Detail(True, url)))
    line = "Jan legde een stap vast bij de maatregel Belverbod: Gestopt."
    assert line in minimal and line in full
    assert "reiger" not in minimal and "lees het in meldbot" in minimal
    assert "De reiger is verhuisd." in full
    bare = _text(step_note(_event(EventKind.MEASURE_AGREED, None), t, Detail(False, url)))
    assert "Afgesproken" in bare and "lees het" not in bare


def test_the_ladder_orders_measures_lightest_first() -> None:
    assert LADDER[0] is MeasureKind.ORDER_TALK and LADDER[-1] is MeasureKind.POLICE_REPORT
    assert MeasureKind.NONE not in LADDER


async def test_the_page_view_lists_measures_in_ladder_order_with_guidance(bot: Harness) -> None:
    case = await report(bot)
    await measures(bot).advise(JAN, case.id, BAN)
    await measures(bot).advise(JAN, case.id, TALK)
    listed = await measures(bot).of_case(JAN, case.id)
    assert [m.kind for m in in_ladder_order(listed)] == [
        MeasureKind.ORDER_TALK,
        MeasureKind.BUILDING_BAN,
    ]
    views = shown(listed, Translator("nl"), guidance.load(None))
    assert [v.label for v in views] == ["Ordegesprek", "Pandverbod"]
    assert views[1].facts[-1] == ("Tot en met", "5 september 2026")
    assert views[0].advice is not None and "frustratie" in views[0].advice.say.nl
    assert [value for value, _ in views[0].next_steps] == ["agreed", "dropped"]
