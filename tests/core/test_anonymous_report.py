"""Anonymous reports: directly, or from a consultation; followed with the receipt code."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from bot.case.models import Reporter
from bot.housekeeping import forget_consultations
from tests.core.conftest import JAN, SANNE, Harness
from tests.core.test_consultation import QUESTION, code_in, consult, follow
from tests.privacy import tables_holding
from tests.text import block_text, buttons, text_of

SANNE_IDS = [SANNE.user_id, SANNE.name or "", f"dm:{SANNE.user_id}"]


async def _count(bot: Harness, table: str) -> int:
    async with bot.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text(f"SELECT count(*) FROM {table}"))).scalar() or 0)


async def test_a_direct_anonymous_report_is_a_case_without_a_reporter(bot: Harness) -> None:
    form = await bot.press(SANNE, "report.anonymous")
    assert form.form is not None
    intro = " ".join(block_text(block) for block in form.form.intro)
    assert "slaat niet op wie je bent" in intro, "the honest note comes before writing"
    values = {"narrative": "Ik werd bedreigd bij de balie.", "danger": "yes", "notify": "no"}
    response = await bot.submit(SANNE, "report.anonymous", values)
    code = code_in(response)
    assert response.result is not None
    assert "112" in text_of(response.result), "nobody can call an anonymous reporter back"
    await bot.settle()
    [copy] = bot.platform.dms(SANNE.user_id)
    assert code in text_of(copy.message), "the code also reached the colleague's chat"
    [root] = bot.platform.roots()
    assert f"Anonieme collega · {code[:4]}" in text_of(root.message)
    assert await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id)) == []

    case_id = buttons(root.message)["case.ask"]
    await bot.submit(JAN, "case.question", {"question": "Welke balie was het?"}, case_id)
    await bot.settle()
    assert bot.platform.dms(SANNE.user_id) == [copy], "nothing unasked after the code"
    view = await follow(bot, code)
    assert "Welke balie was het?" in text_of(view)
    token = buttons(view)["consult.reply"]
    await bot.submit(SANNE, "consult.reply", {"text": "Balie 3."}, token)
    await bot.settle()
    last = text_of(bot.platform.thread(root.ref)[-1].message)
    assert "Balie 3." in last and "antwoordde" in last, "a reply to a question is an answer"
    assert (
        await tables_holding(bot.runtime.database.engine, bot.runtime.database._sealer, SANNE_IDS)
        == {}
    )


async def test_a_consultation_becomes_an_anonymous_report_with_the_same_code(bot: Harness) -> None:
    code = await consult(bot)
    view = await follow(bot, code)
    form = await bot.press(SANNE, "consult.report", buttons(view)["consult.report"])
    assert form.form is not None and form.form.fields[0].initial == QUESTION
    values = {"narrative": QUESTION, "identity": "anonymous"}
    done = await bot.submit(SANNE, "consult.report", values, form.form.state)
    assert "dezelfde" in text_of(done.messages[0])
    await bot.settle()
    consultation_root, case_root = bot.platform.roots()
    assert "anonieme melding M-2026-0001" in text_of(
        bot.platform.thread(consultation_root.ref)[-1].message
    )
    assert f"Anonieme collega · {code[:4]}" in text_of(case_root.message)
    again = await follow(bot, code)
    assert "M-2026-0001" in text_of(again), "the code now follows the case"
    assert (
        await tables_holding(bot.runtime.database.engine, bot.runtime.database._sealer, SANNE_IDS)
        == {}
    )


async def test_a_consultation_becomes_a_named_report_when_chosen(bot: Harness) -> None:
    code = await consult(bot)
    view = await follow(bot, code)
    token = buttons(view)["consult.report"]
    values = {"narrative": QUESTION, "identity": "named"}
    done = await bot.submit(SANNE, "consult.report", values, token)
    assert done.result is not None and "M-2026-0001" in text_of(done.result)
    await bot.settle()
    assert "M-2026-0001" in text_of(bot.platform.dms(SANNE.user_id)[-1].message), "the receipt"
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.receipt is None and case.reporter is not None
    consultation_root = bot.platform.roots()[0]
    assert "Sanne de Vries" in text_of(bot.platform.thread(consultation_root.ref)[-1].message)
    assert SANNE.user_id in bot.platform.kept
    found = await tables_holding(
        bot.runtime.database.engine, bot.runtime.database._sealer, SANNE_IDS
    )
    assert "cases.reporter_sealed" in found, "the scanner sees a named reporter"


async def test_untouched_consultations_are_deleted_after_retention(bot: Harness) -> None:
    old = await consult(bot)
    reported = await consult(bot, question="Een tweede vraag.")
    view = await follow(bot, reported)
    await bot.submit(
        SANNE,
        "consult.report",
        {"narrative": "x", "identity": "anonymous"},
        buttons(view)["consult.report"],
    )
    await bot.settle()
    bot.clock.advance(days=29)
    runtime = bot.runtime
    assert (
        await forget_consultations(runtime.consultations, runtime.messengers, runtime.settings) == 0
    )
    bot.clock.advance(days=2)
    assert (
        await forget_consultations(runtime.consultations, runtime.messengers, runtime.settings) == 1
    )
    ref, blank = bot.platform.updates[-1]
    assert ref == bot.platform.roots()[0].ref and QUESTION not in text_of(blank)
    assert await _count(bot, "consultations") == 1, "the one that became a report stays"
    assert await _count(bot, "consultation_entries") == 2  # it wrote, it became a report
    assert await _count(bot, "receipts") == 1
    gone = await bot.say(SANNE, f"status {old}")
    assert "niets te openen" in text_of(gone.messages[0])
    assert timedelta(days=runtime.settings.consultation_retention_days) == timedelta(days=30)
