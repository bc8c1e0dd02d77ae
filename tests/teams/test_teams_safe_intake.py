"""End to end on Teams: the intake that keeps people safe.

The real composition root and database, the Agents SDK's CloudAdapter with every request
signed, the fake Bot Connector at the edge; people type in their personal chat and press
the cards' buttons (Action.Execute) as Teams sends them. Danger in the words is asked
about and "Ja, nu" pages the person on call; a self-harm threat is flagged with guidance;
whatever looks like a receipt code is opened as one and kept nowhere; an answer is never
taken for a new report, nor a second story merged, without asking; a photo reaches the
case's thread; a report to the vertrouwenspersoon stays theirs until the reporter's yes.
"""

from __future__ import annotations

from typing import Any

from bot.app import RUNTIME
from bot.case.models import Case, CategorySource, Reporter, Urgency
from bot.oncall.rota import OnCallPerson, OnCallRota
from bot.settings import Contact
from tests import files
from tests.fakes.teams_payloads import file_download, inline_image
from tests.teams.anonymity_support import TeamsMeldbot, receipt_code
from tests.teams.conftest import MakeBot
from tests.teams.intake_support import (
    CALM,
    CODE_GROUPS,
    CODE_VARIANTS,
    ELS,
    ELS_CHANNEL,
    KNIFE,
    SELF_HARM,
    actions_of,
    as_opened,
    as_shown,
    draft_of,
    holds_code,
    one_root,
    posted_to,
    reference_in,
    settled,
    thread_text,
    unsealed,
)
from tests.teams.support import BRAM, CHRIS, COORDINATOR_CHANNEL, MIA, card_of, has_action, text_of
from tests.waiting import until

PHOTO = files.image("PNG", size=(30, 20))
CHRIS_ON_CALL = OnCallRota(rotation=[OnCallPerson(id=CHRIS.aad_object_id, name="Chris")])
CRISIS = Contact(name="GGD crisisdienst", role="Crisisdienst", phone="+31 88 000 0000")


async def cases_of_mia(bot: TeamsMeldbot) -> list[Case]:
    return await bot.app[RUNTIME].cases.cases_of(Reporter("teams", MIA.aad_object_id))


async def test_the_knife_story_asks_about_danger_and_ja_nu_pages_the_person_on_call(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(oncall=CHRIS_ON_CALL)
    await bot.say(CHRIS, "hoi", "Anoniem melden")  # Teams lets meldbot write to Chris from now on
    draft = await draft_of(bot, MIA, KNIFE)

    assert "Is er nu iemand in gevaar?" in text_of(card_of(draft))
    assert actions_of(draft, "report.send", "report.urgent", "report.calm") == [
        "report.urgent",
        "report.calm",
    ], "sending is the answer to the question"
    assert "voorstel van meldbot" in text_of(card_of(draft))
    answer = await bot.press(MIA, draft, "report.urgent")

    receipt = text_of(answer["value"])  # in the invoke's answer: in place of the draft
    assert "Je melding is ontvangen" in receipt and "piket" in receipt
    reference = reference_in(receipt)
    [case] = await cases_of_mia(bot)
    assert case.urgency is Urgency.URGENT and case.report.danger_now is True
    assert case.report.category_source is CategorySource.MELDBOT
    page = await until(
        lambda: [m for m in bot.chat(CHRIS) if actions_of(m, "oncall.on_it")],
        "the page in Chris's personal chat",
    )
    assert reference in text_of(card_of(page[0]))
    root = await one_root(bot, reference)
    assert "voorstel van meldbot" in text_of(card_of(root))
    paged = card_of(await bot.note_showing(root, "Piket: <at>Chris</at> is gepaged om"))
    mentioned = [m["mentioned"]["id"] for m in paged["msteams"]["entities"]]
    assert mentioned == [CHRIS.aad_object_id], "a real mention: Teams notifies Chris"
    await until(
        lambda: "Je melding is ontvangen" in text_of(card_of(bot.fake.activity(draft["id"]))),
        "the receipt in the draft's place in Mia's chat",
    )


async def test_a_self_harm_threat_is_flagged_on_the_card_with_guidance_in_the_thread(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(crisis_contacts=[CRISIS])
    draft = await draft_of(bot, MIA, SELF_HARM)
    assert "Dreigt iemand zichzelf nu iets aan te doen? Bel 112." in text_of(card_of(draft))
    [send] = actions_of(draft, "report.send", "report.calm")
    reference = reference_in(text_of((await bot.press(MIA, draft, send))["value"]))

    root = await one_root(bot, reference)
    assert "⚠ Iemand dreigde zichzelf iets aan te doen: zie de draad." in text_of(card_of(root))
    await settled(bot)
    thread = thread_text(bot, root)
    assert "112" in thread and "0800-0113" in thread and "GGD crisisdienst" in thread
    [case] = await cases_of_mia(bot)
    assert case.report.self_harm


async def ask_on_the_case(bot: TeamsMeldbot, root: dict[str, Any], question: str) -> None:
    """Chris asks the reporter on the root card; the question reaches their chat."""
    before = len(bot.chat(MIA))
    opened = await bot.press(CHRIS, root, "case.ask", in_channel=True)
    await bot.fill(CHRIS, root, opened, {"question": question}, in_channel=True)
    await bot.new_message(MIA, before, question)


async def sent_draft(bot: TeamsMeldbot, story: str) -> str:
    """Mia types a story and sends its draft; the reference on her receipt."""
    draft = await draft_of(bot, MIA, story)
    return reference_in(text_of((await bot.press(MIA, draft, "report.send"))["value"]))


async def test_a_code_in_any_form_is_never_kept_in_a_case_nor_shown_to_the_coordinators(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot()
    root = await one_root(bot, await sent_draft(bot, CALM))
    await ask_on_the_case(bot, root, "Hoe gaat het nu met je?")  # any words could be an answer

    for typed in CODE_VARIANTS:
        answer = await bot.say(MIA, typed, "code")
        shown = actions_of(answer, "report.send", "report.urgent", "held.add", "held.answer")
        assert shown == [], f"{typed!r} was taken for a story or an answer"
    await settled(bot)

    assert holds_code(await unsealed(bot), CODE_GROUPS) == []
    assert holds_code(posted_to(bot), CODE_GROUPS) == []
    # The question stayed open all along, and both searches find what was answered.
    await bot.say(MIA, "Goed, dank je.", "je antwoord is doorgegeven")
    await bot.note_showing(root, "Goed, dank je.")
    await settled(bot)
    assert "Goed, dank je." in await unsealed(bot) and "Goed, dank je." in posted_to(bot)


async def test_a_real_code_in_a_sentence_opens_its_consultation_and_is_kept_nowhere(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot()
    menu = await bot.say(BRAM, "hoi", "Anoniem melden")
    opened = await bot.press(BRAM, menu, "consult.start")
    before = len(bot.chat(BRAM))
    situation = {"situation": "Een klant zegt steeds dat hij weet waar ik woon.", "notify": "no"}
    shown = await bot.fill(BRAM, menu, opened, situation)
    code = receipt_code(await bot.new_message(BRAM, before, "Je ontvangstcode"))
    assert code in text_of(shown["value"]), "shown in the form's place too"
    consultation = await bot.root_showing(f"Anonieme collega · {code[:4]}")
    answered = await bot.press(CHRIS, consultation, "consult.answer", in_channel=True)
    reply = {"answer": "Dat is genoeg om te melden."}
    await bot.fill(CHRIS, consultation, answered, reply, in_channel=True)
    await draft_of(bot, BRAM, CALM)  # a draft waits: the code must not join it

    before = len(bot.chat(BRAM))
    spaced = " ".join(code.lower().split("-"))
    await bot.post(
        bot.teams.personal_message(f"Hoi, hier is mijn code: {spaced}. Is er al nieuws?", user=BRAM)
    )
    await bot.new_message(BRAM, before, "Ik zag een ontvangstcode")
    view = await bot.new_message(BRAM, before, "Dat is genoeg om te melden.")
    assert actions_of(view, "consult.reply") == ["consult.reply"]
    assert not [m for m in bot.chat(BRAM)[before:] if actions_of(m, "held.add")]
    await settled(bot)

    secret = code.split("-")[1:]  # the pseudonym is what coordinators see anyway
    assert holds_code(await unsealed(bot), secret) == []
    assert holds_code(posted_to(bot), secret) == []


async def test_an_answer_that_reads_like_a_new_incident_is_asked_about(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot()
    root = await one_root(bot, await sent_draft(bot, CALM))
    await ask_on_the_case(bot, root, "Hoe gaat het nu?")
    await bot.say(MIA, "Goed, dank je.", "je antwoord is doorgegeven")  # plainly an answer
    await bot.note_showing(root, "Goed, dank je.")

    await ask_on_the_case(bot, root, "Nog iets?")
    asked = await bot.say(MIA, KNIFE, "Is dit een antwoord op de vraag over")
    assert actions_of(asked, "held.answer", "held.report") == ["held.answer", "held.report"]
    new = await bot.press(MIA, asked, "held.report")
    assert has_action(new["value"], "report.urgent"), "a new draft, asking about danger"
    later = await bot.say(MIA, "Hij schreeuwde dat hij me ging opwachten.", "antwoord op de vraag")
    answered = await bot.press(MIA, later, "held.answer")
    assert "je antwoord is doorgegeven" in text_of(answered["value"])
    await bot.note_showing(root, "Hij schreeuwde dat hij me ging opwachten.")

    await settled(bot)
    assert KNIFE not in thread_text(bot, root), "the new incident was not taken for an answer"
    [case] = await cases_of_mia(bot)
    assert KNIFE not in case.report.narrative


async def test_drafts_never_merge_unasked_and_an_old_copy_never_sends(make_bot: MakeBot) -> None:
    bot = await make_bot()
    first = await draft_of(bot, MIA, CALM)
    await bot.say(MIA, "En daarna gooide hij een stoel om.", "Hoort dit bericht daarbij")
    asked = await bot.say(MIA, "Er waren klanten bij.", "Horen deze 2 berichten daarbij")
    assert actions_of(asked, "held.add", "held.restart") == ["held.add", "held.restart"]

    merged = (await bot.press(MIA, asked, "held.add"))["value"]
    assert "stoel" in text_of(merged) and "klanten" in text_of(merged)
    await until(
        lambda: has_action(card_of(bot.fake.activity(asked["id"])), "report.send"),
        "the question replaced by the grown draft, for good",
    )
    grown = as_shown(bot, asked)
    stale = await bot.press(MIA, first, "report.send")
    assert "Dit concept is intussen aangevuld" in text_of(stale["value"])
    assert await cases_of_mia(bot) == []

    reference = reference_in(text_of((await bot.press(MIA, grown, "report.send"))["value"]))
    await settled(bot)  # the receipt has taken the grown draft's place in her chat
    await bot.press(MIA, grown, "report.send")  # a copy still on another screen
    await settled(bot)
    said = [text_of(card_of(m)) for m in bot.chat(MIA)]
    assert any(f"Verstuurd als melding {reference}" in shown for shown in said)
    kept = text_of(card_of(bot.fake.activity(asked["id"])))
    assert "Je melding is ontvangen" in kept, "pressing again did not take the receipt away"
    [case] = await cases_of_mia(bot)
    narrative = case.report.narrative
    assert [narrative.count(part) for part in (CALM, "stoel", "klanten")] == [1, 1, 1]
    assert len(bot.roots()) == 1


async def test_a_photo_in_the_personal_chat_goes_along_to_the_case_thread(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot()
    photo = inline_image(bot.fake.serve_image(PHOTO))
    onedrive = file_download("dreigmail.pdf", bot.fake.serve_download(files.PDF, "dreigmail.pdf"))
    words = "Deze mail kreeg ik vanochtend van een klant."
    before = len(bot.chat(MIA))
    await bot.post(bot.teams.personal_message(words, user=MIA, attachments=[photo, onedrive]))
    draft = await bot.new_message(MIA, before, "Wil je dit als melding versturen?")
    await bot.new_message(MIA, before, "dreigmail.pdf")  # not from SharePoint: named, not taken

    receipt = text_of((await bot.press(MIA, draft, "report.send"))["value"])
    assert "Je bestand is bij de melding opgeslagen" in receipt
    root = await one_root(bot, reference_in(receipt))
    [(posted, content)] = await until(
        lambda: bot.fake.images(COORDINATOR_CHANNEL.id), "the photo in the case's thread"
    )
    assert content == PHOTO and posted in bot.fake.thread(root["id"])


CONFIDANT = {
    "name": "Els Bakker",
    "phone": "+31 6 8765 4321",
    "teams": {"channel": ELS_CHANNEL.id, "people": [ELS.aad_object_id]},
}
STORY = "Mijn leidinggevende maakt steeds opmerkingen over mijn afkomst."


async def test_a_report_to_the_confidant_stays_theirs_until_the_reporters_yes(
    make_bot: MakeBot,
) -> None:
    bot = await make_bot(confidant=CONFIDANT)
    form = await bot.say(MIA, "meld", "Wie wil je het vertellen?")
    values = {"narrative": STORY, "addressee": "confidant", "danger": "no"}
    receipt = await bot.fill(MIA, form, as_opened(form), values)
    assert "Els Bakker" in text_of(receipt["value"])
    [card] = await until(lambda: bot.roots(ELS_CHANNEL), "the card in Els's channel")
    await until(lambda: STORY in text_of(card_of(bot.fake.thread(card["id"])[-1])), "the story")

    async def handover_asked() -> dict[str, Any]:
        before = len(bot.chat(MIA))
        await bot.press(ELS, card, "case.handover", in_channel=True, channel=ELS_CHANNEL)
        return await bot.new_message(MIA, before, "Niets wordt doorgegeven zonder jouw ja")

    declined = await bot.press(MIA, await handover_asked(), "handover.no")
    assert "blijft alleen bij" in text_of(declined["value"])
    await settled(bot)
    assert posted_to(bot) == "", "nothing reached the coordinator channel"

    await bot.press(MIA, await handover_asked(), "handover.yes")
    root = await bot.root_showing("Melding M-")
    first = await bot.note_showing(root, "met toestemming van de melder")
    assert STORY in text_of(card_of(first))
    await until(
        lambda: "doorgegeven" in text_of(card_of(bot.fake.activity(card["id"]))),
        "Els's card passed on",
    )
    left = card_of(bot.fake.activity(card["id"]))
    assert STORY not in text_of(left) and not has_action(left, "case.claim")
