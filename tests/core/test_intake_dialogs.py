"""Intake that keeps people safe: it hears danger, never mishears, never leaks a code.

The real core, database and recogniser, with a fake platform at the edge.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from bot.case.models import Category, CategorySource, Reporter, Urgency
from bot.consultation.receipts import parse_code
from bot.consultation.sighting import sight_code
from bot.events import Address, CommandInvoked, MessageRef
from bot.oncall.rota import OnCallPerson, OnCallRota
from bot.text import NARRATIVE_MAX
from bot.ui import Choice, TextInput
from tests.core.conftest import JAN, PIET, SANNE, Harness, MakeBot
from tests.text import buttons, text_of

KNIFE = "Hij staat nu buiten met een mes en zegt dat hij op me wacht"
SELF_HARM = (
    "De klant zei aan de telefoon dat hij zichzelf iets gaat aandoen als hij geen geld krijgt."
)
CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
CODE = "E6ES-QGYQ-JF8K-PP02"
# What colleagues typed in the chat instead of their anonymous code, exactly as shown.
CODE_VARIANTS = [
    "E6ES QGYQ JF8K PP02",
    "e6es-qgyq-jf8k-pp02",
    "E6ESQGYQJF8KPP02",
    "E6ES-QGYQ-JF8K-PP0",  # one too few
    "E6ES-QGYQ-JF8K-PP021",  # one too many
    "mijn code is E6ES-QGYQ-JF8K-PP02",
    "Hoi, hier is mijn code: e6es qgyq jf8k pp02. Is er al nieuws?",
    "E6ES.QGYQ.JF8K.PPO2",  # O for 0
]
KARIN_ON_CALL = OnCallRota(rotation=[OnCallPerson(id="coord-2", name="Karin Kok")])


async def _case(bot: Harness) -> int:
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    return case.id


async def _stored_texts(bot: Harness) -> str:
    """Every narrative, event text and draft the database holds, unsealed."""
    sealer = bot.runtime.database._sealer
    found: list[str] = []
    async with bot.runtime.database.engine.connect() as connection:
        for query in (
            "SELECT narrative_sealed FROM cases",
            "SELECT text_sealed FROM case_events",
            "SELECT state_sealed FROM dialog_states",
        ):
            for (sealed,) in (await connection.execute(text(query))).all():
                found.append(sealer.unseal(sealed) or "")
    return "\n".join(found)


async def test_danger_in_the_words_is_asked_and_yes_runs_the_urgent_line(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(oncall=KARIN_ON_CALL)
    draft = (await bot.say(SANNE, KNIFE)).messages[0]
    assert "Is er nu iemand in gevaar?" in text_of(draft)
    assert "report.send" not in buttons(draft), "sending is the answer to the question"
    sent = await bot.press(SANNE, "report.urgent", buttons(draft)["report.urgent"])
    assert sent.result is not None and "binnen 30 minuten" in text_of(sent.result)
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.urgency is Urgency.URGENT and case.report.danger_now is True
    assert bot.platform.dms("coord-2"), "the person on call is paged"


async def test_no_to_the_danger_question_is_a_normal_report(bot: Harness) -> None:
    draft = (await bot.say(SANNE, KNIFE)).messages[0]
    await bot.press(SANNE, "report.calm", buttons(draft)["report.calm"])
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.urgency is Urgency.NORMAL and case.report.danger_now is False


async def test_meldbot_never_upgrades_on_its_own(bot: Harness) -> None:
    """The form with "danger" unanswered is asked again; the answer is the reporter's."""
    asked = await bot.submit(SANNE, "report", {"narrative": KNIFE})
    assert "danger" in asked.errors and asked.result is None
    done = await bot.submit(SANNE, "report", {"narrative": KNIFE, "danger": "no"})
    assert done.result is not None
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.urgency is Urgency.NORMAL


async def test_a_suggested_category_is_shown_and_marked_as_meldbots(bot: Harness) -> None:
    draft = (await bot.say(SANNE, KNIFE)).messages[0]
    assert "voorstel van meldbot" in text_of(draft)
    details = await bot.press(SANNE, "report.details", buttons(draft)["report.details"])
    assert details.form is not None
    [category] = [f for f in details.form.fields if isinstance(f, Choice) and f.id == "category"]
    assert category.initial == Category.THREAT.value, "pre-selected: one tap to keep or change"

    await bot.press(SANNE, "report.calm", buttons(draft)["report.calm"])
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.category is Category.THREAT
    assert case.report.category_source is CategorySource.MELDBOT
    assert "voorstel van meldbot" in text_of(bot.platform.roots()[0].message)


async def test_the_reporters_choice_wins_over_the_suggestion(bot: Harness) -> None:
    values = {"narrative": KNIFE, "danger": "no", "category": "intimidation"}
    await bot.submit(SANNE, "report", values)
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.category is Category.INTIMIDATION
    assert case.report.category_source is CategorySource.REPORTER


async def test_a_threat_of_self_harm_is_flagged_with_guidance(make_bot: MakeBot) -> None:
    crisis = [{"name": "GGD crisisdienst", "role": "Crisisdienst", "phone": "+31 88 000 0000"}]
    bot = await make_bot(crisis_contacts=crisis)
    await bot.submit(SANNE, "report", {"narrative": SELF_HARM, "danger": "no"})
    await bot.settle()
    [root] = bot.platform.roots()
    assert "zichzelf iets aan te doen" in text_of(root.message)
    thread = "\n".join(text_of(s.message) for s in bot.platform.thread(root.ref))
    assert "112" in thread and "0800-0113" in thread and "GGD crisisdienst" in thread
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.self_harm


@pytest.mark.parametrize("typed", CODE_VARIANTS)
async def test_a_code_in_any_form_never_becomes_a_draft_or_a_report(
    bot: Harness, typed: str
) -> None:
    answer = await bot.say(SANNE, typed)
    shown = "\n".join(text_of(m) for m in [*answer.messages, *answer.private])
    assert "report.send" not in shown and "report.send" not in str(answer)
    assert "ontvangstcode" in shown.lower() or "code" in shown.lower()
    refused = await bot.submit(SANNE, "report", {"narrative": f"Ik werd bedreigd. {typed}"})
    assert "narrative" in refused.errors and "ontvangstcode" in refused.errors["narrative"]
    addition = await bot.submit(SANNE, "report", {"narrative": "Bedreigd.", "location": typed})
    assert "location" in addition.errors
    await bot.settle()
    assert not bot.platform.sent, "nothing was posted anywhere"
    stored = await _stored_texts(bot)
    for part in ("E6ES", "e6es", "QGYQ", "qgyq"):
        assert part not in stored


@pytest.mark.parametrize(
    "typed",
    [
        "Hoi, hier is mijn code: 0y7a kp1q 651g anrd. Is er al nieuws?",
        "mijn code: 0Y7A-KP1Q-651G-ANRD, is er nieuws?",
        "Is er nieuws? Mijn code is 0Y7A KP1Q 651G ANRD",
    ],
)
def test_the_word_code_before_a_code_is_not_read_as_its_first_group(typed: str) -> None:
    """ "code 0y7a kp1q 651g" reads as a code too; the one meant is the one without "code"."""
    sighting = sight_code(typed)
    assert sighting is not None and sighting.code == parse_code("0Y7A-KP1Q-651G-ANRD")
    assert not sighting.alone


async def test_a_code_inside_a_sentence_is_opened_and_the_sentence_kept_nowhere(
    bot: Harness,
) -> None:
    answer = await bot.say(SANNE, "mijn code is E6ES-QGYQ-JF8K-PP02")
    said = " ".join(text_of(m) for m in answer.messages)
    assert "niet bewaard" in said and "niets te openen" in said


async def test_an_answer_that_reads_like_a_new_incident_is_asked_about(bot: Harness) -> None:
    await bot.submit(SANNE, "report", {"narrative": CALM})
    case_id = await _case(bot)
    await bot.submit(JAN, "case.question", {"question": "Hoe gaat het nu?"}, str(case_id))

    plain = await bot.say(SANNE, "Goed, dank je.")
    assert "doorgegeven" in text_of(plain.messages[0]), "a plain answer is just an answer"

    await bot.submit(JAN, "case.question", {"question": "Nog iets?"}, str(case_id))
    asked = await bot.say(SANNE, KNIFE)
    question = asked.messages[0]
    assert "antwoord op de vraag over M-2026-0001" in text_of(question)
    new = await bot.press(SANNE, "held.report")
    assert new.replace is not None and "report.urgent" in buttons(new.replace)
    await bot.settle()  # the case got no answer: the knife story waits as a new draft
    thread = "\n".join(text_of(s.message) for s in bot.platform.thread(bot.platform.roots()[0].ref))
    assert KNIFE not in thread

    again = await bot.say(SANNE, "Hij bedreigde mijn collega ook.")
    assert "Hoort dit bericht daarbij" in text_of(again.messages[0]) or "antwoord" in text_of(
        again.messages[0]
    )


async def test_an_answer_confirmed_as_such_reaches_the_thread(bot: Harness) -> None:
    await bot.submit(SANNE, "report", {"narrative": CALM})
    case_id = await _case(bot)
    await bot.submit(JAN, "case.question", {"question": "Wat zei hij?"}, str(case_id))
    await bot.say(SANNE, "Hij schreeuwde dat hij me ging opwachten.")
    answered = await bot.press(SANNE, "held.answer")
    assert answered.replace is not None and "M-2026-0001" in text_of(answered.replace)
    await bot.settle()
    last = bot.platform.thread(bot.platform.roots()[0].ref)[-1]
    assert "opwachten" in text_of(last.message)


async def test_a_second_story_is_never_merged_without_asking(bot: Harness) -> None:
    first = (await bot.say(SANNE, CALM)).messages[0]
    asked = (await bot.say(SANNE, "En daarna gooide hij een stoel om.")).messages[0]
    assert "Hoort dit bericht daarbij" in text_of(asked)
    third = (await bot.say(SANNE, "Er waren klanten bij.")).messages[0]
    assert "Horen deze 2 berichten daarbij" in text_of(third)

    added = await bot.press(SANNE, "held.add")
    assert added.replace is not None
    merged = added.replace
    assert "stoel" in text_of(merged) and "klanten" in text_of(merged)

    stale = await bot.press(SANNE, "report.send", buttons(first)["report.send"])
    assert stale.replace is not None and "intussen aangevuld" in text_of(stale.replace)
    assert not await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))

    await bot.press(SANNE, "report.send", buttons(merged)["report.send"])
    again = await bot.press(SANNE, "report.send", buttons(merged)["report.send"])
    assert again.replace is not None and "Verstuurd als melding M-2026-0001" in text_of(
        again.replace
    )
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.narrative.count(CALM) == 1, "one copy of the story"


async def test_a_sent_draft_pressed_again_leaves_the_receipt_in_its_place(bot: Harness) -> None:
    """A second press (a double click, a copy on another screen) on the message the receipt
    took over says "sent" in a new message: replacing that message would remove the receipt."""
    chat = f"dm:{SANNE.user_id}"
    draft = (await bot.say(SANNE, CALM)).messages[0]
    token = buttons(draft)["report.send"]
    shown = MessageRef("web", chat, "draft-1")
    await bot.press(SANNE, "report.send", token, shown)

    again = await bot.press(SANNE, "report.send", token, shown)
    assert again.replace is None and again.messages
    assert "Verstuurd als melding M-2026-0001" in text_of(again.messages[0])
    details = await bot.press(SANNE, "report.details", token, shown)
    assert details.replace is None and details.form is None
    elsewhere = await bot.press(SANNE, "report.send", token, MessageRef("web", chat, "copy-2"))
    assert elsewhere.replace is not None, "any other copy says so in its own place"
    assert "Verstuurd als melding M-2026-0001" in text_of(elsewhere.replace)
    assert len(await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))) == 1


async def test_starting_again_replaces_the_draft_only_when_chosen(bot: Harness) -> None:
    await bot.say(SANNE, CALM)
    await bot.say(SANNE, "Een heel ander verhaal over een boze beller.")
    restarted = await bot.press(SANNE, "held.restart")
    assert restarted.replace is not None
    await bot.press(SANNE, "report.send", buttons(restarted.replace)["report.send"])
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.report.narrative == "Een heel ander verhaal over een boze beller."


async def test_a_story_longer_than_one_report_loses_nothing(bot: Harness) -> None:
    await bot.say(SANNE, "a" * 6000)
    await bot.say(SANNE, "b" * 6000)
    refused = await bot.press(SANNE, "held.add")
    assert "10000" in text_of(refused.messages[0]) or "10.000" in text_of(refused.messages[0])
    state = await _stored_texts(bot)
    assert "a" * 6000 in state and "b" * 6000 in state, "both parts are still kept"
    too_long = await bot.say(SANNE, "c" * (NARRATIVE_MAX + 1))
    assert "niet bewaard" in text_of(too_long.private[0])


async def test_invisible_text_is_empty(bot: Harness) -> None:
    answer = await bot.say(SANNE, "\u200b\u200e\u2060\ufeff\U000e0041")
    assert "geen tekst" in text_of(answer.messages[0])
    refused = await bot.submit(SANNE, "report", {"narrative": "\u200b\u200b\u2800"})
    assert "narrative" in refused.errors


async def test_a_long_command_text_becomes_a_draft_not_a_cut_form(bot: Harness) -> None:
    story = "Een lang verhaal. " * 300
    here = Address("web", f"dm:{SANNE.user_id}", personal=True)
    answer = await bot.runtime.dialogs.handle(CommandInvoked(SANNE, here, "report", story))
    assert answer.form is None
    assert any("report.send" in buttons(m) for m in answer.messages)


async def test_choosing_anonymity_deletes_the_draft_and_carries_its_text(bot: Harness) -> None:
    await bot.say(SANNE, CALM)
    form = await bot.press(SANNE, "consult.start")
    assert form.form is not None
    [situation] = [f for f in form.form.fields if isinstance(f, TextInput)]
    assert situation.initial == CALM
    assert CALM not in await _stored_texts(bot), "no draft under her name stays"


async def test_coordinators_correct_category_and_urgency(make_bot: MakeBot) -> None:
    bot = await make_bot(oncall=KARIN_ON_CALL)
    await bot.submit(SANNE, "report", {"narrative": CALM})
    case_id = await _case(bot)
    refused = await bot.submit(PIET, "case.correct", {"urgency": "urgent"}, str(case_id))
    assert refused.private
    form = await bot.press(JAN, "case.correct", str(case_id))
    assert form.form is not None
    values = {"category": "integrity", "urgency": "urgent"}
    await bot.submit(JAN, "case.correct", values, form.form.state)
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.urgency is Urgency.URGENT and case.report.category is Category.INTEGRITY
    assert case.report.category_source is CategorySource.COORDINATOR
    assert bot.platform.dms("coord-2"), "raising the urgency pages the person on call"
    thread = "\n".join(text_of(s.message) for s in bot.platform.thread(bot.platform.roots()[0].ref))
    assert "urgentie verhoogd" in thread and "Integriteit" in thread
    assert "7 dagen" in thread or "ontvangst" in thread.lower(), "the legal clocks started"
    async with bot.runtime.database.engine.connect() as connection:
        actions = {a for (a,) in (await connection.execute(text("SELECT action FROM audit_log")))}
    assert {"read", "correct"} <= actions


async def test_the_urgent_receipt_names_the_route_that_exists(make_bot: MakeBot) -> None:
    without = await make_bot()
    done = await without.submit(SANNE, "report", {"narrative": CALM, "danger": "yes"})
    assert done.result is not None
    assert "piket" not in text_of(done.result) and "Jan Jansen is gewaarschuwd" in text_of(
        done.result
    )
    with_rota = await make_bot(oncall=KARIN_ON_CALL)
    done = await with_rota.submit(SANNE, "report", {"narrative": CALM, "danger": "yes"})
    assert done.result is not None and "piket" in text_of(done.result)
