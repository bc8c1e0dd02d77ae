"""End to end over Teams: the reporter's say on a proposed measure. The real Agents SDK
stack, composition root, dialogs and database (SQLite and PostgreSQL), the Bot Connector
faked at the HTTP edge, meldbot in Dutch with minimal content in the channel. Mia answers
with the card's buttons (Action.Execute); the answer lands in the case's thread; a second
press and a colleague's press are refused."""

from __future__ import annotations

import copy
from datetime import date

from bot.app import RUNTIME
from bot.case.models import MeasureKind, Reporter
from bot.events import Actor
from bot.measures.models import Plan, Step
from bot.measures.proposal_models import Answer
from tests.teams.conftest import MakeBot
from tests.teams.intake_support import actions_of, draft_of, one_root, reference_in, thread_text
from tests.teams.support import BRAM, CHRIS, MIA, card_of, text_of
from tests.waiting import until

CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
WORDS = "Zullen we de klant hierop aanspreken?"
START, END = date(2030, 1, 1), date(2030, 6, 30)


async def test_mia_answers_a_proposal_on_its_card_and_hears_the_measure_was_carried_out(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(channel_content="minimal")
    runtime = bot.app[RUNTIME]
    assert runtime.measures is not None and runtime.proposals is not None
    draft = await draft_of(bot, MIA, CALM)
    reference = reference_in(text_of((await bot.press(MIA, draft, "report.send"))["value"]))
    root = await one_root(bot, reference)
    [case] = await runtime.cases.cases_of(Reporter("teams", MIA.aad_object_id))
    chris = Actor("teams", CHRIS.aad_object_id, CHRIS.name)
    talk = await runtime.measures.advise(
        chris,
        case.id,
        Plan(MeasureKind.BUILDING_BAN, "Leidinggevende", starts_on=START, ends_on=END),
    )
    before = len(bot.chat(MIA))
    await runtime.proposals.propose(chris, case.id, talk.id, WORDS)
    question = await bot.new_message(MIA, before, "Wat vind je van dit voorstel?")
    shown = text_of(card_of(question))
    assert "Pandverbod" in shown and "niet in het gebouw komen" in shown and WORDS in shown
    assert actions_of(question, "proposal.agree", "proposal.rather_not", "proposal.talk") == [
        "proposal.agree",
        "proposal.rather_not",
        "proposal.talk",
    ]
    await until(lambda: "vroeg de melder" in thread_text(bot, root), "the thread line")
    assert WORDS not in thread_text(bot, root), "minimal: the words stay in meldbot"

    as_asked = copy.deepcopy(question)  # the card as shown, before the answer replaced it
    refused = await bot.press(BRAM, question, "proposal.agree")
    assert "niet van jou" in str(refused)
    answered = await bot.press(MIA, question, "proposal.agree")
    assert "akkoord bent met deze maatregel" in text_of(answered["value"])
    await until(
        lambda: "is akkoord met de maatregel Pandverbod" in thread_text(bot, root),
        "the answer in the case's thread",
    )
    again = await bot.press(MIA, as_asked, "proposal.talk")
    assert "al beantwoord" in str(again)
    [proposal] = await runtime.proposals.of_case(chris, case.id)
    assert proposal.answer is Answer.AGREE

    before = len(bot.chat(MIA))
    for step in (Step.AGREED, Step.CARRIED_OUT):
        await runtime.measures.step(chris, case.id, talk.id, step)
    told = await bot.new_message(MIA, before, "is deze maatregel uitgevoerd")
    assert "Pandverbod" in text_of(card_of(told))
