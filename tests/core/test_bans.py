"""Bans that end (issue 13, item 6): the re-evaluation reminder some Dutch working days
before the end date (once per end date, again after an extension), the outcome recorded
(ends on its date, ends now, extended with a reason), the reporter told once when it has
ended (an anonymous reporter reads it with the code), the police informed of a
pandverbod; every refusal says what to change and saves nothing. On SQLite and
PostgreSQL, with the controlled clock."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from bot.case.detail import Detail
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import Case, CaseEvent, EventKind, MeasureKind, Status
from bot.i18n import translator
from bot.measures.ban_clocks import working_days_before
from bot.measures.ban_service import BanService
from bot.measures.ban_views import ban_note, review_reminder
from bot.measures.bans import BanRecordKind
from bot.measures.models import Measure, Plan, Step
from bot.measures.service import MeasureService
from tests.core.conftest import JAN, SANNE, Harness
from tests.core.console import ANNA, BEA, report
from tests.core.test_consultation import code_in, follow
from tests.text import block_text, buttons, text_of

# Ends Monday 13 April 2026: five working days back skip Easter Monday (6 April) and
# Good Friday (3 April), so the reminder comes on Thursday 2 April.
BAN = Plan(
    MeasureKind.BUILDING_BAN,
    "Leidinggevende Burgerzaken",
    starts_on=date(2026, 3, 5),
    ends_on=date(2026, 4, 13),
)


def measures(bot: Harness) -> MeasureService:
    assert bot.runtime.measures is not None
    return bot.runtime.measures


def bans(bot: Harness) -> BanService:
    assert bot.runtime.bans is not None
    return bot.runtime.bans


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A moment in Amsterdam summer time (from 29 March), in UTC."""
    offset = 2 if day >= date(2026, 3, 29) else 1
    return datetime(day.year, day.month, day.day, hour - offset, minute, tzinfo=UTC)


def thread(bot: Harness) -> list[str]:
    [root] = bot.platform.roots()
    return [text_of(sent.message) for sent in bot.platform.thread(root.ref)]


async def imposed(bot: Harness, plan: Plan = BAN) -> tuple[Case, Measure]:
    """A reported case with the ban advised, agreed and carried out."""
    case = await report(bot, by=SANNE.user_id)
    measure = await measures(bot).advise(JAN, case.id, plan)
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await measures(bot).step(JAN, case.id, measure.id, step)
    await bot.settle()
    return case, measure


async def _count(bot: Harness, sql: str) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text(sql))).scalar_one())


def reviews(lines: list[str]) -> list[str]:
    return [line for line in lines if "Evalueer het" in line]


def test_working_days_back_skip_weekends_and_dutch_holidays() -> None:
    assert working_days_before(date(2026, 4, 13), 5) == date(2026, 4, 2)
    assert working_days_before(date(2026, 5, 29), 5) == date(2026, 5, 21)  # Whit Monday
    assert working_days_before(date(2026, 3, 9), 1) == date(2026, 3, 6)  # Monday: Friday


async def test_the_reminder_comes_working_days_before_the_end_once(bot: Harness) -> None:
    case, _ban = await imposed(bot)
    bot.clock.now = at(date(2026, 4, 2), 8, 59)
    await bot.tick()
    assert reviews(thread(bot)) == []
    bot.clock.now = at(date(2026, 4, 2), 9)
    await bot.tick()
    [line] = reviews(thread(bot))
    assert "Evalueer het pandverbod: het stopt op 13 april 2026." in line
    bot.clock.now = at(date(2026, 4, 3), 9)
    await bot.tick()
    assert len(reviews(thread(bot))) == 1, "once per end date"
    [root] = bot.platform.roots()
    assert case.reference in bot.platform.thread(root.ref)[-1].message.summary


async def test_a_minimal_thread_gets_kind_and_date_and_the_way_to_the_case(
    bot: Harness,
) -> None:
    case, _ban = await imposed(bot)
    [stored] = await bans(bot).of_case(JAN, case.id)
    t = translator("nl")
    minimal = review_reminder(case, stored, t, Detail(False, "https://meldbot.example.org"))
    full = review_reminder(case, stored, t, Detail(True, "https://meldbot.example.org"))
    assert "Openen in meldbot" in text_of(minimal) and "Openen in meldbot" not in text_of(full)
    assert "Leidinggevende" not in text_of(minimal), "who carries it out is not for the thread"
    extended = CaseEvent(
        1, case.id, EventKind.BAN_EXTENDED, datetime(2026, 3, 2, tzinfo=UTC), "Jan Jansen",
        note="Hij belde weer.", measure=MeasureKind.CALL_BAN,
    )  # fmt: skip
    line = "\n".join(block_text(b) for b in ban_note(extended, t, Detail(False, "https://x")))
    assert "Jan Jansen verlengde het belverbod." in line and "Hij belde weer." not in line
    assert "lees het in meldbot" in line.lower()


async def test_only_the_case_coordinators_record_a_ban_outcome(bot: Harness) -> None:
    case, ban = await imposed(bot)
    for someone in (ANNA, BEA):
        with pytest.raises(NotAllowed):
            await bans(bot).end(someone, case.id, ban.id, now=True)
    assert await _count(bot, "SELECT count(*) FROM ban_records") == 0


async def test_an_extension_arms_a_new_reminder_and_the_old_end_stays_silent(
    bot: Harness,
) -> None:
    case, ban = await imposed(bot)
    bot.clock.now = at(date(2026, 4, 2), 9)
    await bot.tick()
    bot.clock.now = at(date(2026, 4, 8), 10)
    extended = await bans(bot).extend(
        JAN, case.id, ban.id, date(2026, 5, 29), "Hij belde gisteren weer."
    )
    assert extended.ends_on == date(2026, 5, 29)
    await bot.settle()
    assert any("Jan Jansen verlengde het pandverbod." in line for line in thread(bot))
    assert any("Hij belde gisteren weer." in line for line in thread(bot)), "web: own surface"
    bot.clock.now = at(date(2026, 4, 14), 9, 30)  # the old end has passed
    await bot.tick()
    assert bot.platform.dms(SANNE.user_id)[-1:] and not any(
        "is afgelopen" in text_of(sent.message) for sent in bot.platform.dms(SANNE.user_id)
    )
    bot.clock.now = at(date(2026, 5, 21), 9)
    await bot.tick()
    lines = reviews(thread(bot))
    assert len(lines) == 2 and "29 mei 2026" in lines[-1]
    [stored] = await bans(bot).of_case(JAN, case.id)
    assert [(r.kind, r.ends_on, r.note) for r in stored.records] == [
        (BanRecordKind.EXTENDED, date(2026, 5, 29), "Hij belde gisteren weer.")
    ]
    rows = await _count(bot, "SELECT count(*) FROM audit_log WHERE action = 'ban.extend'")
    assert rows == 1


async def test_when_the_end_date_passed_the_reporter_is_told_once(bot: Harness) -> None:
    case, _ban = await imposed(bot)
    bot.clock.now = at(date(2026, 4, 14), 8, 59)
    await bot.tick()
    told = [s for s in bot.platform.dms(SANNE.user_id) if "is afgelopen" in text_of(s.message)]
    assert told == []
    bot.clock.now = at(date(2026, 4, 14), 9)
    await bot.tick()
    bot.clock.advance(days=3)
    await bot.tick()
    told = [s for s in bot.platform.dms(SANNE.user_id) if "is afgelopen" in text_of(s.message)]
    [notice] = told
    assert "Het pandverbod na je melding is afgelopen." in text_of(notice.message)
    assert any("Het pandverbod is afgelopen: de einddatum is voorbij." in x for x in thread(bot))
    [stored] = await bans(bot).of_case(JAN, case.id)
    assert stored.ended(date(2026, 4, 14)) and [r.kind for r in stored.records] == [
        BanRecordKind.ENDED
    ]


async def test_ending_early_tells_the_reporter_at_once_and_never_again(bot: Harness) -> None:
    case, ban = await imposed(bot)
    bot.clock.now = at(date(2026, 3, 20), 11)
    await bans(bot).end(JAN, case.id, ban.id, now=True, note="Het gaat goed nu.")
    await bot.settle()
    bot.clock.now = at(date(2026, 4, 14), 9)
    await bot.tick()
    told = [s for s in bot.platform.dms(SANNE.user_id) if "is afgelopen" in text_of(s.message)]
    assert len(told) == 1
    assert any("Jan Jansen beëindigde het pandverbod eerder." in x for x in thread(bot))
    assert reviews(thread(bot)) == [], "an ended ban is not re-evaluated"
    with pytest.raises(CaseError) as refused:
        await bans(bot).extend(JAN, case.id, ban.id, date(2026, 6, 1), "Toch weer.")
    assert refused.value.reason == "This ban has ended. Advise a new ban if one is needed."


async def test_ends_on_its_date_is_recorded_and_the_reminder_stays_away(bot: Harness) -> None:
    case, ban = await imposed(bot)
    await bans(bot).end(JAN, case.id, ban.id, now=False)
    await bot.settle()
    assert any("het stopt op de einddatum" in line for line in thread(bot))
    bot.clock.now = at(date(2026, 4, 2), 9)
    await bot.tick()
    assert reviews(thread(bot)) == []
    with pytest.raises(CaseError):
        await bans(bot).end(JAN, case.id, ban.id, now=False)


async def test_an_anonymous_reporter_reads_the_end_with_their_code(bot: Harness) -> None:
    values = {"narrative": "Hij bedreigde me bij de balie.", "danger": "no", "notify": "no"}
    code = code_in(await bot.submit(SANNE, "report.anonymous", values))
    await bot.settle()
    [root] = bot.platform.roots()
    case_id = int(buttons(root.message)["case.ask"])
    ban = await measures(bot).advise(JAN, case_id, BAN)
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await measures(bot).step(JAN, case_id, ban.id, step)
    bot.clock.now = at(date(2026, 4, 14), 9)
    await bot.tick()
    view = text_of(await follow(bot, code))
    assert view.count("Het pandverbod na je melding is afgelopen.") == 1


async def test_the_police_informed_of_a_building_ban_once_per_end_date(bot: Harness) -> None:
    case, ban = await imposed(bot)
    await bans(bot).police_informed(JAN, case.id, ban.id, "Wijkagent De Boer.")
    await bot.settle()
    assert any("Jan Jansen lichtte de politie in over het pandverbod." in x for x in thread(bot))
    with pytest.raises(CaseError) as twice:
        await bans(bot).police_informed(JAN, case.id, ban.id)
    assert "already" in twice.value.reason
    await bans(bot).extend(JAN, case.id, ban.id, date(2026, 6, 1), "Opnieuw gedreigd.")
    await bans(bot).police_informed(JAN, case.id, ban.id)
    [stored] = await bans(bot).of_case(JAN, case.id)
    told = stored.of(BanRecordKind.POLICE_INFORMED)
    assert [(r.ends_on, r.note, r.actor_name) for r in told] == [
        (date(2026, 4, 13), "Wijkagent De Boer.", "Jan Jansen"),
        (date(2026, 6, 1), None, "Jan Jansen"),
    ]
    assert await _count(bot, "SELECT count(*) FROM audit_log WHERE action = 'ban.police'") == 2


async def test_closing_stops_the_ban_clocks_and_reopening_arms_what_is_ahead(
    bot: Harness,
) -> None:
    case, _ban = await imposed(bot)
    await bot.runtime.cases.close(JAN, case.id, "Afgehandeld.", None)
    bot.clock.now = at(date(2026, 4, 2), 9)
    await bot.tick()
    assert reviews(thread(bot)) == []
    bot.clock.now = at(date(2026, 4, 10), 9)
    await bot.runtime.cases.reopen(JAN, case.id)
    bot.clock.now = at(date(2026, 4, 14), 9)
    await bot.tick()
    assert reviews(thread(bot)) == [], "a reminder that passed while closed is not late news"
    told = [s for s in bot.platform.dms(SANNE.user_id) if "is afgelopen" in text_of(s.message)]
    assert len(told) == 1, "the end still ahead at the reopening is told"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            {"until": date(2026, 3, 1), "reason": "Weer gebeld."},
            "The new end date is in the past. Choose a later date.",
        ),
        (
            {"until": date(2026, 4, 13), "reason": "Weer gebeld."},
            "The new end date must be after the current end date. Choose a later date.",
        ),
        (
            {"until": date(2026, 6, 1), "reason": "   "},
            "Write why the ban is extended. Nothing was changed.",
        ),
        (
            {"until": None, "reason": "Weer gebeld."},
            "Choose the new end date of the ban. Nothing was changed.",
        ),
    ],
)
async def test_a_wrong_extension_is_refused_and_nothing_is_saved(
    bot: Harness, change: dict[str, object], reason: str
) -> None:
    case, ban = await imposed(bot)
    with pytest.raises(CaseError) as refused:
        await bans(bot).extend(JAN, case.id, ban.id, change["until"], change["reason"])  # type: ignore[arg-type]
    assert refused.value.reason == reason
    assert await _count(bot, "SELECT count(*) FROM ban_records") == 0
    assert await _count(bot, "SELECT count(*) FROM audit_log WHERE action LIKE 'ban.%'") == 0
    [stored] = await bans(bot).of_case(JAN, case.id)
    assert stored.measure.ends_on == date(2026, 4, 13)


async def test_other_refusals_say_what_to_change(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    with pytest.raises(CaseError) as before:
        await measures(bot).advise(
            JAN,
            case.id,
            Plan(
                MeasureKind.CALL_BAN,
                "Teamleider",
                starts_on=date(2026, 4, 1),
                ends_on=date(2026, 3, 20),
            ),
        )
    assert "ends before it starts" in before.value.reason
    with pytest.raises(CaseError) as past:
        await measures(bot).advise(
            JAN, case.id, Plan(MeasureKind.ORDER_TALK, "Teamleider", planned_on=date(2026, 2, 1))
        )
    assert "in the past" in past.value.reason
    call_ban = await measures(bot).advise(
        JAN,
        case.id,
        Plan(
            MeasureKind.CALL_BAN, "Teamleider", starts_on=date(2026, 3, 3), ends_on=date(2026, 5, 1)
        ),
    )
    talk = await measures(bot).advise(JAN, case.id, Plan(MeasureKind.ORDER_TALK, "Teamleider"))
    with pytest.raises(CaseError) as police:
        await bans(bot).police_informed(JAN, case.id, call_ban.id)
    assert police.value.reason.startswith("The police are informed of a building ban only")
    with pytest.raises(CaseError) as early:
        await bans(bot).end(JAN, case.id, call_ban.id, now=True)
    assert early.value.reason.startswith("This ban was not carried out yet.")
    with pytest.raises(CaseError) as not_a_ban:
        await bans(bot).end(JAN, case.id, talk.id, now=False)
    assert not_a_ban.value.reason.startswith("Only a call ban or a building ban")
    await measures(bot).step(JAN, case.id, call_ban.id, Step.DROPPED, "Niet meer nodig.")
    with pytest.raises(CaseError) as dropped:
        await bans(bot).end(JAN, case.id, call_ban.id, now=False)
    assert dropped.value.reason.startswith("This ban was dropped.")
    await bot.runtime.cases.close(JAN, case.id, "Klaar.", None)
    with pytest.raises(CaseError) as closed:
        await bans(bot).police_informed(JAN, case.id, call_ban.id)
    assert closed.value.reason == "This case is closed. Reopen it to record this."
    with pytest.raises(CaseError) as closed_step:
        await measures(bot).step(JAN, case.id, talk.id, Step.AGREED)
    assert closed_step.value.reason.startswith("This case is closed.")
    assert await _count(bot, "SELECT count(*) FROM ban_records") == 0
    async with bot.runtime.database.transaction() as tx:
        stored = await tx.cases.get(case.id)
    assert stored is not None and stored.status is Status.CLOSED
