"""The scheduler's rules, with a controlled clock on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storage.models import TimerRow
from tests.schedule.conftest import KIND, Setup, job


async def outcomes(setup: Setup) -> list[tuple[str, str | None]]:
    async with setup.database.transaction() as tx:
        rows = await tx.session.scalars(select(TimerRow).order_by(TimerRow.due_at))
        return [(row.key, row.outcome) for row in rows]


async def test_every_minute_fires_once_per_minute(setup: Setup) -> None:
    scheduler = setup.new(job("* * * * *"))
    for _ in range(5):
        await scheduler.tick()
        await scheduler.tick()  # a second look in the same minute sends nothing more
        setup.clock.advance(seconds=30)
    assert [m.strftime("%H:%M") for m in setup.recorder.moments()] == ["08:01", "08:02"]


async def test_a_new_job_does_not_backfill_its_past(setup: Setup) -> None:
    scheduler = setup.new(job("0 * * * *"))
    assert await scheduler.tick() == 0
    setup.clock.advance(minutes=59, seconds=59)
    assert await scheduler.tick() == 0
    setup.clock.advance(seconds=1)
    assert await scheduler.tick() == 1


async def test_due_work_survives_a_restart(setup: Setup) -> None:
    await setup.new(job("30 9 * * *")).tick()  # plans 09:30 Amsterdam, then "stops"
    setup.clock.advance(minutes=31)
    restarted = setup.new(job("30 9 * * *"))
    assert await restarted.tick() == 1
    assert setup.recorder.moments() == [datetime(2026, 11, 23, 8, 30, tzinfo=UTC)]


async def test_after_downtime_only_the_latest_missed_occurrence_is_sent(setup: Setup) -> None:
    daily = job("0 10 * * *", grace=6 * 3600)
    await setup.new(daily).tick()
    setup.clock.advance(days=3, hours=3)  # down from Monday 09:00 to Thursday 12:00
    await setup.new(daily).tick()
    assert setup.recorder.moments() == [datetime(2026, 11, 26, 9, 0, tzinfo=UTC)]
    assert [outcome for _, outcome in await outcomes(setup)] == [
        "skipped: superseded",
        "sent",
        None,  # Friday's, waiting
    ]


async def test_a_missed_occurrence_older_than_its_grace_is_skipped(setup: Setup) -> None:
    daily = job("0 10 * * *", grace=3600)
    await setup.new(daily).tick()
    setup.clock.advance(days=3, hours=3)
    await setup.new(daily).tick()
    assert setup.recorder.fired == []
    assert [outcome for _, outcome in await outcomes(setup)][-2:] == ["skipped: too late", None]


async def test_schedules_are_amsterdam_time_across_daylight_saving(setup: Setup) -> None:
    setup.clock.now = datetime(2026, 3, 27, 12, 0, tzinfo=UTC)  # Friday before the change
    scheduler = setup.new(job("0 9 * * *", grace=86400))
    for _ in range(4):
        await scheduler.tick()
        setup.clock.advance(days=1)
        await scheduler.tick()
    assert setup.recorder.moments() == [
        datetime(2026, 3, 28, 8, 0, tzinfo=UTC),  # 09:00 CET
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),  # 09:00 CEST
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
        datetime(2026, 3, 31, 7, 0, tzinfo=UTC),
    ]


async def test_skip_holidays_skips_weekends_and_dutch_public_holidays(setup: Setup) -> None:
    setup.clock.now = datetime(2026, 4, 23, 12, 0, tzinfo=UTC)  # Thursday
    scheduler = setup.new(job("0 9 * * *", skip_holidays=True, grace=86400))
    await scheduler.tick()
    for _ in range(6):
        setup.clock.advance(days=1)
        await scheduler.tick()
    days = [moment.date().isoformat() for moment in setup.recorder.moments()]
    # Friday; not Saturday, Sunday, nor Monday 27 April (King's Day); Tuesday, Wednesday.
    assert days == ["2026-04-24", "2026-04-28", "2026-04-29"]


async def test_a_failing_timer_is_recorded_and_the_others_go_on(setup: Setup) -> None:
    scheduler = setup.new()
    now = setup.clock()
    async with setup.database.transaction() as tx:
        await tx.timers.set(KIND, "broken", now)
        await tx.timers.set(KIND, "fine", now + timedelta(seconds=1))
    setup.recorder.fail.add("broken")
    setup.clock.advance(seconds=2)
    assert await scheduler.tick() == 2
    assert [t.key for t in setup.recorder.fired] == ["fine"]
    assert await outcomes(setup) == [("broken", "failed"), ("fine", "sent")]


async def test_a_job_no_longer_configured_is_not_sent(setup: Setup) -> None:
    await setup.new(job("0 10 * * *", name="old")).tick()
    setup.clock.advance(hours=2)
    await setup.new(job("0 10 * * *", name="new")).tick()
    assert setup.recorder.fired == []
    assert ("old@2026-11-23T09:00:00Z", "skipped: no longer configured") in await outcomes(setup)


async def test_setting_the_same_key_twice_keeps_one_timer(setup: Setup) -> None:
    now = setup.clock()
    async with setup.database.transaction() as tx:
        first = await tx.timers.set(KIND, "welcome:abc", now)
        second = await tx.timers.set(KIND, "welcome:abc", now + timedelta(hours=1))
    assert first is not None and second is None


async def test_two_schedulers_on_one_database_fire_each_occurrence_once(setup: Setup) -> None:
    """Two instances ticking at the same moments: row claims keep every occurrence single."""
    every_minute = job("* * * * *")
    one, two = setup.new(every_minute), setup.new(every_minute)
    now = setup.clock()
    async with setup.database.transaction() as tx:
        for index in range(40):
            await tx.timers.set(KIND, f"case:{index}", now)
    await asyncio.gather(one.tick(), two.tick())
    for _ in range(10):
        setup.clock.advance(minutes=1)
        await asyncio.gather(one.tick(), two.tick())
    keys = sorted(timer.key for timer in setup.recorder.fired)
    assert len(keys) == len(set(keys)) == 40 + 10


async def test_next_due_lets_the_scheduler_sleep_until_then(setup: Setup) -> None:
    scheduler = setup.new(job("*/5 * * * *"))
    await scheduler.tick()
    async with setup.database.transaction() as tx:
        due = await tx.timers.next_due()
    assert due == datetime(2026, 11, 23, 8, 5, tzinfo=UTC)
    assert due.tzinfo is not None
