"""End to end over Slack: the reporter's say on a proposed measure. The real slack-bolt
stack, composition root, dialogs and database (SQLite and PostgreSQL), the fake Slack Web
API at the edge, meldbot in Dutch with minimal content in the channel. The reporter answers
with the buttons in their DM; the answer lands in the case's thread without content; a
second press and a colleague's press are refused."""

from __future__ import annotations

from pathlib import Path

from bot.case.models import MeasureKind, Reporter
from bot.events import Actor
from bot.measures.models import Plan, Step
from tests.fakes.slack_api import FakeSlack
from tests.slack.anonymity_support import buttons, text_of
from tests.slack.intake_support import COORDINATOR, MakeClient, start_meldbot
from tests.waiting import until

CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
WORDS = "Zullen we de klant hierop aanspreken?"
JAN = Actor("slack", COORDINATOR, "Jan Jansen")


async def test_the_reporter_answers_a_proposal_in_their_dm_and_hears_it_was_carried_out(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(
        fake_slack, aiohttp_client, database_url, tmp_path, channel_content="minimal"
    )
    await bot.press("UANNA", await bot.say("UANNA", CALM), "report.send")
    card = await bot.card(1)
    [case] = await bot.runtime.cases.cases_of(Reporter("slack", "UANNA"))
    assert bot.runtime.measures is not None and bot.runtime.proposals is not None
    talk = await bot.runtime.measures.advise(
        JAN, case.id, Plan(MeasureKind.ORDER_TALK, "Leidinggevende")
    )
    seen = len(bot.dm("UANNA"))
    await bot.runtime.proposals.propose(JAN, case.id, talk.id, WORDS)
    [question] = await until(lambda: bot.dm("UANNA")[seen:], "the proposal in Anna's DM")
    shown = text_of(question.blocks)
    assert "Wat vind je van dit voorstel?" in shown and WORDS in shown
    assert set(buttons(question.blocks)) == {
        "proposal.agree",
        "proposal.rather_not",
        "proposal.talk",
    }
    await bot.in_thread(card, "vroeg de melder wat die vindt van de maatregel Ordegesprek")
    assert WORDS not in bot.thread_text(card), "minimal: the words stay in meldbot"

    value = buttons(question.blocks)["proposal.agree"]
    await bot.press("UBOB", question, "proposal.agree")  # a colleague, pressing Anna's
    await until(lambda: said(fake_slack, "niet van jou"), "the colleague refused")
    await bot.press("UANNA", question, "proposal.rather_not")
    replaced = await until(lambda: question if question.updates else None, "the thanks")
    assert "liever niet wilt" in text_of(replaced.blocks)
    await bot.in_thread(card, "wil de maatregel Ordegesprek liever niet")
    await bot.press("UANNA", question, "proposal.agree", value)  # pressed once more
    await until(lambda: said(fake_slack, "al beantwoord"), "the second press refused")
    [proposal] = await bot.runtime.proposals.of_case(JAN, case.id)
    assert proposal.answer is not None and proposal.answer.value == "rather_not"

    for step in (Step.AGREED, Step.CARRIED_OUT):
        await bot.runtime.measures.step(JAN, case.id, talk.id, step)
    told = await until(
        lambda: [m for m in bot.dm("UANNA") if "is deze maatregel uitgevoerd" in m.text],
        "the measure carried out, in Anna's DM",
    )
    assert "Ordegesprek" in text_of(told[0].blocks)


def said(fake: FakeSlack, words: str) -> list[str]:
    return [m.text for m in fake.messages if words in m.text]
