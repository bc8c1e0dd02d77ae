"""The monthly trend report: when it fires, what it counts, what it never shows, the chart,
and delivery that neither loses nor repeats anything when the platform fails."""

from __future__ import annotations

import struct
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.case.models import Category, MeasureKind, NewReport, Reporter, Status
from bot.events import Address
from bot.ports import DeliveryError
from bot.schedule.calendar import AMSTERDAM
from bot.schedule.config import TrendReport
from bot.trends.chart import HEIGHT_PX, WIDTH_PX
from bot.trends.service import REPORT
from bot.ui import Facts, Message
from storage.models import TimerRow
from tests.core.conftest import JAN, Harness, MakeBot
from tests.fakes.messenger import Sent
from tests.text import text_of

MANAGEMENT = "management"
TRENDS = {"platform": "web", "channel": MANAGEMENT}
DEPARTMENTS = ["Burgerzaken", "Belastingen"]
NARRATIVE = "Meneer Pietersen schold Sanne uit bij de balie en dreigde haar op te wachten."
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def local(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


async def trend_bot(make_bot: MakeBot, **extra: Any) -> Harness:
    return await make_bot(trends=TRENDS, departments=DEPARTMENTS, **extra)


async def report(
    bot: Harness,
    when: datetime,
    category: Category | None = None,
    department: str | None = None,
    *,
    urgent: bool = False,
) -> int:
    bot.clock.now = when
    new = NewReport(
        narrative=NARRATIVE,
        category=category,
        location="Balie West, 2e verdieping",
        danger_now=urgent,
        department=department,
    )
    case = await bot.runtime.cases.report(new, Reporter("web", "staff-1", "Sanne de Vries"))
    return case.id


async def november(bot: Harness) -> list[int]:
    """Ten reports in November 2026 (Amsterdam), five in October, two in September, one
    just after November ended; six of November's claimed an hour after coming in."""
    await report(bot, local(2026, 9, 10), Category.THREAT)
    await report(bot, local(2026, 9, 11), Category.THREAT)
    for day in range(1, 5):
        await report(bot, local(2026, 10, day * 5), Category.VERBAL_AGGRESSION)
    await report(bot, local(2026, 10, 31, 23, 30), Category.VERBAL_AGGRESSION)
    ids = [await report(bot, local(2026, 11, 1, 0, 30), Category.THREAT, "Burgerzaken")]
    for day in range(2, 8):
        ids.append(await report(bot, local(2026, 11, day * 3), Category.THREAT, "Burgerzaken"))
    for day in (20, 21, 30):
        ids.append(
            await report(bot, local(2026, 11, day), Category.VERBAL_AGGRESSION, "Belastingen")
        )
    for case_id in ids[:6]:
        case = await _case(bot, case_id)
        bot.clock.now = case.created_at + timedelta(hours=1)
        await bot.runtime.cases.claim(JAN, case_id)
    bot.clock.now = local(2026, 11, 30, 12)
    await bot.runtime.cases.change_status(
        JAN, ids[0], Status.MEASURE, MeasureKind.WARNING_LETTER, None
    )
    await bot.runtime.cases.change_status(JAN, ids[1], Status.MEASURE, MeasureKind.ORDER_TALK, None)
    await report(bot, local(2026, 12, 1, 0, 30), Category.THREAT, "Burgerzaken")  # December
    await bot.settle()
    return ids


async def _case(bot: Harness, case_id: int) -> Any:
    async with bot.runtime.database.transaction() as tx:
        return await tx.cases.get(case_id)


async def first_of_december(bot: Harness) -> None:
    """Plans the job before the 1st, then fires it at 09:00 Amsterdam (08:00 UTC)."""
    bot.clock.now = local(2026, 12, 1, 8, 0)
    await bot.tick()
    assert not posts(bot), "not before 09:00"
    bot.clock.now = local(2026, 12, 1, 9, 0)
    await bot.tick()


def posts(bot: Harness) -> list[Sent]:
    return [s for s in bot.platform.sent if s.address.conversation == MANAGEMENT]


def facts(message: Message) -> dict[str, str]:
    return {k: v for block in message.blocks if isinstance(block, Facts) for k, v in block.items}


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == PNG_SIGNATURE and content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    return width, height


async def test_the_report_fires_on_the_first_at_nine_and_counts_november(
    make_bot: MakeBot,
) -> None:
    bot = await trend_bot(make_bot)
    await november(bot)
    await first_of_december(bot)

    [post] = posts(bot)
    assert post.address == Address("web", MANAGEMENT)
    assert bot.clock.now == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert "november 2026" in text_of(post.message)
    shown = facts(post.message)
    assert shown["Meldingen"] == "10"  # the one at 00:30 on 1 November counts, 1 December not
    assert shown["Bedreiging"] == "7"
    assert shown["Verbale agressie"] == "<5"
    # 3 alone would be 10 - 7: the first zero is hidden with it.
    assert shown["Fysiek geweld"] == "<5"
    assert shown["Intimidatie"] == shown["Discriminatie"] == "0"
    assert (shown["Burgerzaken"], shown["Belastingen"]) == ("7", "<5")
    # Six followed up, four not: the four is hidden, and so (no zero to hide) is the six.
    assert (shown["Opgevolgd"], shown["Nog niet opgevolgd"]) == ("≥5", "<5")
    assert shown["Waarschuwingsbrief"] == "<5" and shown["(Nog) geen maatregel"] == "8"
    assert shown["Mediaan tot eerste contact"] == "60 min"
    # Six of nine: the one of 30 November 10:00 has until 1 December 10:00 still.
    assert shown["Binnen 24 uur contact"] == "67%"
    assert shown["Mediaan tot eerste contact, bij direct gevaar"].startswith("niet getoond")
    assert (shown["september 2026"], shown["oktober 2026"], shown["november 2026"]) == (
        "<5",
        "5",
        "10",
    )
    assert shown["december 2025"] == "0"


async def test_no_count_from_one_to_four_and_no_person_anywhere(make_bot: MakeBot) -> None:
    bot = await trend_bot(make_bot)
    await november(bot)
    await first_of_december(bot)

    [post] = posts(bot)
    [(_address, _name, _content, alt_text)] = bot.platform.uploads
    for value in [*facts(post.message).values(), post.message.summary]:
        for word in value.replace(":", " ").split():
            assert not (word.isdigit() and 0 < int(word) < 5), (value, word)
    everything = "\n".join([text_of(post.message), post.message.summary, alt_text])
    for secret in ("Pietersen", "Sanne", "Balie West", "staff-1", "M-2026", "Jan Jansen"):
        assert secret not in everything


async def test_the_chart_goes_into_the_report_thread_as_a_png(make_bot: MakeBot) -> None:
    bot = await trend_bot(make_bot)
    await november(bot)
    await first_of_december(bot)

    [post] = posts(bot)
    [(address, filename, content, alt_text)] = bot.platform.uploads
    assert address == post.ref.thread()
    assert filename == "meldingen-2026-11.png"
    assert png_size(content) == (WIDTH_PX, HEIGHT_PX)
    assert 5_000 < len(content) < 300_000
    assert "dec 2025" in alt_text and "nov 2026: 10" in alt_text
    assert "sep 2026: <5" in alt_text and "okt 2026: 5" in alt_text
    assert len(alt_text) <= 1000


async def test_the_first_of_january_moves_to_the_second(make_bot: MakeBot) -> None:
    bot = await trend_bot(make_bot)
    await report(bot, local(2025, 12, 3), Category.THREAT)
    bot.clock.now = local(2025, 12, 20)
    await bot.tick()
    bot.clock.now = local(2026, 1, 1, 9, 0)  # a holiday
    await bot.tick()
    assert not posts(bot)
    bot.clock.now = local(2026, 1, 2, 9, 0)
    await bot.tick()
    [post] = posts(bot)
    assert "december 2025" in text_of(post.message)
    assert facts(post.message)["Meldingen"] == "<5"
    assert len(bot.platform.uploads) == 1


async def test_a_failed_upload_is_retried_without_posting_the_report_again(
    make_bot: MakeBot,
) -> None:
    bot = await trend_bot(make_bot)
    await november(bot)
    fail_once(bot, "upload", DeliveryError("slack: ratelimited", retry_after=60))
    await first_of_december(bot)
    assert len(posts(bot)) == 1 and not bot.platform.uploads

    bot.clock.advance(seconds=61)
    await bot.settle()
    [post] = posts(bot)
    [(address, *_rest)] = bot.platform.uploads
    assert address == post.ref.thread()


async def test_a_failed_report_is_retried_and_then_its_chart_follows(make_bot: MakeBot) -> None:
    bot = await trend_bot(make_bot)
    await november(bot)
    fail_once(bot, "send", DeliveryError("teams: HTTP 502"))
    await first_of_december(bot)
    assert not posts(bot) and not bot.platform.uploads

    bot.clock.advance(seconds=5)
    await bot.settle()
    [post] = posts(bot)
    [(address, *_rest)] = bot.platform.uploads
    assert address == post.ref.thread()


async def test_a_second_try_after_the_report_landed_posts_nothing_twice(
    make_bot: MakeBot,
) -> None:
    """As when an instance died after the post landed, before its row was marked sent."""
    bot = await trend_bot(make_bot)
    await november(bot)
    await first_of_december(bot)
    job = f"trends:{TrendReport.model_validate(TRENDS).job}"
    async with bot.runtime.database.engine.connect() as connection:
        sent = select(TimerRow.id).where(TimerRow.job == job, TimerRow.outcome == "sent")
        [fired] = (await connection.execute(sent)).scalars().all()
    async with bot.runtime.database.transaction() as tx:
        await tx.outbox.enqueue(REPORT, timer_id=fired)
    await bot.settle()
    assert len(posts(bot)) == 1 and len(bot.platform.uploads) == 1


async def test_a_report_late_by_up_to_three_days_still_goes_out(make_bot: MakeBot) -> None:
    bot = await trend_bot(make_bot)
    await november(bot)
    bot.clock.now = local(2026, 11, 30, 23)
    await bot.tick()
    bot.clock.now = local(2026, 12, 3, 14)  # down since before the 1st
    await bot.tick()
    [post] = posts(bot)
    assert "november 2026" in text_of(post.message)


async def test_a_report_later_than_three_days_is_skipped(make_bot: MakeBot) -> None:
    bot = await trend_bot(make_bot)
    bot.clock.now = local(2026, 11, 30, 23)
    await bot.tick()
    bot.clock.now = local(2026, 12, 4, 10)
    await bot.tick()
    assert not posts(bot)


async def test_nothing_is_planned_without_a_trends_section(make_bot: MakeBot) -> None:
    bot = await make_bot()
    bot.clock.now = local(2026, 11, 30, 23)
    await bot.tick()
    bot.clock.now = local(2026, 12, 1, 9)
    await bot.tick()
    assert not posts(bot) and not bot.platform.uploads


def fail_once(
    bot: Harness, method: str, error: DeliveryError, conversation: str = MANAGEMENT
) -> None:
    """The next ``method`` call to ``conversation`` fails with ``error``."""
    original = getattr(bot.platform, method)
    failed: list[Address] = []

    async def flaky(address: Address, *args: Any, **kwargs: Any) -> Any:
        if address.conversation == conversation and not failed:
            failed.append(address)
            raise error
        return await original(address, *args, **kwargs)

    setattr(bot.platform, method, flaky)
