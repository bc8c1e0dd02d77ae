"""End to end over Slack: the intake that keeps people safe.

The real slack-bolt stack, composition root, dialogs and database (SQLite and PostgreSQL),
the fake Slack Web API at the edge, meldbot in Dutch. Danger in a DM is asked about and
"Ja, nu" pages the person on call; a self-harm threat is flagged for the coordinators with
guidance; an answer that reads like a new incident and a second story are asked about,
never merged or sent unasked; a file in a DM reaches the case thread; a report to the
vertrouwenspersoon stays theirs until the reporter says yes.
"""

from __future__ import annotations

from pathlib import Path

from bot.case.models import Case, CategorySource, Reporter, Urgency
from bot.oncall.rota import OnCallPerson, OnCallRota
from tests import files
from tests.fakes.slack_api import FakeSlack, Posted, UploadedFile
from tests.slack.anonymity_support import buttons, text_of
from tests.slack.intake_support import COORDINATOR, MakeClient, Meldbot, start_meldbot
from tests.slack.support import COORDINATOR_CHANNEL
from tests.waiting import until

KNIFE = "Hij staat nu buiten met een mes en zegt dat hij op me wacht"
SELF_HARM = (
    "De klant zei aan de telefoon dat hij zichzelf iets gaat aandoen als hij geen geld krijgt."
)
CALM = "Een bezoeker was onbeleefd tegen mijn collega bij de balie."
MORE = "En daarna gooide hij een stoel om."
ON_CALL = "UCOORD2"
ROTA = OnCallRota(rotation=[OnCallPerson(id=ON_CALL, name="Karin Kok")])
CRISIS = [{"name": "GGD crisisdienst", "role": "Crisisdienst", "phone": "+31 88 000 0000"}]


async def cases_of(bot: Meldbot, user: str) -> list[Case]:
    return list(await bot.runtime.cases.cases_of(Reporter("slack", user)))


async def replaced(message: Posted, updates: int = 1) -> Posted:
    return await until(lambda: message if message.updates >= updates else None, "an update")


async def test_danger_in_a_dm_is_asked_and_ja_nu_pages_the_person_on_call(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path, oncall=ROTA)
    draft = await bot.say("UANNA", KNIFE)
    shown = text_of(draft.blocks)
    assert "Is er nu iemand in gevaar?" in shown and "voorstel van meldbot" in shown
    assert {"report.urgent", "report.calm"} <= set(buttons(draft.blocks))
    assert "report.send" not in buttons(draft.blocks), "sending is the answer to the question"
    assert "Ja, nu" in shown and "Nee" in shown

    await bot.press("UANNA", draft, "report.urgent")
    receipt = text_of((await replaced(draft)).blocks)
    assert "Je melding is ontvangen" in receipt and "30 minuten" in receipt
    [case] = await bot.runtime.cases.cases_of(Reporter("slack", "UANNA"))
    assert case.urgency is Urgency.URGENT and case.report.danger_now is True
    assert case.report.category_source is CategorySource.MELDBOT

    [page] = await until(lambda: bot.dm(ON_CALL), "the page in Karin's DM")
    assert case.reference in page.text and "oncall.on_it" in buttons(page.blocks)
    card = await bot.card(1)
    assert "Nu gevaar" in text_of(card.blocks) and "voorstel van meldbot" in text_of(card.blocks)
    paged = await bot.in_thread(card, "Piket:")
    assert f"<@{ON_CALL}>" in str(paged.blocks) and paged.broadcast
    assert len(bot.dm("UANNA")) == 1, "the receipt took the draft's place"


async def test_a_self_harm_threat_is_flagged_on_the_card_with_guidance_in_the_thread(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(
        fake_slack, aiohttp_client, database_url, tmp_path, crisis_contacts=CRISIS
    )
    draft = await bot.say("UANNA", SELF_HARM)
    assert "Dreigt iemand zichzelf nu iets aan te doen? Bel 112." in text_of(draft.blocks)
    await bot.press("UANNA", draft, "report.send")
    card = await bot.card(1)
    assert "Iemand dreigde zichzelf iets aan te doen" in text_of(card.blocks)
    await bot.in_thread(card, "0800-0113")
    thread = bot.thread_text(card)
    assert "112" in thread and "113.nl" in thread and "GGD crisisdienst" in thread
    assert SELF_HARM in thread
    [case] = await bot.runtime.cases.cases_of(Reporter("slack", "UANNA"))
    assert case.report.self_harm and case.urgency is Urgency.NORMAL


async def test_an_answer_and_a_new_incident_are_told_apart_only_by_the_reporter(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    await bot.press("UANNA", await bot.say("UANNA", CALM), "report.send")
    card = await bot.card(1)
    question = await bot.ask(card, "Hoe gaat het nu met je?", "UANNA")
    assert "Hoe gaat het nu met je?" in text_of(question.blocks)

    plain = await bot.say("UANNA", "Goed, dank je.")
    assert "je antwoord is doorgegeven" in text_of(plain.blocks)
    await bot.in_thread(card, "Goed, dank je.")

    await bot.ask(card, "Is er nog iets gebeurd?", "UANNA")
    asked = await bot.say("UANNA", KNIFE)
    assert "Is dit een antwoord op de vraag over M-" in text_of(asked.blocks)
    assert {"held.answer", "held.report"} == set(buttons(asked.blocks))
    await bot.press("UANNA", asked, "held.report")
    new_draft = await replaced(asked)
    assert "report.urgent" in buttons(new_draft.blocks), "the knife story is a draft now"
    await bot.settle()
    assert KNIFE not in bot.thread_text(card), "nothing went to the coordinators unasked"

    held = await bot.say("UANNA", "Hij schreeuwde dat hij me ging opwachten.")
    assert "held.answer" in buttons(held.blocks), "the question is still open"
    await bot.press("UANNA", held, "held.answer")
    assert "je antwoord is doorgegeven" in text_of((await replaced(held)).blocks)
    await bot.in_thread(card, "opwachten")
    await bot.press("UANNA", new_draft, "report.calm")
    await bot.card(2)
    cases = await bot.runtime.cases.cases_of(Reporter("slack", "UANNA"))
    assert sorted(c.report.narrative for c in cases) == sorted([CALM, KNIFE])


async def test_a_second_story_is_asked_about_and_every_copy_of_the_draft_knows(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    first = await bot.say("UBOB", CALM)
    first_send = buttons(first.blocks)["report.send"]
    asked = await bot.say("UBOB", MORE)
    assert "Hoort dit bericht daarbij" in text_of(asked.blocks)
    again = await bot.say("UBOB", "Er waren klanten bij.")
    assert "Horen deze 2 berichten daarbij" in text_of(again.blocks)

    await bot.press("UBOB", again, "held.add")
    merged = await replaced(again)
    assert MORE in text_of(merged.blocks) and "klanten" in text_of(merged.blocks)
    await bot.press("UBOB", asked, "held.add")  # the first question, still on screen
    assert "niets toegevoegd" in text_of((await replaced(asked)).blocks)
    await bot.press("UBOB", first, "report.send")
    assert "Dit concept is intussen aangevuld" in text_of((await replaced(first)).blocks)
    await bot.settle()
    assert bot.cards() == [] and await cases_of(bot, "UBOB") == []

    send = buttons(merged.blocks)["report.send"]
    await bot.press("UBOB", merged, "report.send")
    receipt = text_of((await replaced(merged, 2)).blocks)
    assert "Je melding is ontvangen" in receipt
    [case] = await bot.runtime.cases.cases_of(Reporter("slack", "UBOB"))
    assert case.report.narrative.count(CALM) == 1 and case.report.narrative.count(MORE) == 1
    await bot.press("UBOB", first, "report.send", first_send)  # as it first stood
    said = text_of((await replaced(first, 2)).blocks)
    assert f"Verstuurd als melding {case.reference}" in said

    await bot.press("UBOB", merged, "report.send", send)  # a double click, arriving late
    await bot.settle()
    assert text_of(merged.blocks) == receipt, "the receipt stays where it is"
    [note] = [m for m in bot.dm("UBOB") if "Verstuurd als melding" in m.text and m is not first]
    assert case.reference in note.text
    assert len(bot.cards()) == 1 and len(await cases_of(bot, "UBOB")) == 1


async def test_a_photo_in_a_dm_is_answered_and_reaches_the_case_thread(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(fake_slack, aiohttp_client, database_url, tmp_path)
    photo, mail = files.image("JPEG", size=(40, 30)), files.PNG
    shared = [fake_slack.share_file("balie.jpg", photo, "image/jpeg")]
    draft = await bot.say("UANNA", CALM, shared)
    assert "report.send" in buttons(draft.blocks)
    held = await bot.say("UANNA", MORE, [fake_slack.share_file("mail.png", mail, "image/png")])
    assert "held.add" in buttons(held.blocks), "a second message with a file is asked about"
    await bot.press("UANNA", held, "held.add")
    merged = await replaced(held)
    await bot.press("UANNA", merged, "report.send")
    receipt = text_of((await replaced(merged, 2)).blocks)
    assert "Je melding is ontvangen" in receipt and "2 bestanden" in receipt

    card = await bot.card(1)

    def both() -> list[UploadedFile] | None:
        shared = fake_slack.shared_files(COORDINATOR_CHANNEL)
        return shared if len(shared) == 2 else None

    uploaded = await until(both, "both files in the case thread")
    assert sorted(f.content or b"" for f in uploaded) == sorted([photo, mail])
    assert all(f.thread_ts == card.ts for f in uploaded)
    assert len(fake_slack.downloads) == 2


ELS = "UELS"
CONFIDANT_CHANNEL = "C0VERTROUW"
CONFIDANT = {"name": "Els Bakker", "slack": {"channel": CONFIDANT_CHANNEL, "people": [ELS]}}
STORY = "Mijn leidinggevende maakt steeds opmerkingen over mijn afkomst."


async def test_a_report_to_the_confidant_reaches_the_meldpunt_only_after_the_reporters_yes(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start_meldbot(
        fake_slack, aiohttp_client, database_url, tmp_path, confidant=CONFIDANT, oncall=ROTA
    )
    form = await bot.command("UANNA")
    assert "Els Bakker" in text_of(form[0]["blocks"])
    answers = {"narrative": STORY, "addressee": "confidant", "danger": "yes"}
    answer = await bot.submit("UANNA", form, answers)
    assert answer["response_action"] == "update" and "Els Bakker" in text_of(answer["view"])
    card = await bot.card(1, CONFIDANT_CHANNEL)
    await bot.in_thread(card, STORY)

    await bot.press(COORDINATOR, card, "case.claim")
    [refused] = await fake_slack.wait_for("chat.postEphemeral")
    assert refused.params["user"] == COORDINATOR
    assert "Alleen coördinatoren" in refused.params["text"]
    await bot.press(ELS, card, "case.handover")
    ask = await until(lambda: bot.dm("UANNA")[1:], "the handover question")
    assert "Niets wordt doorgegeven zonder jouw ja" in text_of(ask[0].blocks)
    await bot.press("UANNA", ask[0], "handover.no")
    assert "blijft alleen bij" in text_of((await replaced(ask[0])).blocks)
    await bot.settle()
    assert bot.shown_in(COORDINATOR_CHANNEL) == "", "nothing at the meldpunt"
    assert bot.dm(ON_CALL) == [], "the meldpunt's piket is not paged for the confidant"

    await bot.press(ELS, card, "case.handover")
    ask = await until(lambda: bot.dm("UANNA")[2:], "the second handover question")
    await bot.press("UANNA", ask[0], "handover.yes")
    meldpunt = await bot.card(1)
    first = await bot.in_thread(meldpunt, "met toestemming van de melder")
    assert STORY in text_of(first.blocks)
    passed = await until(
        lambda: card if "case.claim" not in buttons(card.blocks) else None,
        "the confidant's card, passed on",
    )
    assert STORY not in text_of(passed.blocks) and buttons(passed.blocks) == {}
    await bot.press(COORDINATOR, meldpunt, "case.claim")
    await until(lambda: "case.claim" not in buttons(meldpunt.blocks), "the meldpunt claims it")
    assert len(fake_slack.calls_to("chat.postEphemeral")) == 1
