"""The coordinator side: threaded alerts, role checks, questions, feedback, closing."""

from __future__ import annotations

from bot.case.models import Reporter, Status
from bot.ports import DeliveryError
from tests.core.conftest import JAN, PIET, SANNE, Harness
from tests.fakes.messenger import Sent
from tests.text import buttons, text_of


async def _report(bot: Harness, text: str = "Klant dreigde met geweld.", **values: str) -> int:
    await bot.submit(SANNE, "report", {"narrative": text, **values})
    await bot.settle()
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    if SANNE.user_id not in bot.platform.unreachable:
        [receipt] = bot.platform.dms(SANNE.user_id)
        assert case.reference in text_of(receipt.message), "the receipt came through the outbox"
    return case.id


def _news(bot: Harness) -> list[Sent]:
    """What the reporter heard after their receipt."""
    return bot.platform.dms(SANNE.user_id)[1:]


def _root(bot: Harness) -> Sent:
    [root] = bot.platform.roots()
    return root


async def test_claim_updates_the_root_in_place_and_tells_the_reporter(bot: Harness) -> None:
    case_id = await _report(bot)
    root = _root(bot)
    assert buttons(root.message)["case.claim"] == str(case_id)

    response = await bot.press(JAN, "case.claim", str(case_id), root.ref)
    assert not response.private
    await bot.settle()

    ref, updated = bot.platform.updates[-1]
    assert ref == root.ref
    assert "Jan Jansen" in text_of(updated)
    assert "case.claim" not in buttons(updated)
    notes = [text_of(s.message) for s in bot.platform.thread(root.ref)]
    assert any("Jan Jansen" in note for note in notes[1:])
    [feedback] = _news(bot)
    assert "Jan Jansen" in text_of(feedback.message)
    assert len(bot.platform.roots()) == 1, "everything after the alert is a thread reply"


async def test_only_coordinators_act_on_cases(bot: Harness) -> None:
    case_id = await _report(bot)
    root = _root(bot)
    before = len(bot.platform.sent), len(bot.platform.updates)
    for action in ("case.claim", "case.ask", "case.status", "case.close"):
        refused = await bot.press(PIET, action, str(case_id), root.ref)
        assert refused.private and refused.form is None, action
    await bot.settle()
    assert (len(bot.platform.sent), len(bot.platform.updates)) == before
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.status is Status.NEW and case.handler_id is None


async def test_a_forged_form_from_a_non_coordinator_changes_nothing(bot: Harness) -> None:
    case_id = await _report(bot)
    refused = await bot.submit(PIET, "case.close", {"summary": "weg"}, str(case_id))
    assert refused.private
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    assert case.status is Status.NEW


async def test_question_reaches_the_reporter_and_the_answer_the_thread(bot: Harness) -> None:
    case_id = await _report(bot)
    root = _root(bot)
    form = await bot.press(JAN, "case.ask", str(case_id), root.ref)
    assert form.form is not None
    await bot.submit(
        JAN, form.form.form_id, {"question": "Was er een collega bij?"}, form.form.state
    )
    await bot.settle()
    [question] = _news(bot)
    assert "Was er een collega bij?" in text_of(question.message)

    answered = await bot.say(SANNE, "Ja, Karin stond naast me.")
    assert "report.send" not in buttons(answered.messages[0]), "an answer is not a new report"
    await bot.settle()
    assert "Karin stond naast me" in text_of(bot.platform.thread(root.ref)[-1].message)


async def test_status_with_a_measure_and_closing_reach_the_reporter(bot: Harness) -> None:
    case_id = await _report(bot)
    await bot.press(JAN, "case.claim", str(case_id))
    await bot.submit(
        JAN,
        "case.status",
        {"status": "measure", "measure": "warning_letter", "message": "De brief is verstuurd."},
        str(case_id),
    )
    await bot.submit(
        JAN,
        "case.close",
        {"summary": "Intern: burger kent de norm nu.", "message": "Dank voor je melding."},
        str(case_id),
    )
    await bot.settle()
    dms = [text_of(s.message) for s in _news(bot)]
    assert len(dms) == 3
    assert "De brief is verstuurd." in dms[1]
    assert "Dank voor je melding." in dms[2] and "Els Bakker" in dms[2]
    assert all("Intern" not in dm for dm in dms), "the file summary stays with coordinators"
    thread = "\n".join(text_of(s.message) for s in bot.platform.thread(_root(bot).ref))
    assert "Intern: burger kent de norm nu." in thread
    assert "case.reopen" in buttons(bot.platform.updates[-1][1])


async def test_no_feedback_when_the_reporter_declined_it(bot: Harness) -> None:
    case_id = await _report(bot, feedback="no")
    await bot.press(JAN, "case.claim", str(case_id))
    await bot.settle()
    assert not _news(bot)
    last_note = text_of(bot.platform.thread(_root(bot).ref)[-1].message)
    assert "not to receive feedback" in last_note or "geen terugkoppeling" in last_note


async def test_a_platform_outage_delays_the_alert_but_loses_nothing(bot: Harness) -> None:
    bot.platform.failures.append(DeliveryError("ratelimited", retry_after=30))
    await _report(bot)
    assert not bot.platform.roots()
    bot.clock.advance(seconds=31)
    await bot.settle()
    assert len(bot.platform.roots()) == 1
    assert len(bot.platform.thread(_root(bot).ref)) == 1


async def test_an_unreachable_reporter_is_flagged_in_the_thread(bot: Harness) -> None:
    bot.platform.unreachable.add(SANNE.user_id)
    case_id = await _report(bot)
    undelivered = text_of(bot.platform.thread(_root(bot).ref)[-1].message)
    assert "niet worden afgeleverd" in undelivered, "not even the receipt reached her"
    await bot.press(JAN, "case.claim", str(case_id))
    await bot.settle()
    last = text_of(bot.platform.thread(_root(bot).ref)[-1].message)
    assert "could not be delivered" in last or "niet worden afgeleverd" in last
