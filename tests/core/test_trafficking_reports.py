"""Signals of human trafficking and exploitation (seed 000): the receipt tells who makes
external reports (the organisation's decision) and not to investigate; each external
report is recorded with its date and who made it, audited, with a thread line without
content. On SQLite and PostgreSQL, with the controlled clock."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from bot.case.errors import CaseError, NotAllowed
from bot.case.models import Category, Reporter
from bot.trafficking.models import Body
from bot.trafficking.service import ExternalReports
from tests.core.conftest import AHMED, JAN, SANNE, Harness, MakeBot
from tests.core.console import ANNA, BEA, report
from tests.text import text_of

TODAY = date(2026, 3, 2)
SIGNAL = "Er staan elke ochtend busjes met arbeiders voor het pand."
WHO = "Coördinator Jan Jansen, namens de organisatie"


def external(bot: Harness) -> ExternalReports:
    assert bot.runtime.external_reports is not None
    return bot.runtime.external_reports


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        ("organisation", "Dan doet de organisatie dat voor je."),
        ("individual", "Dan doe je dat zelf. De coördinator helpt je"),
    ],
)
async def test_the_receipt_tells_who_reports_outside_and_not_to_investigate(
    make_bot: MakeBot, setting: str, said: str
) -> None:
    bot = await make_bot(trafficking_external_reports=setting)
    await report(bot, SIGNAL, by=AHMED.user_id, category=Category.TRAFFICKING)
    receipt = text_of(bot.platform.dms(AHMED.user_id)[0].message)
    assert said in receipt and "Ga niet zelf op onderzoek uit." in receipt
    await report(bot, "Een klant schold me uit.", by="staff-9")
    other = text_of(bot.platform.dms("staff-9")[0].message)
    assert "onderzoek" not in other, "only a trafficking receipt says so"


async def test_each_external_report_is_recorded_audited_and_in_the_thread_without_content(
    bot: Harness,
) -> None:
    case = await report(bot, SIGNAL, by=AHMED.user_id, category=Category.TRAFFICKING)
    await external(bot).record(JAN, case.id, Body.LABOUR_INSPECTORATE, TODAY, WHO)
    bot.clock.advance(days=1)
    await external(bot).record(JAN, case.id, Body.CRIME_STOPPERS, date(2026, 2, 27), "De melder")
    await bot.settle()
    found = await external(bot).of_case(JAN, case.id)
    assert [(r.body, r.reported_on, r.made_by) for r in found] == [
        (Body.CRIME_STOPPERS, date(2026, 2, 27), "De melder"),
        (Body.LABOUR_INSPECTORATE, TODAY, WHO),
    ]
    [root] = bot.platform.roots()
    lines = [text_of(s.message) for s in bot.platform.thread(root.ref)][1:]
    assert lines == ["Jan Jansen legde een externe melding vast. De gegevens staan in meldbot."] * 2
    entries = await bot.runtime.audit.of_case(BEA, case.reference)
    details = [e.detail for e in entries if e.action == "external_report"]
    assert details == ["labour_inspectorate", "crime_stoppers"]
    async with bot.runtime.database.engine.connect() as connection:
        stored = repr((await connection.execute(text("SELECT * FROM external_reports"))).all())
    assert "Jansen" not in stored and "melder" not in stored, "who made it is sealed"
    with pytest.raises(NotAllowed):
        await external(bot).of_case(ANNA, case.id)
    [reported] = await bot.runtime.cases.cases_of(Reporter("web", AHMED.user_id))
    assert reported.id == case.id


@pytest.mark.parametrize(
    ("on", "who", "complaint"),
    [
        (date(2026, 3, 3), WHO, "in the future"),
        (None, WHO, "Fill in the date"),
        (TODAY, "  ", "Write who made the report"),
        (TODAY, "x" * 101, "keep the name under"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_saved(
    bot: Harness, on: date | None, who: str, complaint: str
) -> None:
    case = await report(bot, SIGNAL, by=AHMED.user_id, category=Category.TRAFFICKING)
    with pytest.raises(CaseError, match=complaint):
        await external(bot).record(JAN, case.id, Body.POLICE, on, who)
    assert await external(bot).of_case(JAN, case.id) == []


async def test_an_external_report_is_for_a_trafficking_signal_only(bot: Harness) -> None:
    case = await report(bot, by=AHMED.user_id)
    with pytest.raises(CaseError, match="Set that category first"):
        await external(bot).record(JAN, case.id, Body.POLICE, TODAY, WHO)
    with pytest.raises(NotAllowed):
        await external(bot).record(ANNA, case.id, Body.POLICE, TODAY, WHO)
    assert await external(bot).of_case(JAN, case.id) == []


async def test_an_anonymous_trafficking_report_hears_it_with_its_code(make_bot: MakeBot) -> None:
    bot = await make_bot(trafficking_external_reports="individual")
    values = {"narrative": SIGNAL, "danger": "no", "notify": "no", "category": "trafficking"}
    response = await bot.submit(SANNE, "report.anonymous", values)
    assert response.result is not None
    shown = text_of(response.result)
    assert "Dan doe je dat zelf." in shown and "Ga niet zelf op onderzoek uit." in shown
    await bot.settle()
    [copy] = bot.platform.dms(SANNE.user_id)
    assert "Ga niet zelf op onderzoek uit." in text_of(copy.message), "the copy in the chat too"
    calm = {"narrative": "Een klant schold.", "danger": "no", "notify": "no"}
    other = await bot.submit(SANNE, "report.anonymous", calm)
    assert other.result is not None and "onderzoek" not in text_of(other.result)
