"""The vertrouwenspersoon route: a report addressed to them reaches only them, and goes to
the meldpunt only with the reporter's yes."""

from __future__ import annotations

from sqlalchemy import text

from bot.case.models import Addressee, Reporter, Urgency
from bot.events import Actor
from bot.ui import Choice
from tests.core.conftest import JAN, SANNE, Harness, MakeBot
from tests.text import buttons, text_of

ELS = Actor("web", "els", "Els Bakker")
CONFIDANT = {"name": "Els Bakker", "phone": "+31 6 8765 4321", "web": {"people": ["els"]}}
STORY = "Mijn leidinggevende maakt steeds opmerkingen over mijn afkomst."


async def _report_to_els(bot: Harness, **values: str) -> int:
    form = await bot.command(SANNE)
    assert form.form is not None
    [addressee] = [f for f in form.form.fields if isinstance(f, Choice) and f.id == "addressee"]
    assert "Els Bakker" in addressee.options[1].label and addressee.initial == "meldpunt"
    answers = {"narrative": STORY, "addressee": "confidant", "danger": "no", **values}
    done = await bot.submit(SANNE, "report", answers)
    assert done.result is not None and "Els Bakker" in text_of(done.result)
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.addressee is Addressee.CONFIDANT
    return case.id


async def test_a_report_to_the_confidant_reaches_only_them(make_bot: MakeBot) -> None:
    bot = await make_bot(confidant=CONFIDANT)
    case_id = await _report_to_els(bot)
    assert not bot.platform.in_channel(), "nothing in the coordinator channel"
    [card, *thread] = bot.platform.dms(ELS.user_id)
    assert "vertrouwenspersoon" in text_of(card.message) and STORY in text_of(thread[0].message)

    refused = await bot.press(JAN, "case.claim", str(case_id))
    assert refused.private and "Alleen coördinatoren" in text_of(refused.private[0])
    refused_form = await bot.press(JAN, "case.ask", str(case_id))
    assert refused_form.form is None, "a coordinator cannot even open its forms"
    claimed = await bot.press(ELS, "case.claim", str(case_id))
    assert not claimed.private


async def test_handing_over_needs_the_reporters_yes(make_bot: MakeBot) -> None:
    bot = await make_bot(confidant=CONFIDANT)
    case_id = await _report_to_els(bot)
    els_card = bot.platform.dms(ELS.user_id)[0]
    assert "case.handover" in buttons(els_card.message)
    await bot.press(ELS, "case.handover", str(case_id))
    await bot.settle()
    question = bot.platform.dms(SANNE.user_id)[-1]
    assert "Niets wordt doorgegeven zonder jouw ja" in text_of(question.message)

    declined = await bot.press(SANNE, "handover.no", str(case_id))
    assert declined.replace is not None and "blijft alleen bij" in text_of(declined.replace)
    await bot.settle()
    assert not bot.platform.in_channel(), "still nothing at the meldpunt"
    again = await bot.press(SANNE, "handover.yes", str(case_id))
    assert again.private, "an answered question cannot be answered again"

    await bot.press(ELS, "case.handover", str(case_id))
    await bot.press(SANNE, "handover.yes", str(case_id))
    await bot.settle()
    [root] = bot.platform.roots()
    assert root.address.conversation == "coordinators"
    [first] = bot.platform.thread(root.ref)
    assert "met toestemming van de melder" in text_of(first.message)
    assert STORY in text_of(first.message)
    updated = [m for ref, m in bot.platform.updates if ref == els_card.ref][-1]
    assert STORY not in text_of(updated) and "case.claim" not in buttons(updated)
    refused = await bot.press(ELS, "case.claim", str(case_id))
    assert refused.private, "the meldpunt's case is no longer the confidant's to handle"
    claimed = await bot.press(JAN, "case.claim", str(case_id))
    assert not claimed.private


async def test_an_urgent_report_to_the_confidant_pages_no_piket(make_bot: MakeBot) -> None:
    rota = {"rotation": [{"id": "coord-2", "name": "Karin Kok"}]}
    bot = await make_bot(confidant=CONFIDANT, oncall=rota)
    await _report_to_els(bot, danger="yes")
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.urgency is Urgency.URGENT
    assert not bot.platform.dms("coord-2"), "the meldpunt's piket does not see it"
    receipt = text_of(bot.platform.dms(SANNE.user_id)[0].message)
    assert "piket" not in receipt and "112" in receipt


async def test_without_a_confidant_the_choice_is_not_offered_nor_accepted(bot: Harness) -> None:
    form = await bot.command(SANNE)
    assert form.form is not None and "addressee" not in [f.id for f in form.form.fields]
    forged = await bot.submit(SANNE, "report", {"narrative": STORY, "addressee": "confidant"})
    assert "addressee" in forged.errors
    async with bot.runtime.database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM cases"))).scalar() == 0
