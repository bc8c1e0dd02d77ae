"""Aangifte (a police report, the last resort of the ladder): the reporter gets what to
expect and the tips in their chat, from a file the organisation can replace; the case
records when, by whom and the police registration number, sealed at rest, shown only to
the case's coordinators, never in a thread line or a log; every refusal saves nothing.
On SQLite and PostgreSQL, with the controlled clock."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from bot.aangifte import guidance
from bot.aangifte.models import FiledBy
from bot.aangifte.service import AangifteService
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import MeasureKind
from bot.measures.models import Plan, Step
from bot.measures.service import MeasureService
from bot.settings import ConfigError
from tests.core.conftest import JAN, SANNE, Harness, MakeBot
from tests.core.console import ANNA, BEA, MAX, report
from tests.text import text_of

TODAY = date(2026, 3, 2)  # the harness clock: Monday 2 March 2026
NUMBER = "PL0900-2026123456"
AANGIFTE = Plan(MeasureKind.POLICE_REPORT, "De melder, met de coördinator")


def aangifte(bot: Harness) -> AangifteService:
    assert bot.runtime.aangifte is not None
    return bot.runtime.aangifte


def measures(bot: Harness) -> MeasureService:
    assert bot.runtime.measures is not None
    return bot.runtime.measures


async def _plain_anywhere(bot: Harness, needle: str) -> list[str]:
    """Every table.column whose stored value (as stored, sealed or not) shows ``needle``."""
    found = []
    async with bot.runtime.database.engine.connect() as connection:
        names = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
        for name in names:
            result = await connection.execute(text(f'SELECT * FROM "{name}"'))
            for row in result.mappings():
                found += [f"{name}.{col}" for col, v in row.items() if needle in str(v)]
    return found


async def test_the_reporter_gets_what_to_expect_and_every_tip_in_their_chat(
    bot: Harness,
) -> None:
    case = await report(bot, by=SANNE.user_id)
    with pytest.raises(CaseError, match="Advise aangifte first"):
        await aangifte(bot).send_guidance(JAN, case.id)
    await measures(bot).advise(JAN, case.id, AANGIFTE)
    await aangifte(bot).send_guidance(JAN, case.id)
    await bot.settle()
    heard = text_of(bot.platform.dms(SANNE.user_id)[-1].message)
    for tip in (
        "Aangifte doen: wat je kunt verwachten",
        "binnen 2 werkdagen",
        "adres van je organisatie",
        "domiciliekeuze",
        "veilige publieke taak",
        "ELA-afspraken",
        "onder nummer",
        "Jij bent dan getuige",
        "iemand meenemen",
    ):
        assert tip in heard, tip
    [root] = bot.platform.roots()
    thread = "\n".join(text_of(s.message) for s in bot.platform.thread(root.ref))
    assert "Jan Jansen stuurde de melder uitleg over wat er gebeurt bij een aangifte." in thread
    entries = await bot.runtime.audit.of_case(BEA, case.reference)
    assert "aangifte.guidance" in [e.action for e in entries]


async def test_an_english_reporter_reads_it_in_english(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id, language="en")
    await measures(bot).advise(JAN, case.id, AANGIFTE)
    await aangifte(bot).send_guidance(JAN, case.id)
    await bot.settle()
    heard = text_of(bot.platform.dms(SANNE.user_id)[-1].message)
    assert "preferably within 2 working days" in heard and "safe public task" in heard


async def test_the_record_is_sealed_shown_to_coordinators_only_and_never_logged(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    case = await report(bot, by=SANNE.user_id)
    await measures(bot).advise(JAN, case.id, AANGIFTE)
    bot.clock.advance(days=1)
    record = await aangifte(bot).record(JAN, case.id, TODAY, FiledBy.EMPLOYER, f"  {NUMBER} ")
    assert (record.number, record.filed_by, record.done_on) == (NUMBER, FiledBy.EMPLOYER, TODAY)
    await bot.settle()
    assert await _plain_anywhere(bot, NUMBER) == [], "sealed at rest, everywhere"
    assert not [r for r in caplog.records if NUMBER in r.getMessage()]
    [root] = bot.platform.roots()
    thread = "\n".join(text_of(s.message) for s in bot.platform.thread(root.ref))
    assert "Jan Jansen legde de aangifte vast." in thread and NUMBER not in thread
    back = await aangifte(bot).of_case(JAN, case.id)
    assert back is not None and back.number == NUMBER and back.recorded_by == "Jan Jansen"
    for outsider in (ANNA, MAX):
        with pytest.raises(NotAllowed):
            await aangifte(bot).of_case(outsider, case.id)
    again = await aangifte(bot).record(JAN, case.id, TODAY, FiledBy.REPORTER, "PL0900-2")
    assert again.filed_by is FiledBy.REPORTER
    stored = await aangifte(bot).of_case(JAN, case.id)
    assert stored is not None and stored.number == "PL0900-2", "recording again corrects it"
    actions = [e.action for e in await bot.runtime.audit.of_case(BEA, case.reference)]
    assert actions.count("aangifte.record") == 2 and "aangifte.read" in actions


@pytest.mark.parametrize(
    ("done_on", "number", "complaint"),
    [
        (date(2026, 3, 3), NUMBER, "in the future"),
        (None, NUMBER, "Fill in the date"),
        (TODAY, "   ", "Write the police registration number"),
        (TODAY, "P" * 41, "at most"),
    ],
)
async def test_bad_input_is_refused_and_nothing_is_saved(
    bot: Harness, done_on: date | None, number: str, complaint: str
) -> None:
    case = await report(bot, by=SANNE.user_id)
    with pytest.raises(CaseError, match=complaint):
        await aangifte(bot).record(JAN, case.id, done_on, FiledBy.REPORTER, number)
    assert await aangifte(bot).of_case(JAN, case.id) is None


async def test_a_closed_case_and_a_dropped_aangifte_are_refused(bot: Harness) -> None:
    case = await report(bot, by=SANNE.user_id)
    advised = await measures(bot).advise(JAN, case.id, AANGIFTE)
    await measures(bot).step(JAN, case.id, advised.id, Step.DROPPED, "De melder wil het niet.")
    with pytest.raises(CaseError, match="Advise aangifte first"):
        await aangifte(bot).send_guidance(JAN, case.id)
    await bot.runtime.cases.close(JAN, case.id, "Afgerond.", None)
    with pytest.raises(CaseError, match="closed"):
        await aangifte(bot).record(JAN, case.id, TODAY, FiledBy.REPORTER, NUMBER)
    assert await aangifte(bot).of_case(JAN, case.id) is None


def test_the_default_guidance_file_has_every_tip_in_both_languages() -> None:
    tips = guidance.load(None)
    assert len(tips.tips) == 6
    assert "2 working days" in tips.text("en") and "2 werkdagen" in tips.text("nl")


async def test_an_organisations_own_file_is_used_and_a_broken_one_stops_start_up(
    make_bot: MakeBot, tmp_path: Path
) -> None:
    own = tmp_path / "aangifte.toml"
    own.write_text(
        'heading.nl = "Onze uitleg"\nheading.en = "Our guidance"\n'
        'intro.nl = "Bel eerst Jan."\nintro.en = "Call Jan first."\n'
        'closing.nl = "Succes."\nclosing.en = "Good luck."\n'
        '[[tips]]\nnl = "Neem je pas mee."\nen = "Bring your pass."\n',
        encoding="utf-8",
    )
    bot = await make_bot(aangifte_guidance=own)
    case = await report(bot, by=SANNE.user_id)
    await measures(bot).advise(JAN, case.id, AANGIFTE)
    await aangifte(bot).send_guidance(JAN, case.id)
    await bot.settle()
    heard = text_of(bot.platform.dms(SANNE.user_id)[-1].message)
    assert "Onze uitleg" in heard and "Neem je pas mee." in heard
    broken = tmp_path / "broken.toml"
    broken.write_text('heading.nl = "Alleen dit"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml is invalid"):
        await make_bot(aangifte_guidance=broken)
    with pytest.raises(ConfigError, match="cannot be read"):
        guidance.load(tmp_path / "missing.toml")
