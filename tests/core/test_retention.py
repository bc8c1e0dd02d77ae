"""Retention that follows the case: purged at its due date, to a tombstone, and not a day
before; reopening resets the clock; the dry run changes nothing; the destruction list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.case.models import Case, Status
from bot.housekeeping import Housekeeper
from bot.schedule.models import CaseFacts
from bot.trends.figures import MonthFigures, TrendFigures
from storage.models import CaseRow, DestroyedCaseRow, MeasureRow
from tests.core.conftest import Harness
from tests.core.console import ANNA, BEA, RIA
from tests.core.retention import NARRATIVE, NEEDLES, closed_case, retention, years_later
from tests.privacy import tables_holding


async def _facts(bot: Harness) -> list[CaseFacts]:
    start, end = bot.clock.now - timedelta(days=4000), bot.clock.now + timedelta(days=1)
    async with bot.runtime.database.transaction() as tx:
        return await tx.cases.facts_between(start, end)


async def _month(bot: Harness, case: Case) -> MonthFigures:
    runtime = bot.runtime
    figures = TrendFigures(runtime.database, runtime.settings, bot.clock, runtime.audit.access)
    return await figures.month(ANNA, case.created_at.date().replace(day=1))


async def _holding(bot: Harness) -> dict[str, list[str]]:
    database = bot.runtime.database
    return await tables_holding(database.engine, database._sealer, NEEDLES)


async def test_a_closed_case_is_purged_at_its_due_date_and_not_a_day_before(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    assert await _holding(bot)  # the narrative, the names and the messages are there
    due = years_later(case.closed_at, 2)  # closed without measures, a named reporter

    bot.clock.now = due - timedelta(days=1)
    early = await retention(bot).run()
    assert early.purged == []
    assert early.warned == 1  # within the 30 days: told, not purged
    async with bot.runtime.database.transaction() as tx:
        kept = await tx.cases.get(case.id)
        assert kept is not None and kept.report.narrative == NARRATIVE

    bot.clock.now = due
    facts, month = await _facts(bot), await _month(bot, case)
    report = await retention(bot).run()
    assert [(one.reference, one.rule) for one in report.purged] == [
        (case.reference, "without_measures 2y")
    ]
    # Until they are delivered, the retractions know where the reporter's messages are.
    await bot.settle()
    assert await _holding(bot) == {}
    async with bot.runtime.database.transaction() as tx:
        events = await tx.cases.events(case.id)
        tombstone = await tx.session.get(CaseRow, case.id)
    assert events == []
    assert tombstone is not None and tombstone.purged_at == due
    assert (tombstone.reference, tombstone.category, tombstone.status) == (
        case.reference,
        "threat",
        Status.CLOSED.value,
    )
    assert tombstone.created_at == case.created_at and tombstone.department == "Burgerzaken"
    assert tombstone.reporter_hash is None and tombstone.reporter_sealed is None
    assert tombstone.handler_hash is None and tombstone.handler_name_sealed is None
    assert await _facts(bot) == facts  # every trend figure counts from these
    assert facts[0].first_contact_at is not None
    assert await _month(bot, case) == month

    again = await retention(bot).run()
    assert again.purged == []  # a tombstone is never purged twice


async def test_the_destruction_list_names_the_purged_case(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    bot.clock.now = years_later(case.closed_at, 2)
    await retention(bot).run()
    start, end = bot.clock.now - timedelta(days=1), bot.clock.now + timedelta(days=1)
    listed = await retention(bot).destroyed(None, start, end)
    assert [(e.reference, e.category, e.outcome, e.rule) for e in listed] == [
        (case.reference, "threat", "without_measures", "without_measures 2y")
    ]
    assert listed[0].month == case.created_at.strftime("%Y-%m")
    assert await retention(bot).destroyed(None, end, end + timedelta(days=1)) == []
    log = await bot.runtime.audit.of_case(BEA, case.reference)
    assert log[-1].action == "retention.purge" and log[-1].detail == "without_measures 2y"


async def test_reopening_starts_the_clock_again(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    bot.clock.now = years_later(case.closed_at, 1)
    await bot.runtime.cases.reopen(RIA, case.id)
    bot.clock.advance(days=10)
    closed = await bot.runtime.cases.close(RIA, case.id, "Weer gesloten.", None)
    assert closed.closed_at is not None

    bot.clock.now = years_later(case.closed_at, 2)  # the first closing's due date
    assert (await retention(bot).run()).purged == []
    bot.clock.now = years_later(closed.closed_at, 2)
    assert [one.reference for one in (await retention(bot).run()).purged] == [case.reference]


async def test_an_open_case_is_never_purged(bot: Harness) -> None:
    case = await closed_case(bot)
    await bot.runtime.cases.reopen(RIA, case.id)
    bot.clock.advance(days=3650)
    assert (await retention(bot).run()).purged == []
    async with bot.runtime.database.transaction() as tx:
        kept = await tx.cases.get(case.id)
    assert kept is not None and kept.report.narrative == NARRATIVE


async def test_the_dry_run_lists_what_would_go_and_changes_nothing(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    bot.clock.now = years_later(case.closed_at, 2)
    before = await _holding(bot)
    dry = await retention(bot).run(dry_run=True)
    assert dry.dry_run
    assert [(one.reference, one.category, one.rule) for one in dry.purged] == [
        (case.reference, "threat", "without_measures 2y")
    ]
    assert dry.purged[0].due_at == bot.clock.now
    assert await _holding(bot) == before
    async with bot.runtime.database.transaction() as tx:
        listed = await tx.session.scalars(select(DestroyedCaseRow))
        assert list(listed) == []
    assert [one.reference for one in (await retention(bot).run()).purged] == [case.reference]


async def test_a_case_with_a_measure_is_kept_five_years(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    async with bot.runtime.database.transaction() as tx:
        session = tx.session
        session.add(
            MeasureRow(
                case_id=case.id,
                kind="warning_letter",
                carried_out_by_sealed=bot.runtime.database._sealer.seal("Karin Manager"),
                step="carried_out",
                created_at=case.closed_at,
                updated_at=case.closed_at,
            )
        )
    bot.clock.now = years_later(case.closed_at, 2)
    assert (await retention(bot).run()).purged == []
    bot.clock.now = years_later(case.closed_at, 5)
    purged = (await retention(bot).run()).purged
    assert [(one.outcome, one.rule) for one in purged] == [("with_measures", "with_measures 5y")]
    async with bot.runtime.database.transaction() as tx:
        measures = await tx.measures.of_case(case.id)
    assert [(m.kind.value, m.carried_out_by) for m in measures] == [("warning_letter", "")]


async def test_housekeeping_runs_the_retention_once_a_day(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    runtime = bot.runtime
    keeper = Housekeeper(
        runtime.database,
        bot.clock,
        runtime.consultations,
        runtime.messengers,
        runtime.settings,
        runtime.cases.attachments,  # type: ignore[arg-type]
        retention=runtime.retention,
    )
    bot.clock.now = years_later(case.closed_at, 2)
    assert await keeper.retain_once_a_day()
    assert not await keeper.retain_once_a_day()  # the same day: not again
    async with runtime.database.transaction() as tx:
        assert await tx.retention.is_purged(case.id)
    bot.clock.advance(days=1)
    assert await keeper.retain_once_a_day()
