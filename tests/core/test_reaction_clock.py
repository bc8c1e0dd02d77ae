"""The reaction to the offender (issue 13, item 8): a clock from the report to the first
measure toward the citizen that is carried out (or "no measure needed"), reminded in the
thread before its deadline and at it (once each), met, late, stopped by closing and
re-armed on reopening, shown on the case page and counted in the trend report. On SQLite
and PostgreSQL, with the controlled clock (the harness reports on Monday 2 March 2026,
09:00 UTC)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.case.models import Category, MeasureKind, Status
from bot.case.reading import CaseFile
from bot.i18n import translator
from bot.measures import reaction
from bot.measures.models import Plan, Step
from bot.schedule.models import CaseFacts
from bot.trends.counts import LATE, WITHIN, period_figures, reaction_counts
from bot.trends.figures import figures_of
from bot.trends.periods import Period
from bot.trends.views import trend_report
from tests.core.conftest import JAN, SANNE, Harness, make_settings
from tests.core.console import integrity, report
from tests.text import text_of

REPORTED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SOON = REPORTED + timedelta(hours=36)  # a quarter of 48 hours before the deadline
DUE = REPORTED + timedelta(hours=48)
TALK = Plan(MeasureKind.ORDER_TALK, "Leidinggevende Burgerzaken")


def reminders(bot: Harness) -> list[str]:
    [root] = bot.platform.roots()
    lines = [text_of(sent.message) for sent in bot.platform.thread(root.ref)]
    return [line for line in lines if "Reactie naar de pleger" in line or "reactie naar" in line]


async def carried_out(bot: Harness, case_id: int, plan: Plan = TALK) -> None:
    assert bot.runtime.measures is not None
    measure = await bot.runtime.measures.advise(JAN, case_id, plan)
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await bot.runtime.measures.step(JAN, case_id, measure.id, step)
    await bot.settle()


async def file_of(bot: Harness, case_id: int) -> CaseFile:
    return await bot.runtime.cases.read(JAN, case_id)


async def test_reminded_before_the_deadline_and_at_it_once_each(bot: Harness) -> None:
    await report(bot, by=SANNE.user_id)
    bot.clock.now = SOON - timedelta(minutes=1)
    await bot.tick()
    assert reminders(bot) == []
    bot.clock.now = SOON
    await bot.tick()
    [soon] = reminders(bot)
    assert "Reactie naar de pleger: binnen 48 uur na de melding" in soon
    assert "woensdag 4 maart 2026, 10:00" in soon, "the deadline in Amsterdam time"
    bot.clock.now = DUE
    await bot.tick()
    bot.clock.advance(days=2)
    await bot.tick()
    assert len(reminders(bot)) == 2
    assert "De reactie naar de pleger moest er zijn vóór" in reminders(bot)[-1]


async def test_a_carried_out_measure_meets_it_and_no_reminder_follows(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    bot.clock.advance(hours=20)
    await carried_out(bot, case.id)
    bot.clock.now = DUE + timedelta(hours=1)
    await bot.tick()
    assert reminders(bot) == []
    clock = reaction.reaction(case, (await file_of(bot, case.id)).events, 48)
    assert clock.met_at == REPORTED + timedelta(hours=20) and not clock.late(bot.clock.now)


async def test_advising_alone_does_not_meet_it(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    assert bot.runtime.measures is not None
    await bot.runtime.measures.advise(JAN, case.id, TALK)
    bot.clock.now = SOON
    await bot.tick()
    assert len(reminders(bot)) == 1


async def test_no_measure_needed_meets_it(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    await bot.runtime.cases.change_status(JAN, case.id, Status.MEASURE, MeasureKind.NONE, None)
    bot.clock.now = DUE
    await bot.tick()
    assert reminders(bot) == []


async def test_late_when_met_after_the_deadline(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    bot.clock.now = DUE + timedelta(hours=5)
    await bot.tick()
    await carried_out(bot, case.id)
    clock = reaction.reaction(case, (await file_of(bot, case.id)).events, 48)
    assert clock.met_at is not None and clock.late(bot.clock.now)


async def test_closing_stops_it_and_reopening_runs_what_is_still_ahead(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    bot.clock.advance(hours=1)
    await bot.runtime.cases.close(JAN, case.id, "Afgehandeld.", None)
    bot.clock.now = SOON
    await bot.tick()
    assert reminders(bot) == []
    bot.clock.now = SOON + timedelta(hours=1)
    await bot.runtime.cases.reopen(JAN, case.id)
    await bot.tick()
    assert reminders(bot) == [], "the reminder that passed while closed is not late news"
    bot.clock.now = DUE
    await bot.tick()
    [due] = reminders(bot)
    assert "moest er zijn" in due


async def test_an_integrity_report_runs_no_reaction_clock(bot: Harness) -> None:
    await report(bot, by=SANNE.user_id, **integrity())
    bot.clock.now = DUE
    await bot.tick()
    assert reminders(bot) == []


async def test_the_hours_are_a_setting(make_bot: object) -> None:
    bot = await make_bot(reaction_hours=24)  # type: ignore[operator]
    await report(bot, by=SANNE.user_id)
    bot.clock.now = REPORTED + timedelta(hours=18)
    await bot.tick()
    [soon] = reminders(bot)
    assert "binnen 24 uur" in soon


async def test_the_trend_counts_within_and_late_from_the_database(bot: Harness) -> None:
    on_time = await report(bot, by=SANNE.user_id)
    await report(bot, by=SANNE.user_id, narrative="Een klant gooide een stoel.")
    await report(bot, by=SANNE.user_id, **integrity())
    bot.clock.advance(hours=10)
    await carried_out(bot, on_time.id)
    async with bot.runtime.database.transaction() as tx:
        facts = await tx.cases.facts_between(REPORTED, REPORTED + timedelta(days=1))
    assert sorted(f.reaction_at is not None for f in facts) == [False, False, True]
    norm, exempt = timedelta(hours=48), frozenset({Category.INTEGRITY.value})
    assert reaction_counts(facts, norm, REPORTED + timedelta(hours=12), exempt) == {
        WITHIN: 1,
        LATE: 0,
    }, "a case whose time has not passed is neither yet"
    assert reaction_counts(facts, norm, DUE, exempt) == {WITHIN: 1, LATE: 1}


def _facts(within: int, late: int, open_: int) -> list[CaseFacts]:
    def one(reacted: timedelta | None) -> CaseFacts:
        return CaseFacts(
            REPORTED, "threat", None, False, "new", None, None, None, False,
            reaction_at=REPORTED + reacted if reacted is not None else None,
        )  # fmt: skip

    return (
        [one(timedelta(hours=3)) for _ in range(within)]
        + [one(timedelta(hours=60)) for _ in range(late)]
        + [one(None) for _ in range(open_)]
    )


def test_the_trend_report_hides_small_counts_as_everywhere() -> None:
    def figures(within: int, late: int, open_: int) -> tuple[str, str, str]:
        table = period_figures(
            _facts(within, late, open_),
            categories=["threat"],
            departments=[],
            promise=timedelta(hours=24),
            urgent_promise=timedelta(minutes=15),
            as_of=REPORTED + timedelta(days=10),
            reaction=timedelta(hours=48),
        ).reaction
        assert table is not None
        return table.shown(WITHIN), table.shown(LATE), table.shown_total

    assert figures(12, 3, 0) == ("≥5", "<5", "15"), "the one small count and the other"
    assert figures(12, 3, 4) == ("12", "7", "19"), "none given when it was due: late"
    assert figures(12, 8, 0) == ("12", "8", "20")
    assert figures(2, 1, 0) == ("<5", "<5", "<5")


def test_the_trend_report_has_the_reaction_section(tmp_path: Path) -> None:
    settings = make_settings("sqlite+aiosqlite:///unused.db", tmp_path, reaction_hours=24)
    march = date(2026, 3, 1)
    facts = _facts(12, 8, 0)
    figures = figures_of(facts, settings, REPORTED + timedelta(days=10))
    report_text = text_of(
        trend_report(Period(march, march), figures, [], settings, translator("nl"))
    )
    section = report_text[report_text.index("Reactie naar de pleger") :]
    assert "Binnen 24 uur" in section and "Later, of nog geen toen het moest" in section
    assert "12" in section and "8" in section
