"""On-call (piket): the rota, the page, "Ik bel nu", the call back, and the escalation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.case.models import Reporter, Status
from bot.events import Actor, Address, Platform
from bot.oncall.page import page_of
from bot.oncall.rota import OnCallPerson, OnCallRota, Shift
from bot.ports import DeliveryError
from bot.settings import load_settings
from bot.ui import ChannelMention, Mention, Message, Text
from tests.core.conftest import JAN, PIET, SANNE, Harness, MakeBot
from tests.fakes.messenger import Sent
from tests.text import buttons, text_of

KARIN = Actor("web", "coord-2", "Karin Kok")
PIM = Actor("web", "piket-1", "Pim Post")  # on the rota, not on the coordinators' list
ROTA = OnCallRota(
    rotation=[OnCallPerson(id=KARIN.user_id, name=KARIN.name)],
    backup=OnCallPerson(id=JAN.user_id, name=JAN.name),
)


def _person(name: str) -> OnCallPerson:
    return OnCallPerson(id=name.lower(), name=name)


def _on_call(
    rota: OnCallRota, year: int, month: int, day: int, hour: int, minute: int
) -> str | None:
    person = rota.who_is_on_call(datetime(year, month, day, hour, minute, tzinfo=UTC))
    return person.name if person else None


def _mentions(message: Message) -> list[str]:
    return [
        part.user_id
        for block in message.blocks
        if isinstance(block, Text)
        for part in block.parts
        if isinstance(part, Mention)
    ]


def _channel_wide(message: Message) -> bool:
    return any(
        isinstance(part, ChannelMention)
        for block in message.blocks
        if isinstance(block, Text)
        for part in block.parts
    )


# -- the rota ----------------------------------------------------------------------------


def test_the_rotation_hands_over_weekly_at_local_time_also_when_the_clocks_change() -> None:
    rota = OnCallRota(rotation=[_person("Anna"), _person("Bram"), _person("Cem")])
    # Monday 2 March, handover at 09:00 Amsterdam (08:00 UTC): week 8 since 5 January.
    assert _on_call(rota, 2026, 3, 2, 7, 59) == "Bram"
    assert _on_call(rota, 2026, 3, 2, 8, 0) == "Cem"
    # Summer time began on Sunday 29 March: Monday's 09:00 is now 07:00 UTC, and the
    # short week still counts as one.
    assert _on_call(rota, 2026, 3, 30, 6, 59) == "Cem"
    assert _on_call(rota, 2026, 3, 30, 7, 0) == "Anna"
    assert _on_call(rota, 2026, 3, 30, 7, 30) == "Anna", "not 168 hours after the last one"
    # Winter time again from Sunday 25 October: 09:00 is 08:00 UTC.
    assert _on_call(rota, 2026, 10, 26, 7, 59) == _on_call(rota, 2026, 10, 25, 12, 0)
    assert _on_call(rota, 2026, 10, 26, 8, 0) != _on_call(rota, 2026, 10, 25, 12, 0)
    assert _on_call(rota, 2026, 1, 4, 12, 0) == "Cem", "before the start it counts back"


def test_dated_shifts_win_while_they_last() -> None:
    rota = OnCallRota.model_validate(
        {
            "rotation": [_person("Anna"), _person("Bram")],
            "handover_weekday": 2,  # Wednesday
            "handover_time": "17:00",
            "rotation_start": "2026-01-07",
            "shifts": [
                # A date alone hands over at the rota's handover time (17:00 local).
                {"start": "2026-12-24", "end": "2026-12-27T09:00", "person": _person("Dirk")},
                {"start": "2027-01-01T00:00", "person": _person("Eva")},
            ],
            "backup": _person("Bob"),
        }
    )
    # Week 50 since 7 January began on Wednesday 23 December at 17:00.
    assert _on_call(rota, 2026, 12, 24, 15, 59) == "Anna"  # 16:59 local: the rotation
    assert _on_call(rota, 2026, 12, 24, 16, 0) == "Dirk"
    assert _on_call(rota, 2026, 12, 27, 7, 59) == "Dirk"
    assert _on_call(rota, 2026, 12, 27, 8, 0) == "Anna", "after its end the rotation is back"
    assert _on_call(rota, 2026, 12, 31, 22, 59) == "Bram"  # Wednesday 30th 17:00 handed over
    assert _on_call(rota, 2026, 12, 31, 23, 0) == "Eva"  # midnight local
    assert _on_call(rota, 2027, 6, 1, 12, 0) == "Eva", "the last open shift lasts"
    assert rota.backup is not None and rota.backup.name == "Bob"


def test_a_dated_list_alone_names_nobody_before_its_first_shift() -> None:
    shift = Shift(start=datetime(2026, 3, 2, 8, 0), person=_person("Anna"))
    rota = OnCallRota(shifts=[shift])
    assert rota.configured
    assert _on_call(rota, 2026, 3, 2, 6, 59) is None
    assert _on_call(rota, 2026, 3, 2, 7, 0) == "Anna"
    assert not OnCallRota().configured and _on_call(OnCallRota(), 2026, 3, 2, 7, 0) is None


@pytest.mark.parametrize(
    ("config", "complaint"),
    [
        (
            {
                "shifts": [
                    {"start": "2026-03-09", "person": {"id": "a"}},
                    {"start": "2026-03-02", "person": {"id": "b"}},
                ]
            },
            "in order",
        ),
        (
            {
                "shifts": [
                    {"start": "2026-03-02", "end": "2026-03-10", "person": {"id": "a"}},
                    {"start": "2026-03-09", "person": {"id": "b"}},
                ]
            },
            "overlaps",
        ),
        ({"shifts": [{"start": "2026-03-02", "end": "2026-03-01", "person": {"id": "a"}}]}, "ends"),
        ({"rotation": [{"id": "a"}], "rotation_start": "2026-01-06"}, "handover_weekday"),
        ({"rotation": [{"id": ""}]}, "at least 1"),
        ({"escalate_after_minutes": 0}, "greater than or equal to 1"),
    ],
)
def test_a_wrong_rota_is_refused(config: dict[str, object], complaint: str) -> None:
    with pytest.raises(ValidationError, match=complaint):
        OnCallRota.model_validate(config)


def test_the_rota_reads_from_the_configuration_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "meldbot.toml"
    config.write_text(
        "[oncall]\n"
        'rotation = [{ id = "U01", name = "Anna" }, { id = "U02", name = "Bram" }]\n'
        "rotation_start = 2026-01-05\n"
        "handover_time = 09:00:00\n"
        "escalate_after_minutes = 20\n"
        'backup = { id = "U09", name = "Bob" }\n'
        "[[oncall.shifts]]\n"
        "start = 2026-12-21\n"
        "end = 2026-12-28T09:00:00\n"
        'person = { id = "U03", name = "Cem" }\n'
    )
    monkeypatch.setenv("MELDBOT_CONFIG", str(config))
    rota = load_settings().oncall
    assert rota.escalate_after_minutes == 20
    assert _on_call(rota, 2026, 12, 21, 7, 59) == "Bram"  # 08:59 local: week 49
    assert _on_call(rota, 2026, 12, 21, 8, 0) == "Cem"
    assert _on_call(rota, 2026, 12, 28, 8, 0) == "Bram"  # week 51


# -- paging ------------------------------------------------------------------------------


async def _report(bot: Harness, urgent: bool = True, **values: str) -> int:
    answers = {"narrative": "Een man staat met een mes bij de balie.", **values}
    answers["danger"] = "yes" if urgent else "no"
    await bot.submit(SANNE, "report", answers)
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    return case.id


def _root(bot: Harness) -> Sent:
    [root] = bot.platform.roots()
    return root


def _news(bot: Harness) -> list[Sent]:
    """What the reporter heard after their receipt (the first message in their chat)."""
    receipt, *news = bot.platform.dms(SANNE.user_id)
    assert "M-2026-0001" in text_of(receipt.message)
    return news


def _thread(bot: Harness) -> list[Message]:
    return [sent.message for sent in bot.platform.thread(_root(bot).ref)]


def _pages(bot: Harness) -> list[Message]:
    return [m for m in _thread(bot) if "oncall.on_it" in buttons(m)]


async def test_an_urgent_report_pages_the_person_on_call(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot, category="threat")

    [dm] = bot.platform.dms(KARIN.user_id)
    page = text_of(dm.message)
    assert "Dringende melding M-2026-0001" in page and "Urgentie: Nu gevaar" in page
    assert "Soort: Bedreiging" in page and "Melder: Sanne de Vries" in page
    assert "Een man staat met een mes bij de balie." in page
    assert "vóór 10:30" in page  # 09:00 UTC is 10:00 in Amsterdam
    assert buttons(dm.message) == {"oncall.on_it": str(case_id)}

    [note] = _pages(bot)
    assert _mentions(note) == [KARIN.user_id]
    assert "Piket: @coord-2 is gepaged om 10:00 — terugbellen vóór 10:30." in text_of(note)
    assert buttons(note) == {"oncall.on_it": str(case_id), "oncall.called_back": str(case_id)}
    assert not _channel_wide(note)
    assert not bot.platform.dms(JAN.user_id), "the backup sleeps until it escalates"


async def test_a_normal_report_pages_nobody(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    await _report(bot, urgent=False)
    bot.clock.advance(minutes=31)
    await bot.tick()
    assert not bot.platform.dms(KARIN.user_id) and not bot.platform.dms(JAN.user_id)
    assert not _pages(bot) and not any(_channel_wide(m) for m in _thread(bot))


async def test_only_coordinators_and_the_paged_person_may_answer(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot)
    before = len(bot.platform.sent), len(bot.platform.updates)

    for action in ("oncall.on_it", "oncall.called_back"):
        refused = await bot.press(PIET, action, str(case_id))
        assert "Alleen coördinatoren en wie piket heeft" in text_of(refused.private[0])
    await bot.settle()
    assert (len(bot.platform.sent), len(bot.platform.updates)) == before
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.handler_id is None and case.status is Status.NEW

    bot.clock.advance(minutes=30)
    await bot.tick()
    assert bot.platform.dms(JAN.user_id), "the refused press did not stop the page"


async def test_the_paged_person_answers_even_when_not_a_coordinator(make_bot: MakeBot) -> None:
    rota = OnCallRota(rotation=[OnCallPerson(id=PIM.user_id, name=PIM.name)])
    bot = await make_bot(oncall=rota)
    case_id = await _report(bot)
    assert bot.platform.dms(PIM.user_id)

    async with bot.runtime.database.transaction() as tx:
        assert await page_of(tx, case_id) is not None

    answered = await bot.press(PIM, "oncall.on_it", str(case_id))
    assert "de oproep stopt hier" in text_of(answered.private[0])
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.handler_name == PIM.name
    async with bot.runtime.database.transaction() as tx:
        assert await page_of(tx, case_id) is None, "whom the page reached is not kept"
    again = await bot.press(PIM, "oncall.on_it", str(case_id))
    # Who handles it is not told to someone who is no coordinator (not even who it was).
    assert "geen open oproep" in text_of(again.private[0])
    assert PIM.name not in text_of(again.private[0])
    coordinator_again = await bot.press(JAN, "oncall.on_it", str(case_id))
    assert "Pim Post belt de melder al terug" in text_of(coordinator_again.private[0])


async def test_answering_in_time_stops_the_escalation(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot)
    root = _root(bot)

    bot.clock.advance(minutes=3)
    answered = await bot.press(KARIN, "oncall.on_it", str(case_id))
    assert "M-2026-0001" in text_of(answered.private[0])
    await bot.settle()

    assert "Karin Kok belt de melder nu terug." in text_of(_thread(bot)[-1])
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.handler_name == "Karin Kok" and case.status is Status.IN_PROGRESS
    assert "Karin Kok" in text_of(bot.platform.updates[-1][1])
    assert bot.platform.updates[-1][0] == root.ref
    [calm] = _news(bot)
    assert "Er belt je nu iemand terug over je melding M-2026-0001: Karin Kok." in text_of(
        calm.message
    )

    sent = len(bot.platform.sent)
    again = await bot.press(JAN, "oncall.on_it", str(case_id))
    assert "Karin Kok belt de melder al terug" in text_of(again.private[0])

    bot.clock.advance(minutes=31)
    await bot.tick()
    bot.clock.advance(hours=2)
    await bot.tick()
    assert len(bot.platform.sent) == sent, "nothing more after the answer"
    assert not bot.platform.dms(JAN.user_id)


async def test_no_feedback_to_a_reporter_who_declined_it(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot, feedback="no")
    await bot.press(KARIN, "oncall.on_it", str(case_id))
    await bot.settle()
    assert not _news(bot)


async def test_without_an_answer_the_backup_and_the_channel_are_paged_once(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot)

    bot.clock.advance(minutes=29)
    await bot.tick()
    assert not bot.platform.dms(JAN.user_id)

    bot.clock.advance(minutes=1)
    await bot.tick()
    [backup] = bot.platform.dms(JAN.user_id)
    assert "Je bent de back-up" in text_of(backup.message)
    assert buttons(backup.message) == {"oncall.on_it": str(case_id)}
    [escalation] = [m for m in _thread(bot) if _channel_wide(m)]
    assert _mentions(escalation) == [JAN.user_id]
    assert "Nog niemand heeft op de oproep gereageerd." in text_of(escalation)
    assert "oncall.on_it" in buttons(escalation)

    for _ in range(3):
        bot.clock.advance(minutes=30)
        await bot.tick()
    assert len(bot.platform.dms(JAN.user_id)) == 1
    assert len([m for m in _thread(bot) if _channel_wide(m)]) == 1

    await bot.press(JAN, "oncall.on_it", str(case_id))  # the backup may still answer
    await bot.settle()
    assert "Jan Jansen belt de melder nu terug." in text_of(_thread(bot)[-1])


async def test_the_escalation_time_is_configurable(make_bot: MakeBot) -> None:
    rota = ROTA.model_copy(update={"escalate_after_minutes": 10})
    bot = await make_bot(oncall=rota)
    await _report(bot)
    assert "Geen reactie vóór 10:10?" in text_of(_pages(bot)[0])

    bot.clock.advance(minutes=9, seconds=59)
    await bot.tick()
    assert not bot.platform.dms(JAN.user_id)
    bot.clock.advance(seconds=1)
    await bot.tick()
    assert bot.platform.dms(JAN.user_id)


async def test_the_call_back_is_recorded_and_shown(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot)

    bot.clock.advance(minutes=7)
    answered = await bot.press(JAN, "oncall.called_back", str(case_id))
    assert "is teruggebeld" in text_of(answered.private[0])
    await bot.settle()
    note = text_of(_thread(bot)[-1])
    assert note == "Teruggebeld om 10:07 (7 minuten na de melding), door Jan Jansen."
    assert not _news(bot), "the reporter was just on the phone"

    twice = await bot.press(KARIN, "oncall.called_back", str(case_id))
    assert "heeft het terugbellen al vastgelegd" in text_of(twice.private[0])
    late = await bot.press(KARIN, "oncall.on_it", str(case_id))
    assert late.private, "after the call back, “Ik bel nu” changes nothing"

    bot.clock.advance(minutes=30)
    await bot.tick()
    assert not bot.platform.dms(JAN.user_id)
    assert not any(_channel_wide(m) for m in _thread(bot))


async def test_closing_the_case_ends_its_page(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=ROTA)
    case_id = await _report(bot)
    await bot.submit(JAN, "case.close", {"summary": "Politie was er al."}, str(case_id))
    bot.clock.advance(minutes=31)
    await bot.tick()
    assert not bot.platform.dms(JAN.user_id)
    closed = await bot.press(KARIN, "oncall.on_it", str(case_id))
    assert "afgesloten" in text_of(closed.private[0])
    async with bot.runtime.database.transaction() as tx:
        assert await page_of(tx, case_id) is None


async def test_without_a_rota_the_whole_channel_is_paged_at_once(make_bot: MakeBot) -> None:
    bot = await make_bot()
    case_id = await _report(bot)
    [page] = _pages(bot)
    assert _channel_wide(page) and not _mentions(page)
    assert "er heeft nu niemand piket" in text_of(page)
    assert "vóór 10:30" in text_of(page)
    assert [s for s in bot.platform.sent if s.address.personal] == [
        s for s in bot.platform.sent if s.address.conversation == f"dm:{SANNE.user_id}"
    ], "no personal page: there is nobody to page"

    await bot.press(JAN, "oncall.on_it", str(case_id))
    bot.clock.advance(minutes=31)
    await bot.tick()
    assert len([m for m in _thread(bot) if _channel_wide(m)]) == 1


async def test_a_failed_page_is_retried_and_nothing_is_lost(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await make_bot(oncall=ROTA)
    send = bot.platform.send
    failed: list[Address] = []

    async def flaky(address: Address, message: Message) -> object:
        if address.conversation == f"dm:{KARIN.user_id}" and not failed:
            failed.append(address)
            raise DeliveryError("the platform is down", retry_after=20)
        return await send(address, message)

    monkeypatch.setattr(bot.platform, "send", flaky)
    await _report(bot)
    assert failed and not bot.platform.dms(KARIN.user_id)

    bot.clock.advance(seconds=21)
    await bot.settle()
    assert len(bot.platform.dms(KARIN.user_id)) == 1
    assert len(_pages(bot)) == 1


async def test_the_page_does_not_wait_for_a_channel_that_is_down(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox sends a case's channel posts in order; the personal page goes regardless."""
    bot = await make_bot(oncall=ROTA)
    send = bot.platform.send

    async def channel_down(address: Address, message: Message) -> object:
        if address.conversation == "coordinators":
            raise DeliveryError("the channel is rate-limited", retry_after=300)
        return await send(address, message)

    monkeypatch.setattr(bot.platform, "send", channel_down)
    await _report(bot)
    assert not bot.platform.in_channel(), "the alert waits for the channel"
    assert len(bot.platform.dms(KARIN.user_id)) == 1, "Karin is paged all the same"


async def test_the_page_goes_to_the_rota_platform(make_bot: MakeBot) -> None:
    """A rota on another platform than the case's: a personal page there, a name here."""
    other: Platform = "teams"
    rota = ROTA.model_copy(update={"platform": other})
    bot = await make_bot(oncall=rota)
    await _report(bot)
    [note] = _pages(bot)
    assert not _mentions(note) and "Piket: Karin Kok is gepaged" in text_of(note)
    assert not bot.platform.dms(KARIN.user_id), "teams is not configured: nothing sent here"
