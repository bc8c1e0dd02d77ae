"""Aftercare: "how are you doing now?" some days after closing, only with consent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.case.models import Reporter
from bot.ports import DeliveryError
from storage.models import TimerRow
from tests.core.conftest import AHMED, JAN, SANNE, Harness, MakeBot
from tests.fakes.messenger import Sent
from tests.text import buttons, text_of

MONDAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # 10:00 in Amsterdam
HOW_ARE_YOU = "Hoe gaat het nu met je?"


async def _closed_case(bot: Harness, **values: str) -> int:
    bot.clock.now = MONDAY
    await bot.submit(SANNE, "report", {"narrative": "Een klant spuugde naar me.", **values})
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    await bot.press(JAN, "case.claim", str(case.id))
    bot.clock.advance(hours=4)
    await _close(bot, case.id)
    return case.id


async def _close(bot: Harness, case_id: int) -> None:
    await bot.submit(JAN, "case.close", {"summary": "Ordegesprek gevoerd."}, str(case_id))
    await bot.settle()


async def _at(bot: Harness, moment: datetime) -> None:
    bot.clock.now = moment
    await bot.tick()


def _check_ins(bot: Harness) -> list[Sent]:
    return [s for s in bot.platform.sent if HOW_ARE_YOU in text_of(s.message)]


async def test_the_reporter_who_consented_is_asked_after_the_configured_days(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(aftercare_days=3)
    case_id = await _closed_case(bot, aftercare="yes")
    await _at(bot, datetime(2026, 3, 5, 8, 59, tzinfo=UTC))
    assert not _check_ins(bot)
    await _at(bot, datetime(2026, 3, 5, 9, 0, tzinfo=UTC))  # Thursday 10:00 in Amsterdam

    [check_in] = _check_ins(bot)
    assert check_in.address.conversation == f"dm:{SANNE.user_id}" and check_in.address.personal
    text = text_of(check_in.message)
    assert "M-2026-0001" in text
    assert "Els Bakker (Vertrouwenspersoon)" in text, "the support contacts, as people"
    assert buttons(check_in.message) == {"case.add_info": str(case_id)}
    assert not bot.platform.dms(AHMED.user_id)
    await _at(bot, datetime(2026, 3, 12, 9, 0, tzinfo=UTC))
    assert len(_check_ins(bot)) == 1, "asked once"


async def test_a_check_in_that_falls_on_a_weekend_waits_for_monday(bot: Harness) -> None:
    await _closed_case(bot, aftercare="yes")  # closed Monday; 5 days later is Saturday
    await _at(bot, datetime(2026, 3, 8, 12, 0, tzinfo=UTC))
    assert not _check_ins(bot)
    await _at(bot, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert len(_check_ins(bot)) == 1


async def test_no_check_in_without_consent(bot: Harness) -> None:
    await _closed_case(bot)
    await _at(bot, MONDAY + timedelta(days=30))
    assert not _check_ins(bot)


async def test_a_reopened_case_gets_no_check_in_until_it_closes_again(bot: Harness) -> None:
    case_id = await _closed_case(bot, aftercare="yes")
    bot.clock.advance(days=1)
    await bot.press(JAN, "case.reopen", str(case_id))
    await _at(bot, MONDAY + timedelta(days=14))
    assert not _check_ins(bot)
    async with bot.runtime.database.transaction() as tx:
        aftercare = select(TimerRow.outcome).where(TimerRow.key.contains(":aftercare"))
        outcomes = list(await tx.session.scalars(aftercare))
    assert outcomes == ["cancelled"], "reopening ends the check-in"

    await _close(bot, case_id)  # closed again on Monday 16 March
    await _at(bot, datetime(2026, 3, 23, 9, 0, tzinfo=UTC))
    assert len(_check_ins(bot)) == 1


async def test_anonymous_reporters_get_no_check_in(bot: Harness) -> None:
    bot.clock.now = MONDAY
    anonymous = await bot.press(SANNE, "report.anonymous")
    assert anonymous.form is not None
    assert "aftercare" not in [field.id for field in anonymous.form.fields]
    # Even a forged consent reaches nobody: there is no one to write to.
    await bot.submit(
        SANNE,
        anonymous.form.form_id,
        {"narrative": "Een collega wordt bedreigd.", "notify": "no", "aftercare": "yes"},
    )
    await bot.settle()
    [root] = bot.platform.roots()
    case_id = int(buttons(root.message)["case.claim"])
    await bot.press(JAN, "case.claim", str(case_id))
    await _close(bot, case_id)
    sent = len(bot.platform.sent)
    await _at(bot, MONDAY + timedelta(days=30))
    assert not _check_ins(bot) and len(bot.platform.sent) == sent


async def test_the_check_in_speaks_the_reporters_language(bot: Harness) -> None:
    await bot.press(SANNE, "menu.language", "en")
    await _closed_case(bot, aftercare="yes")
    await _at(bot, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    [check_in] = [s for s in bot.platform.dms(SANNE.user_id) if "How are you" in s.message.summary]
    assert "How are you doing now?" in text_of(check_in.message)


async def test_the_button_brings_what_the_reporter_says_to_the_coordinators(
    bot: Harness,
) -> None:
    case_id = await _closed_case(bot, aftercare="yes")
    await _at(bot, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    [check_in] = _check_ins(bot)
    form = await bot.press(SANNE, "case.add_info", buttons(check_in.message)["case.add_info"])
    assert form.form is not None
    await bot.submit(SANNE, form.form.form_id, {"text": "Ik slaap slecht."}, form.form.state)
    await bot.settle()
    [root] = bot.platform.roots()
    assert "Ik slaap slecht." in text_of(bot.platform.thread(root.ref)[-1].message)
    assert form.form.state == str(case_id)


async def test_an_outage_delays_the_check_in_but_loses_nothing(bot: Harness) -> None:
    await _closed_case(bot, aftercare="yes")
    bot.platform.failures.append(DeliveryError("service unavailable", retry_after=60))
    await _at(bot, datetime(2026, 3, 9, 9, 0, tzinfo=UTC))
    assert not _check_ins(bot) and not bot.platform.failures

    bot.clock.advance(seconds=61)
    await bot.settle()
    assert len(_check_ins(bot)) == 1
