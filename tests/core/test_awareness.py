"""Awareness reminders in team channels: timing in Amsterdam, rotation, content, delivery."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.app import RUNTIME, create_app
from bot.awareness.library import DEFAULT_LIBRARY, Item, fill, load, usable
from bot.awareness.reminders import rotation
from bot.ports import DeliveryError
from bot.schedule.calendar import AMSTERDAM
from bot.schedule.config import Reminder
from bot.schedule.models import Timer
from bot.settings import ConfigError, Settings
from bot.ui import Actions, Heading, Link, Message, Person, Text
from storage.models import TimerRow
from tests.core.conftest import Harness, MakeBot
from tests.fakes.messenger import Sent

TEAM = "team"
WEEKLY = Reminder(platform="web", channel=TEAM, schedule="0 9 * * 1")  # Mondays 09:00
DAILY = Reminder(platform="web", channel=TEAM, schedule="0 9 * * *")


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment on the Amsterdam wall clock, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


def posts(bot: Harness, channel: str = TEAM) -> list[Sent]:
    return [sent for sent in bot.platform.sent if sent.address.conversation == channel]


def heading(message: Message) -> str:
    first = message.blocks[0]
    assert isinstance(first, Heading)
    return first.text


def items(bot: Harness) -> tuple[Item, ...]:
    return usable(load(DEFAULT_LIBRARY), bot.runtime.settings)


def headings(bot: Harness, order: list[Item]) -> list[str]:
    return [fill(item.heading.nl, bot.runtime.settings) for item in order]


async def start(bot: Harness, moment: datetime) -> None:
    """The instance starts at ``moment``: the scheduler plans the next occurrences."""
    bot.clock.now = moment
    assert await bot.tick() == 0


async def at_nine_thirty(bot: Harness, days: int, first: date) -> None:
    for offset in range(days):
        day = first + timedelta(days=offset)
        bot.clock.now = at(day.year, day.month, day.day, 9, 30)
        await bot.tick()


async def occurrences(bot: Harness) -> list[Timer]:
    """Every occurrence, in due order, with what became of it."""
    async with bot.runtime.database.transaction() as tx:
        rows = await tx.session.scalars(select(TimerRow).order_by(TimerRow.due_at))
        return [
            Timer(row.id, row.kind, row.key, row.due_at, row.job, outcome=row.outcome)
            for row in rows
        ]


# -- timing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mondays", "utc_hours"),
    [
        ([date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)], [8, 8, 7]),  # CET → CEST
        ([date(2026, 10, 19), date(2026, 10, 26), date(2026, 11, 2)], [7, 8, 8]),  # CEST → CET
    ],
)
async def test_a_weekly_reminder_is_posted_at_nine_amsterdam_time_across_dst(
    make_bot: MakeBot, mondays: list[date], utc_hours: list[int]
) -> None:
    bot = await make_bot(reminders=[WEEKLY])
    await start(bot, at(mondays[0].year, mondays[0].month, mondays[0].day, 8, 0))
    for monday in mondays:
        due = at(monday.year, monday.month, monday.day)
        bot.clock.now = due - timedelta(minutes=1)
        assert await bot.tick() == 0, f"nothing before nine on {monday}"
        bot.clock.now = due
        assert await bot.tick() == 1, f"the reminder at nine on {monday}"
    assert [due.hour for due in (at(m.year, m.month, m.day) for m in mondays)] == utc_hours
    assert len(posts(bot)) == len(mondays)


@pytest.mark.parametrize(
    ("skip_holidays", "first", "expected"),
    [
        # King's Day 2026 is Monday 27 April; 25 and 26 April are a weekend.
        (True, date(2026, 4, 24), [24, 28]),
        (False, date(2026, 4, 24), [24, 25, 26, 27, 28]),
        # Christmas: Friday 25 and Saturday 26 December, then Sunday.
        (True, date(2026, 12, 23), [23, 24, 28]),
        (False, date(2026, 12, 23), [23, 24, 25, 26, 27, 28]),
    ],
)
async def test_skip_holidays_leaves_out_weekends_and_public_holidays(
    make_bot: MakeBot, skip_holidays: bool, first: date, expected: list[int]
) -> None:
    daily = Reminder(platform="web", channel=TEAM, schedule="0 9 * * *", skip_holidays=True)
    bot = await make_bot(reminders=[daily.model_copy(update={"skip_holidays": skip_holidays})])
    await start(bot, at(first.year, first.month, first.day, 8, 0))
    days_posted: list[int] = []
    for offset in range(expected[-1] - first.day + 1):
        day = first + timedelta(days=offset)
        bot.clock.now = at(day.year, day.month, day.day, 9, 30)
        if await bot.tick():
            days_posted.append(day.day)
    assert days_posted == expected
    assert len(posts(bot)) == len(expected)


@pytest.mark.parametrize(("late_minutes", "expected"), [(30, 1), (90, 0)])
async def test_after_three_days_down_only_the_latest_missed_reminder_within_the_hour(
    make_bot: MakeBot, late_minutes: int, expected: int
) -> None:
    working_days = Reminder(platform="web", channel=TEAM, schedule="0 9 * * 1-5")
    bot = await make_bot(reminders=[working_days])
    await start(bot, at(2026, 11, 23, 8, 0))  # Monday; then down until Thursday
    bot.clock.now = at(2026, 11, 26) + timedelta(minutes=late_minutes)
    await bot.tick()

    assert len(posts(bot)) == expected
    outcomes = [
        (t.due_at.day, t.outcome) for t in await occurrences(bot) if t.job == working_days.job
    ]
    thursday = "sent" if expected else "skipped: too late"
    assert outcomes == [(23, "skipped: superseded"), (26, thursday), (27, None)]
    if expected:  # the first one sent starts the rotation
        first = rotation(working_days.job, items(bot))[0]
        assert heading(posts(bot)[0].message) == fill(first.heading.nl, bot.runtime.settings)


async def test_a_reminder_removed_from_the_configuration_is_not_sent(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[WEEKLY])
    await start(bot, at(2026, 3, 16, 8, 0))  # the 09:00 occurrence is planned

    settings: Settings = bot.runtime.settings.model_copy(update={"reminders": []})
    restarted = (await create_app(settings, clock=bot.clock))[RUNTIME]
    restarted.messengers["web"] = bot.platform
    try:
        bot.clock.now = at(2026, 3, 16, 9, 5)
        assert await restarted.scheduler.tick() == 1
        await restarted.outbox.settle()
    finally:
        await restarted.database.close()

    assert posts(bot) == []
    [occurrence] = [t for t in await occurrences(bot) if t.job == WEEKLY.job]
    assert occurrence.outcome == "skipped: no longer configured"


async def test_a_reminder_for_a_platform_that_is_not_configured_is_skipped(
    make_bot: MakeBot,
) -> None:
    on_slack = WEEKLY.model_copy(update={"platform": "slack", "channel": "C0TEAM"})
    bot = await make_bot(reminders=[on_slack, WEEKLY])
    await start(bot, at(2026, 3, 16, 8, 0))
    bot.clock.now = at(2026, 3, 16, 9, 0)
    assert await bot.tick() == 2

    assert len(bot.platform.sent) == 1  # the web one; nothing was queued for Slack
    [skipped] = [t for t in await occurrences(bot) if t.job == on_slack.job and t.outcome]
    assert skipped.outcome == "skipped: slack is not configured"


# -- rotation and content -------------------------------------------------------------------


async def test_every_item_is_shown_once_before_any_repeats(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY])
    available = items(bot)
    assert len(available) >= 10
    await start(bot, at(2026, 5, 4, 8, 0))
    await at_nine_thirty(bot, len(available) + 3, date(2026, 5, 4))

    shown = [heading(sent.message) for sent in posts(bot)]
    assert len(shown) == len(available) + 3
    first_round = shown[: len(available)]
    assert sorted(first_round) == sorted(headings(bot, list(available)))
    assert shown[len(available) :] == first_round[:3]  # then the same order again
    assert first_round == headings(bot, rotation(DAILY.job, available))


async def test_two_channels_follow_different_orders(make_bot: MakeBot) -> None:
    other = DAILY.model_copy(update={"channel": "team-b"})
    bot = await make_bot(reminders=[DAILY, other])
    count = len(items(bot))
    await start(bot, at(2026, 5, 4, 8, 0))
    await at_nine_thirty(bot, count, date(2026, 5, 4))

    team = [heading(sent.message) for sent in posts(bot, TEAM)]
    team_b = [heading(sent.message) for sent in posts(bot, "team-b")]
    assert sorted(team) == sorted(team_b)  # both show every item ...
    assert team != team_b  # ... in their own order
    assert sum(a == b for a, b in zip(team, team_b, strict=True)) <= 2


async def test_every_reminder_has_the_report_and_consult_buttons(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY])
    await start(bot, at(2026, 5, 4, 8, 0))
    await at_nine_thirty(bot, 3, date(2026, 5, 4))

    assert len(posts(bot)) == 3
    for sent in posts(bot):
        assert sent.address.thread is None and not sent.address.personal
        actions = sent.message.blocks[-1]
        assert isinstance(actions, Actions)
        assert [(b.label, b.action_id) for b in actions.buttons] == [
            ("Melden", "report.start"),
            ("Twijfel je? Overleg anoniem", "consult.start"),
        ]


async def test_english_organisation_gets_english_reminders(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY], language="en")
    await start(bot, at(2026, 5, 4, 8, 0))
    await at_nine_thirty(bot, 1, date(2026, 5, 4))

    [sent] = posts(bot)
    first = rotation(DAILY.job, items(bot))[0]
    assert heading(sent.message) == fill(first.heading.en, bot.runtime.settings)
    actions = sent.message.blocks[-1]
    assert isinstance(actions, Actions)
    assert actions.buttons[0].label == "Report"


async def _one_round(bot: Harness) -> list[Message]:
    await start(bot, at(2026, 5, 4, 8, 0))
    await at_nine_thirty(bot, len(items(bot)), date(2026, 5, 4))
    return [sent.message for sent in posts(bot)]


async def test_the_coordinator_item_shows_the_configured_person(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY])
    [message] = [m for m in await _one_round(bot) if heading(m) == "Wie leest je melding?"]
    [person] = [block for block in message.blocks if isinstance(block, Person)]
    assert (person.name, person.photo_url) == ("Jan Jansen", "https://example.org/jan.jpg")
    text = message.blocks[1]
    assert isinstance(text, Text)
    assert "Je melding komt bij Jan Jansen." in str(text.parts[0])


async def test_the_support_item_shows_the_support_contacts(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY])
    [message] = [m for m in await _one_round(bot) if heading(m) == "Je staat er niet alleen voor"]
    assert [b.name for b in message.blocks if isinstance(b, Person)] == ["Els Bakker"]


def links(messages: list[Message]) -> list[Link]:
    return [
        part
        for message in messages
        for block in message.blocks
        if isinstance(block, Text)
        for part in block.parts
        if isinstance(part, Link)
    ]


async def test_an_item_whose_link_is_not_configured_drops_out(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY])
    messages = await _one_round(bot)
    assert links(messages) == []
    assert "Leer signalen herkennen" not in [heading(m) for m in messages]
    assert "In het nieuws" not in [heading(m) for m in messages]


async def test_a_configured_link_is_shown(make_bot: MakeBot) -> None:
    url = "https://leren.example.org/signalen"
    bot = await make_bot(reminders=[DAILY], awareness_links={"elearning": url})
    messages = await _one_round(bot)
    assert links(messages) == [Link(url, "Naar de e-learning")]
    assert "In het nieuws" not in [heading(m) for m in messages]  # its link is still missing


# -- delivery -------------------------------------------------------------------------------


async def test_a_failed_delivery_is_retried_later_once(make_bot: MakeBot) -> None:
    bot = await make_bot(reminders=[DAILY])
    await start(bot, at(2026, 5, 4, 8, 0))
    bot.platform.failures.append(DeliveryError("rate limited", retry_after=120))
    bot.clock.now = at(2026, 5, 4, 9, 0)
    assert await bot.tick() == 1
    assert posts(bot) == []

    bot.clock.advance(seconds=60)
    await bot.settle()
    assert posts(bot) == []  # Retry-After is honoured
    bot.clock.advance(seconds=61)
    await bot.tick()
    await bot.tick()
    [sent] = posts(bot)
    first = rotation(DAILY.job, items(bot))[0]
    assert heading(sent.message) == fill(first.heading.nl, bot.runtime.settings)


async def test_a_late_delivery_still_shows_the_item_chosen_when_it_fired(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(reminders=[DAILY])
    order = headings(bot, rotation(DAILY.job, items(bot)))
    await start(bot, at(2026, 5, 4, 8, 0))
    bot.platform.failures.append(DeliveryError("down", retry_after=25 * 3600))
    bot.clock.now = at(2026, 5, 4, 9, 0)
    await bot.tick()  # Monday's fails until Tuesday 10:00
    bot.clock.now = at(2026, 5, 5, 9, 0)
    await bot.tick()  # Tuesday's goes out first
    bot.clock.now = at(2026, 5, 5, 10, 0)
    await bot.settle()

    assert [heading(sent.message) for sent in posts(bot)] == [order[1], order[0]]


# -- the library file -----------------------------------------------------------------------


def test_the_default_library_is_complete_and_grounded() -> None:
    library = load(DEFAULT_LIBRARY)
    assert len(library.items) >= 10
    for item in library.items:
        assert item.source, f"{item.id} names where in the seeds its idea comes from"
        for text in (item.text.nl, item.text.en):
            assert 60 <= len(text) <= 400, item.id
    kinds = {item.person for item in library.items} | {item.link for item in library.items}
    assert {"coordinator", "support", "elearning", "news"} <= kinds
    story = next(item for item in library.items if item.id == "story")
    assert "voorbeeld" in story.text.nl.lower()  # a success story says it is an example


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "eigen.toml"
    path.write_text(body, encoding="utf-8")
    return path


OWN = """
[[items]]
id = "een"
heading = {{ nl = "Eerste", en = "First" }}
text = {{ nl = "{text}", en = "One at {{organisation}}." }}

[[items]]
id = "twee"
heading = {{ nl = "Tweede", en = "Second" }}
text = {{ nl = "Twee.", en = "Two." }}
"""


async def test_an_organisation_can_use_its_own_library(make_bot: MakeBot, tmp_path: Path) -> None:
    own = write(tmp_path, OWN.format(text="Een bij {organisation}."))
    bot = await make_bot(reminders=[DAILY], awareness_library=own)
    await start(bot, at(2026, 5, 4, 8, 0))
    await at_nine_thirty(bot, 4, date(2026, 5, 4))
    shown = [heading(sent.message) for sent in posts(bot)]
    assert sorted(shown[:2]) == ["Eerste", "Tweede"] and shown[2:] == shown[:2]
    [one] = [s.message for s in posts(bot) if heading(s.message) == "Eerste"][:1]
    text = one.blocks[1]
    assert isinstance(text, Text) and text.parts[0] == "Een bij Gemeente Voorbeeld."


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        (OWN.format(text="Een bij {naam}."), "unknown placeholders ['naam']"),
        (OWN.format(text="Een.").replace(', en = "First"', ""), "items.0.heading.en"),
        (OWN.format(text="Een.").replace('"twee"', '"een"'), "unique"),
        ("[[items]\nid = ", "cannot be read"),
    ],
)
async def test_a_broken_library_stops_start_up_naming_the_file(
    make_bot: MakeBot, tmp_path: Path, body: str, complaint: str
) -> None:
    own = write(tmp_path, body)
    with pytest.raises(ConfigError) as refused:
        await make_bot(awareness_library=own)
    assert str(own) in str(refused.value)
    assert complaint in str(refused.value)


def test_links_must_be_web_addresses() -> None:
    with pytest.raises(ValueError, match="awareness_links"):
        Settings(awareness_links={"news": "javascript:alert(1)"})
