"""The optional details: aftercare consent and, where configured, the department."""

from __future__ import annotations

from bot.case.models import Reporter
from bot.ui import Choice
from tests.core.conftest import SANNE, Harness, MakeBot

DEPARTMENTS = ["Publiekszaken", "Sociaal domein", "Handhaving"]


def _choice(fields: list[Choice], field_id: str) -> Choice:
    [choice] = [f for f in fields if f.id == field_id]
    return choice


async def _details(bot: Harness) -> list[Choice]:
    await bot.say(SANNE, "Een man schold me uit bij de balie.")
    opened = await bot.press(SANNE, "report.details")
    assert opened.form is not None and opened.form.form_id == "report.details"
    return [f for f in opened.form.fields if isinstance(f, Choice)]


async def test_details_offer_and_store_aftercare_consent_and_department(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(departments=DEPARTMENTS)
    fields = await _details(bot)
    aftercare = _choice(fields, "aftercare")
    assert aftercare.label == "Mogen we over een paar dagen vragen hoe het met je gaat?"
    assert aftercare.initial == "no" and aftercare.optional
    department = _choice(fields, "department")
    assert department.label == "Afdeling" and department.optional
    assert [option.value for option in department.options] == DEPARTMENTS

    done = await bot.submit(
        SANNE, "report.details", {"aftercare": "yes", "department": "Sociaal domein"}
    )
    assert done.result is not None and not done.errors
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.aftercare is True
    assert case.report.department == "Sociaal domein"


async def test_a_forged_department_is_refused_and_the_draft_kept(make_bot: MakeBot) -> None:
    bot = await make_bot(departments=DEPARTMENTS)
    await _details(bot)
    refused = await bot.submit(SANNE, "report.details", {"department": "Directie"})
    assert "department" in refused.errors and refused.result is None
    assert not await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))

    done = await bot.submit(SANNE, "report.details", {"department": "Handhaving"})
    assert done.result is not None, "the draft survived the refusal"


async def test_without_departments_none_is_asked_or_accepted(bot: Harness) -> None:
    fields = await _details(bot)
    assert "department" not in [f.id for f in fields]
    refused = await bot.submit(SANNE, "report.details", {"department": "Publiekszaken"})
    assert "department" in refused.errors


async def test_the_quick_path_stores_no_consent_and_the_full_form_asks_too(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(departments=DEPARTMENTS)
    await bot.say(SANNE, "Bedreigd aan de telefoon.")
    await bot.press(SANNE, "report.send")
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.aftercare is False and case.report.department is None

    full = await bot.command(SANNE)
    assert full.form is not None
    ids = [f.id for f in full.form.fields]
    assert "aftercare" in ids and "department" in ids
    required = [f.id for f in full.form.fields if not getattr(f, "optional", True)]
    assert required == ["narrative"]
