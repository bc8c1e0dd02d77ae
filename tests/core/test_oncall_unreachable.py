"""A personal page that cannot be delivered is never silent: the case thread says so at
once, with what happens now, and the escalation does not wait for its timer."""

from __future__ import annotations

import pytest

from bot.events import Address
from bot.oncall.rota import OnCallPerson, OnCallRota
from bot.ports import DeliveryError
from bot.ui import Message
from tests.core.conftest import JAN, Harness, MakeBot
from tests.core.test_oncall import KARIN, _channel_wide, _mentions, _report, _thread
from tests.text import text_of

ROTA = OnCallRota(
    rotation=[OnCallPerson(id=KARIN.user_id, name=KARIN.name)],
    backup=OnCallPerson(id=JAN.user_id, name=JAN.name),
)


def _unreachable(bot: Harness, people: set[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """These people's personal chats refuse every message, for good."""
    send = bot.platform.send

    async def refusing(address: Address, message: Message) -> object:
        if address.conversation in {f"dm:{person}" for person in people}:
            raise DeliveryError("this person cannot be reached", permanent=True)
        return await send(address, message)

    monkeypatch.setattr(bot.platform, "send", refusing)


def _pages_counted(bot: Harness, outcome: str) -> float:
    metrics = bot.runtime.metrics
    assert metrics is not None
    value = metrics.registry.get_sample_value("meldbot_pages_total", {"outcome": outcome})
    return value or 0.0


async def test_an_undelivered_page_is_said_in_the_thread_and_escalates_at_once(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await make_bot(oncall=ROTA)
    _unreachable(bot, {KARIN.user_id}, monkeypatch)
    await _report(bot)  # no clock moves: nothing waits for the escalation timer

    thread = [text_of(m) for m in _thread(bot)]
    [failed] = [i for i, text in enumerate(thread) if "kwam niet aan" in text]
    assert "meldbot roept nu meteen de back-up en iedereen hier op" in thread[failed]
    assert "Bel Karin Kok als dat kan" in thread[failed] or KARIN.user_id in str(
        _mentions(_thread(bot)[failed])
    )
    escalations = [m for m in _thread(bot) if _channel_wide(m)]
    assert len(escalations) == 1, "the backup and everyone here are called on"
    assert thread.index(text_of(escalations[0])) > failed, "the reason comes first"
    assert len(bot.platform.dms(JAN.user_id)) == 1, "the backup is paged personally"
    assert _pages_counted(bot, "failed") == 1
    assert _pages_counted(bot, "escalated") == 1

    # When the timer comes due, the page has escalated already: nobody is paged twice.
    bot.clock.advance(minutes=31)
    await bot.tick()
    assert len([m for m in _thread(bot) if _channel_wide(m)]) == 1
    assert len(bot.platform.dms(JAN.user_id)) == 1
    assert _pages_counted(bot, "escalated") == 1


async def test_when_the_backup_cannot_be_reached_either_the_thread_says_whom_to_call(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await make_bot(oncall=ROTA)
    _unreachable(bot, {KARIN.user_id, JAN.user_id}, monkeypatch)
    await _report(bot)

    thread = " | ".join(text_of(m) for m in _thread(bot))
    assert "De oproep aan" in thread and "Ook de oproep aan de back-up" in thread
    assert "Bel nu wie piket heeft of de back-up." in thread
    assert "Teams" not in thread, "the Teams advice is for Teams only"
    assert _pages_counted(bot, "failed") == 2
    assert _pages_counted(bot, "sent") == 0


async def test_a_page_that_can_be_retried_waits_for_its_retry_not_for_the_escalation(
    make_bot: MakeBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = await make_bot(oncall=ROTA)
    send = bot.platform.send
    tried: list[str] = []

    async def busy(address: Address, message: Message) -> object:
        if address.conversation == f"dm:{KARIN.user_id}" and not tried:
            tried.append(address.conversation)
            raise DeliveryError("the platform is busy", retry_after=20)
        return await send(address, message)

    monkeypatch.setattr(bot.platform, "send", busy)
    await _report(bot)
    assert tried and not [m for m in _thread(bot) if "kwam niet aan" in text_of(m)]
    assert not [m for m in _thread(bot) if _channel_wide(m)], "no escalation yet"
    bot.clock.advance(seconds=21)
    await bot.settle()
    assert len(bot.platform.dms(KARIN.user_id)) == 1
    assert _pages_counted(bot, "sent") == 1 and _pages_counted(bot, "failed") == 0
