"""The clocks on a case, with a controlled clock: raised when unclaimed, legal deadlines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.case.clocks import LEGAL, UNCLAIMED
from bot.case.models import Reporter
from bot.ports import DeliveryError
from storage.models import TimerRow
from tests.core.conftest import JAN, SANNE, Harness
from tests.fakes.messenger import Sent
from tests.text import buttons, text_of

RAISED = "door niemand opgepakt"
ACK_SOON = "Wettelijke termijn: bevestig de ontvangst"
ACK_EXPIRED = "Termijn verstreken: de ontvangst"
FEEDBACK_SOON = "Wettelijke termijn: de melder moet"
FEEDBACK_EXPIRED = "Termijn verstreken: de melder had"

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam


async def _report(bot: Harness, at: datetime, **values: str) -> int:
    bot.clock.now = at
    await bot.submit(SANNE, "report", {"narrative": "Een bezoeker was onbeleefd.", **values})
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    return case.id


async def _at(bot: Harness, moment: datetime) -> None:
    bot.clock.now = moment
    await bot.tick()


def _thread(bot: Harness) -> list[Sent]:
    [root] = bot.platform.roots()
    return bot.platform.thread(root.ref)


def _notes(bot: Harness, marker: str) -> list[str]:
    return [text for s in _thread(bot) if marker in (text := text_of(s.message))]


async def _timers(bot: Harness, case_id: int) -> list[tuple[str, str | None]]:
    async with bot.runtime.database.transaction() as tx:
        rows = await tx.session.scalars(
            select(TimerRow)
            .where(TimerRow.case_id == case_id, TimerRow.kind.in_((UNCLAIMED, LEGAL)))
            .order_by(TimerRow.id)
        )
        return [(row.key, row.outcome) for row in rows]


async def test_a_friday_report_is_raised_on_monday_with_the_claim_button(bot: Harness) -> None:
    friday = datetime(2026, 11, 20, 13, 30, tzinfo=UTC)
    case_id = await _report(bot, friday)
    await _at(bot, friday + timedelta(days=1))  # Saturday: not a working day
    await _at(bot, friday + timedelta(days=3) - timedelta(seconds=1))
    assert not _notes(bot, RAISED)

    await _at(bot, friday + timedelta(days=3))  # Monday, the same time of day
    [raised] = [s for s in _thread(bot) if RAISED in text_of(s.message)]
    assert "na 1 werkdag" in text_of(raised.message)
    assert buttons(raised.message) == {"case.claim": str(case_id)}
    assert len(bot.platform.roots()) == 1, "raised in the case's own thread"


async def test_christmas_holidays_do_not_count_as_working_days(bot: Harness) -> None:
    christmas_eve = datetime(2026, 12, 24, 10, 0, tzinfo=UTC)
    await _report(bot, christmas_eve)
    for day in (25, 26, 27):  # Christmas, Boxing Day (both holidays), Sunday
        await _at(bot, datetime(2026, 12, day, 10, 0, tzinfo=UTC))
    assert not _notes(bot, RAISED)
    await _at(bot, datetime(2026, 12, 28, 10, 0, tzinfo=UTC))
    assert len(_notes(bot, RAISED)) == 1


async def test_a_case_claimed_in_time_is_not_raised(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY)
    bot.clock.advance(hours=5)
    await bot.press(JAN, "case.claim", str(case_id))
    for day in range(1, 8):
        await _at(bot, MONDAY + timedelta(days=day))
    assert not _notes(bot, RAISED)
    assert await _timers(bot, case_id) == [(f"case:{case_id}:unclaimed:1", "cancelled")]


async def test_raised_again_every_working_day_until_claimed(bot: Harness) -> None:
    thursday = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    case_id = await _report(bot, thursday)
    for day in range(1, 6):  # Friday, Saturday, Sunday, Monday, Tuesday
        await _at(bot, thursday + timedelta(days=day))
    raised = _notes(bot, RAISED)
    assert len(raised) == 3, raised  # Friday, Monday, Tuesday
    assert "na 1 werkdag" in raised[0]
    assert "na 2 werkdagen" in raised[1] and "na 3 werkdagen" in raised[2]

    await bot.press(JAN, "case.claim", str(case_id))
    for day in range(6, 10):
        await _at(bot, thursday + timedelta(days=day))
    assert len(_notes(bot, RAISED)) == 3


async def test_after_downtime_an_unclaimed_case_is_raised_once_not_for_every_missed_day(
    bot: Harness,
) -> None:
    await _report(bot, MONDAY)
    await _at(bot, MONDAY + timedelta(days=10))
    [raised] = _notes(bot, RAISED)
    assert "na 8 werkdagen" in raised
    await _at(bot, MONDAY + timedelta(days=11))
    assert len(_notes(bot, RAISED)) == 2


async def test_a_delivery_failure_delays_the_raise_but_loses_nothing(bot: Harness) -> None:
    await _report(bot, MONDAY)
    bot.platform.failures.append(DeliveryError("ratelimited", retry_after=30))
    await _at(bot, MONDAY + timedelta(days=1))
    assert not _notes(bot, RAISED) and not bot.platform.failures

    bot.clock.advance(seconds=31)
    await bot.tick()
    assert len(_notes(bot, RAISED)) == 1


async def test_an_integrity_report_shows_both_legal_deadlines_in_its_thread(bot: Harness) -> None:
    await _report(bot, MONDAY, category="integrity")
    [full_report, deadlines] = _thread(bot)
    assert "onbeleefd" in text_of(full_report.message), "the deadlines follow the full report"
    text = text_of(deadlines.message)
    assert "Wettelijke termijnen" in text
    assert "maandag 9 maart 2026, 10:00" in text  # 7 days, Amsterdam time
    assert "dinsdag 2 juni 2026, 10:00" in text  # 3 months, summer time by then


async def test_other_categories_get_no_legal_clocks(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="threat")
    assert len(_thread(bot)) == 1
    assert [key for key, _ in await _timers(bot, case_id)] == [f"case:{case_id}:unclaimed:1"]


async def test_unacknowledged_receipt_is_reminded_and_then_expires(bot: Harness) -> None:
    await _report(bot, MONDAY, category="integrity")
    await _at(bot, datetime(2026, 3, 7, 7, 59, tzinfo=UTC))
    assert not _notes(bot, ACK_SOON)
    await _at(bot, datetime(2026, 3, 7, 8, 0, tzinfo=UTC))  # Saturday 09:00, two days before
    [soon] = _notes(bot, ACK_SOON)
    assert "maandag 9 maart 2026, 10:00" in soon

    await _at(bot, datetime(2026, 3, 9, 8, 59, tzinfo=UTC))
    assert not _notes(bot, ACK_EXPIRED)
    await _at(bot, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    [expired] = _notes(bot, ACK_EXPIRED)
    assert "maandag 9 maart 2026, 10:00" in expired


async def test_a_claim_that_informed_the_reporter_acknowledges_receipt(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="integrity")
    bot.clock.advance(days=3)
    await bot.press(JAN, "case.claim", str(case_id))
    await bot.settle()
    assert bot.platform.dms(SANNE.user_id), "the claim reached the reporter"
    for day in range(4, 12):
        await _at(bot, MONDAY + timedelta(days=day))
    assert not _notes(bot, ACK_SOON) and not _notes(bot, ACK_EXPIRED)


async def test_a_reporter_without_feedback_is_acknowledged_by_the_claim(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="integrity", feedback="no")
    bot.clock.advance(days=1)
    await bot.press(JAN, "case.claim", str(case_id))
    await _at(bot, MONDAY + timedelta(days=8))
    assert not _notes(bot, ACK_SOON) and not _notes(bot, ACK_EXPIRED)


async def test_feedback_is_reminded_two_weeks_before_three_months(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="integrity")
    await bot.press(JAN, "case.claim", str(case_id))
    await _at(bot, datetime(2026, 5, 19, 6, 59, tzinfo=UTC))
    assert not _notes(bot, FEEDBACK_SOON)
    await _at(bot, datetime(2026, 5, 19, 7, 0, tzinfo=UTC))  # 09:00 summer time
    [soon] = _notes(bot, FEEDBACK_SOON)
    assert "dinsdag 2 juni 2026, 10:00" in soon

    await _at(bot, datetime(2026, 6, 2, 8, 0, tzinfo=UTC))
    assert len(_notes(bot, FEEDBACK_EXPIRED)) == 1


async def test_a_status_change_gives_the_feedback_in_time(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="integrity")
    await bot.press(JAN, "case.claim", str(case_id))
    await _at(bot, datetime(2026, 5, 19, 7, 0, tzinfo=UTC))
    assert len(_notes(bot, FEEDBACK_SOON)) == 1
    await bot.submit(
        JAN,
        "case.status",
        {"status": "in_progress", "message": "We onderzoeken het."},
        str(case_id),
    )
    await _at(bot, datetime(2026, 6, 3, 8, 0, tzinfo=UTC))
    assert not _notes(bot, FEEDBACK_EXPIRED)
    assert (f"case:{case_id}:clock:feedback:expired", "cancelled") in await _timers(bot, case_id)


async def test_closing_ends_every_clock_of_the_case(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="integrity")
    bot.clock.advance(hours=2)
    await bot.submit(JAN, "case.close", {"summary": "Doorgezet naar integriteit."}, str(case_id))
    await bot.settle()
    posted = len(_thread(bot))
    await _at(bot, datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    assert len(_thread(bot)) == posted, "nothing is raised or reminded after closing"
    timers = await _timers(bot, case_id)
    assert len(timers) == 5
    assert {outcome for _, outcome in timers} == {"cancelled"}


async def test_a_reopened_case_is_raised_again_and_its_open_duty_reminded(bot: Harness) -> None:
    case_id = await _report(bot, MONDAY, category="integrity")
    # Closing without a message informs the reporter (receipt confirmed) but gives no
    # feedback on what is being done: only the feedback clock stays open.
    bot.clock.advance(hours=2)
    await bot.submit(JAN, "case.close", {"summary": "Te snel gesloten."}, str(case_id))
    bot.clock.advance(hours=1)
    await bot.press(JAN, "case.reopen", str(case_id))
    await bot.settle()

    await _at(bot, MONDAY + timedelta(days=1, hours=3))
    assert len(_notes(bot, RAISED)) == 1, "nobody claimed it: raised a working day after"
    await bot.press(JAN, "case.claim", str(case_id))
    await _at(bot, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert not _notes(bot, ACK_SOON) and not _notes(bot, ACK_EXPIRED)
    await _at(bot, datetime(2026, 5, 19, 7, 0, tzinfo=UTC))
    assert len(_notes(bot, FEEDBACK_SOON)) == 1
