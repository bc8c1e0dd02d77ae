"""The quarterly results post for the team: when, what it counts, what it never shows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.case.models import Category, MeasureKind, NewReport, Reporter, Status
from bot.events import Address
from bot.ports import DeliveryError
from bot.schedule.calendar import AMSTERDAM
from tests.core.conftest import JAN, Harness, MakeBot
from tests.core.test_trends import fail_once
from tests.fakes.messenger import Sent
from tests.text import buttons, text_of

TEAM = "team-balie"
RESULTS = {"platform": "web", "channel": TEAM}
NARRATIVE = "Meneer Pietersen gooide een stoel naar Sanne bij loket 3."


def local(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=AMSTERDAM).astimezone(UTC)


async def report(bot: Harness, when: datetime) -> int:
    bot.clock.now = when
    new = NewReport(narrative=NARRATIVE, category=Category.THREAT, location="Loket 3")
    case = await bot.runtime.cases.report(new, Reporter("web", "staff-1", "Sanne de Vries"))
    return case.id


async def third_quarter(bot: Harness) -> None:
    """Eight reports in July to September 2026, six followed up; five warning letters and
    one call ban. One on 30 June and one on 1 October do not count."""
    await report(bot, local(2026, 6, 30))
    ids = [await report(bot, local(2026, month, day)) for month in (7, 8, 9) for day in (3, 17)]
    ids += [await report(bot, local(2026, 9, 29)), await report(bot, local(2026, 9, 30))]
    measures = [MeasureKind.WARNING_LETTER] * 5 + [MeasureKind.CALL_BAN]
    for case_id, measure in zip(ids, measures, strict=False):
        await bot.runtime.cases.claim(JAN, case_id)
        await bot.runtime.cases.change_status(JAN, case_id, Status.MEASURE, measure, None)
    await report(bot, local(2026, 10, 1, 0))
    await bot.settle()


def posts(bot: Harness) -> list[Sent]:
    return [s for s in bot.platform.sent if s.address.conversation == TEAM]


async def at(bot: Harness, moment: datetime) -> None:
    bot.clock.now = moment
    await bot.tick()


async def test_the_quarter_is_counted_warmly_with_nothing_under_five(make_bot: MakeBot) -> None:
    bot = await make_bot(results=RESULTS)
    await third_quarter(bot)
    await at(bot, local(2026, 9, 30, 20))
    await at(bot, local(2026, 10, 1, 9))

    [post] = posts(bot)
    assert post.address == Address("web", TEAM)
    text = text_of(post.message)
    assert "Dankzij jullie meldingen" in text and "juli tot en met september 2026" in text
    assert "Meldingen: 8" in text
    # Six and two: the two is hidden, and the six with it, or 8 - 6 would tell.
    assert "Opgevolgd: ≥5" in text and "Nog niet opgevolgd: <5" in text
    assert "Waarschuwingsbrief: 5" in text and "Belverbod: <5" in text
    assert "(Nog) geen maatregel: <5" in text
    assert "Pandverbod" not in text, "kinds nobody needed are left out"
    assert buttons(post.message) == {"report.start": ""}
    for secret in ("Pietersen", "Sanne", "Loket 3", "M-2026", "Jan Jansen", "staff-1"):
        assert secret not in text and secret not in post.message.summary


async def test_posts_come_on_the_first_working_day_of_each_quarter(make_bot: MakeBot) -> None:
    bot = await make_bot(results=RESULTS)
    await at(bot, local(2026, 9, 30, 20))
    expected = [
        (local(2026, 10, 1, 9), "juli tot en met september 2026"),
        (local(2027, 1, 4, 9), "oktober tot en met december 2026"),  # 1 Jan, then a weekend
        (local(2027, 4, 1, 9), "januari tot en met maart 2027"),
        (local(2027, 7, 1, 9), "april tot en met juni 2027"),
    ]
    for number, (moment, quarter) in enumerate(expected, start=1):
        await at(bot, moment - timedelta(hours=1))
        assert len(posts(bot)) == number - 1, f"not before {moment}"
        await at(bot, moment)
        assert len(posts(bot)) == number, f"at {moment}"
        latest = text_of(posts(bot)[-1].message)
        assert quarter in latest
        assert "geen meldingen binnen" in latest, "nobody reported in these quarters"


async def test_a_small_quarter_says_under_five(make_bot: MakeBot) -> None:
    bot = await make_bot(results=RESULTS)
    for day in (6, 7, 8):
        await report(bot, local(2026, 8, day))
    await at(bot, local(2026, 9, 30, 20))
    await at(bot, local(2026, 10, 1, 9))
    [post] = posts(bot)
    text = text_of(post.message)
    assert "Meldingen: <5" in text and "Nog niet opgevolgd: <5" in text
    assert "(Nog) geen maatregel: <5" in text
    assert "3" not in text.replace("2026", "")


async def test_a_platform_outage_delays_the_post_but_loses_and_repeats_nothing(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(results=RESULTS)
    await third_quarter(bot)
    await at(bot, local(2026, 9, 30, 20))
    fail_once(bot, "send", DeliveryError("ratelimited", retry_after=120), TEAM)
    await at(bot, local(2026, 10, 1, 9))
    assert not posts(bot)
    bot.clock.advance(seconds=60)
    await bot.settle()
    assert not posts(bot), "Retry-After is honoured"
    bot.clock.advance(seconds=61)
    await bot.settle()
    assert len(posts(bot)) == 1
    bot.clock.advance(hours=1)
    await bot.tick()
    assert len(posts(bot)) == 1
