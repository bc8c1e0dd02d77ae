"""Anonymous consultations: ask, get answers through a receipt code, reply, close."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from bot.consultation.receipts import SECRET_BITS, parse_code
from bot.events import Actor
from bot.ui import Facts, Message, Response
from tests.core.conftest import AHMED, JAN, PIET, SANNE, Harness
from tests.privacy import dialog_keys, tables_holding
from tests.text import buttons, text_of

QUESTION = "Een klant belt elke dag en zegt dat hij weet waar ik woon. Is dat genoeg om te melden?"


def code_in(response: Response) -> str:
    message = response.result
    assert message is not None
    for block in message.blocks:
        if isinstance(block, Facts):
            for label, value in block.items:
                if "code" in label.lower():
                    return value
    raise AssertionError(f"no receipt code in {text_of(message)}")


async def consult(bot: Harness, notify: str = "no", question: str = QUESTION) -> str:
    opened = await bot.press(SANNE, "consult.start")
    assert opened.form is not None and opened.form.form_id == "consult"
    response = await bot.submit(SANNE, "consult", {"situation": question, "notify": notify})
    await bot.settle()
    return code_in(response)


async def follow(bot: Harness, code: str) -> Message:
    response = await bot.say(SANNE, f"status {code}")
    [view] = response.messages
    return view


async def test_a_consultation_reaches_the_coordinators_under_a_pseudonym(bot: Harness) -> None:
    code = await consult(bot)
    parsed = parse_code(code)
    assert parsed is not None and SECRET_BITS >= 50
    [root] = bot.platform.roots()
    card = text_of(root.message)
    assert f"Anonieme collega · {parsed.pseudonym}" in card
    assert "geen melding" in card
    assert set(buttons(root.message)) == {"consult.answer", "consult.close"}
    [note] = bot.platform.thread(root.ref)
    assert QUESTION in text_of(note.message)
    for sent in bot.platform.in_channel():
        shown = text_of(sent.message) + sent.message.summary
        assert SANNE.user_id not in shown and "Sanne" not in shown
    async with bot.runtime.database.engine.connect() as connection:
        cases = (await connection.execute(text("SELECT count(*) FROM cases"))).scalar()
    assert cases == 0, "a consultation opens no case"


async def test_answers_are_read_with_the_code_and_the_colleague_replies(bot: Harness) -> None:
    code = await consult(bot)
    [root] = bot.platform.roots()
    consultation_id = int(buttons(root.message)["consult.answer"])

    form = await bot.press(JAN, "consult.answer", str(consultation_id), root.ref)
    assert form.form is not None
    await bot.submit(
        JAN, "consult.answer", {"answer": "Ja, meld het gerust."}, str(consultation_id)
    )
    await bot.settle()
    assert "Jan Jansen" in text_of(bot.platform.updates[-1][1])
    assert "Ja, meld het gerust." in text_of(bot.platform.thread(root.ref)[-1].message)
    [copy] = bot.platform.dms(SANNE.user_id)
    assert code in text_of(copy.message), "only the code, once more, in the chat"

    view = await follow(bot, code)
    assert QUESTION in text_of(view) and "Ja, meld het gerust." in text_of(view)
    token = buttons(view)["consult.reply"]
    reply = await bot.press(SANNE, "consult.reply", token)
    assert reply.form is not None
    done = await bot.submit(SANNE, "consult.reply", {"text": "Dank je, dat doe ik."}, token)
    assert "Verstuurd" in text_of(done.messages[0])
    await bot.settle()
    assert "Dank je, dat doe ik." in text_of(bot.platform.thread(root.ref)[-1].message)

    again = await bot.submit(SANNE, "consult.reply", {"text": "nog een"}, token)
    assert "verlopen" in text_of(again.messages[0]), "the session ends with the step"


async def test_a_typed_code_never_becomes_a_draft_report(bot: Harness) -> None:
    response = await bot.say(SANNE, "status K7Q2-ABCD-EFGH-JKMN")
    assert "niets te openen" in text_of(response.messages[0])
    states = await dialog_keys(bot.runtime.database)
    assert not any(key.startswith("draft:") for key in states)
    story = await bot.say(SANNE, "klant werd boos")
    assert "melding" in text_of(story.messages[0]).lower()


async def _answers(bot: Harness, who: Actor, typed: str, times: int) -> list[str]:
    return [text_of((await bot.say(who, f"status {typed}")).messages[0]) for _ in range(times)]


async def test_a_stranger_cannot_lock_the_owner_out_nor_learn_the_pseudonym_exists(
    bot: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    code = await consult(bot)
    parsed = parse_code(code)
    assert parsed is not None
    unknown = "ZZZZ" if parsed.pseudonym != "ZZZZ" else "YYYY"
    caplog.set_level(logging.INFO)

    caplog.clear()
    known_answers = await _answers(bot, PIET, f"{parsed.pseudonym}-AAAA-AAAA-AAAA", 12)
    known_logs = [(r.levelno, r.getMessage()) for r in caplog.records]
    caplog.clear()
    unknown_answers = await _answers(bot, AHMED, f"{unknown}-AAAA-AAAA-AAAA", 12)
    unknown_logs = [(r.levelno, r.getMessage()) for r in caplog.records]

    assert known_answers == unknown_answers, "no answer tells whether a pseudonym exists"
    assert known_logs == unknown_logs, "nor does any log line"
    assert all("niets te openen" in answer for answer in known_answers[:10])
    assert all("te vaak een code geprobeerd" in answer for answer in known_answers[10:])
    assert "na 11:00" in known_answers[-1], "10:00 in Amsterdam, plus the hour"
    for _level, line in known_logs:
        assert parsed.pseudonym not in line and PIET.user_id not in line

    view = await follow(bot, code)
    assert QUESTION in text_of(view), "the owner still opens it with the right code"


async def test_one_person_guessing_many_codes_is_held_off_for_the_hour(bot: Harness) -> None:
    code = await consult(bot)
    for n in range(10):
        await bot.say(SANNE, f"status ZZZ{n}-AAAA-AAAA-AAAA")
    held = await bot.say(SANNE, f"status {code}")
    assert "te vaak een code geprobeerd" in text_of(held.messages[0]), "even the right code"
    other = await bot.say(PIET, "status ZZZZ-AAAA-AAAA-AAAA")
    assert "niets te openen" in text_of(other.messages[0]), "only that person is held off"

    bot.clock.advance(minutes=59)
    still = await bot.say(SANNE, f"status {code}")
    assert "te vaak" in text_of(still.messages[0])
    bot.clock.advance(minutes=1)
    view = await follow(bot, code)
    assert QUESTION in text_of(view), "the hour has passed"


async def test_a_notice_when_answered_is_kept_sealed_and_deleted_at_closing(bot: Harness) -> None:
    await consult(bot, notify="yes")
    [root] = bot.platform.roots()
    consultation_id = buttons(root.message)["consult.answer"]
    async with bot.runtime.database.engine.connect() as connection:
        [(sealed,)] = (await connection.execute(text("SELECT contact_sealed FROM receipts"))).all()
    assert sealed and SANNE.user_id not in sealed

    await bot.submit(JAN, "consult.answer", {"answer": "Bel me gerust."}, consultation_id)
    await bot.settle()
    [_code, notice] = bot.platform.dms(SANNE.user_id)
    assert "Bel me gerust." not in text_of(notice.message), "the notice carries no content"
    assert "receipt.enter" in buttons(notice.message)

    await bot.press(JAN, "consult.close", consultation_id, root.ref)
    await bot.settle()
    async with bot.runtime.database.engine.connect() as connection:
        [(sealed,)] = (await connection.execute(text("SELECT contact_sealed FROM receipts"))).all()
    assert sealed is None
    assert "Afgesloten" in text_of(bot.platform.updates[-1][1])


async def test_only_coordinators_answer_or_close(bot: Harness) -> None:
    await consult(bot)
    [root] = bot.platform.roots()
    consultation_id = buttons(root.message)["consult.answer"]
    for action in ("consult.answer", "consult.close"):
        refused = await bot.press(PIET, action, consultation_id, root.ref)
        assert refused.private and refused.form is None
    forged = await bot.submit(PIET, "consult.answer", {"answer": "x"}, consultation_id)
    assert forged.private
    await bot.settle()
    assert len(bot.platform.thread(root.ref)) == 1


async def test_the_colleague_closes_and_the_code_shows_it_closed(bot: Harness) -> None:
    code = await consult(bot)
    view = await follow(bot, code)
    closed = await bot.press(SANNE, "consult.end", buttons(view)["consult.end"])
    assert closed.replace is not None and "gesloten" in text_of(closed.replace)
    await bot.settle()
    [root] = bot.platform.roots()
    assert "De collega heeft dit overleg gesloten." in text_of(
        bot.platform.thread(root.ref)[-1].message
    )
    again = await follow(bot, code)
    assert "gesloten" in text_of(again) and "consult.reply" not in buttons(again)


async def test_a_visitor_of_the_staff_page_is_offered_no_notice_and_reached_nowhere(
    bot: Harness,
) -> None:
    visitor = Actor("web", "anon-Q2xd8vR4sT", "")
    assert visitor.ephemeral and not SANNE.ephemeral
    for action, form_id in (("consult.start", "consult"), ("report.anonymous", "report.anonymous")):
        opened = await bot.press(visitor, action)
        assert opened.form is not None and opened.form.form_id == form_id
        assert "notify" not in {field.id for field in opened.form.fields}
        assert "seintje" not in " ".join(text_of(Message("", opened.form.intro)).split())
    # Even a "yes" sent anyway keeps nothing to reach them by, and sends nothing.
    response = await bot.submit(visitor, "consult", {"situation": QUESTION, "notify": "yes"})
    assert code_in(response)
    await bot.settle()
    sealer = bot.runtime.database._sealer
    found = await tables_holding(bot.runtime.database.engine, sealer, [visitor.user_id])
    assert found == {}
    assert [s for s in bot.platform.sent if "anon-" in s.address.conversation] == []
