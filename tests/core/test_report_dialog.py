"""The report dialog against the real core and database, with a fake platform."""

from __future__ import annotations

import re

import pytest

from bot.case.models import Category, Reporter, Status
from bot.events import Actor, Address, CommandInvoked
from bot.ui import Message, TextInput
from storage.cases import SqlCaseRepository
from tests.core.conftest import AHMED, SANNE, Harness
from tests.text import buttons, text_of

REFERENCE = re.compile(r"M-\d{4}-\d{4}")


def receipt_of(bot: Harness, actor: Actor = SANNE) -> Message:
    """The receipt in the person's chat, where the outbox delivered it."""
    [receipt] = [
        s.message for s in bot.platform.dms(actor.user_id) if REFERENCE.search(s.message.summary)
    ]
    return receipt


async def test_a_story_in_a_dm_becomes_a_case_in_two_steps(bot: Harness) -> None:
    draft = await bot.say(SANNE, "Een man schreeuwde aan de balie dat hij me zou opwachten.")
    send = buttons(draft.messages[0])["report.send"]
    assert not bot.platform.sent, "nothing reaches coordinators before the report is sent"

    sent = await bot.press(SANNE, "report.send", send)
    assert sent.replace is None, "the outbox puts the receipt in the draft's place"
    assert sent.result is not None and REFERENCE.search(text_of(sent.result))
    await bot.settle()
    receipt = text_of(receipt_of(bot))
    reference = REFERENCE.search(receipt)
    assert reference, receipt
    assert "Jan Jansen" in receipt and "Els Bakker" in receipt
    assert "case.add_info" in buttons(receipt_of(bot))

    [root] = bot.platform.roots()
    assert reference.group() in text_of(root.message)
    assert "opwachten" in text_of(root.message)
    [full_report] = bot.platform.thread(root.ref)
    assert "Een man schreeuwde" in text_of(full_report.message)


async def test_greeting_shows_the_menu_not_a_draft(bot: Harness) -> None:
    response = await bot.say(SANNE, "Ik wil iets melden")
    assert "report.start" in buttons(response.messages[0])
    started = await bot.press(SANNE, "report.start")
    assert started.form is not None and started.form.form_id == "report"


async def test_the_form_needs_only_a_description(bot: Harness) -> None:
    opened = await bot.command(SANNE)
    assert opened.form is not None
    required = [f.id for f in opened.form.fields if not getattr(f, "optional", True)]
    assert required == ["narrative"]

    empty = await bot.submit(SANNE, "report", {"narrative": "   "})
    assert "narrative" in empty.errors and not empty.messages

    done = await bot.submit(SANNE, "report", {"narrative": "Uitgescholden door een klant."})
    assert done.result is not None and REFERENCE.search(text_of(done.result))
    await bot.settle()
    assert REFERENCE.search(text_of(receipt_of(bot))), "and once more in the chat"


async def test_details_after_a_draft_are_the_third_and_last_step(bot: Harness) -> None:
    draft = await bot.say(AHMED, "Er staan elke ochtend busjes met arbeiders voor het pand.")
    details = await bot.press(AHMED, "report.details", buttons(draft.messages[0])["report.details"])
    assert details.form is not None and details.form.form_id == "report.details"
    done = await bot.submit(
        AHMED,
        "report.details",
        {
            "category": "trafficking",
            "when": "earlier",
            "location": "Industrieweg",
            "danger": "no",
            "feedback": "yes",
            "manager": "unknown",
        },
        details.form.state,
    )
    assert done.result is not None and REFERENCE.search(text_of(done.result))
    assert done.replace is None, "the receipt takes the draft message's place, through the outbox"
    [case] = await bot.runtime.cases.cases_of(Reporter("web", AHMED.user_id))
    assert case.report.category is Category.TRAFFICKING
    assert case.report.location == "Industrieweg"
    assert case.status is Status.NEW


async def test_the_receipt_speaks_dutch_by_default(bot: Harness) -> None:
    done = await bot.submit(SANNE, "report", {"narrative": "Bedreigd aan de telefoon."})
    assert done.result is not None
    text = text_of(done.result)
    assert "Je melding is ontvangen" in text
    assert "neemt binnen 24 uur contact met je op" in text


async def test_danger_now_promises_the_urgent_line(bot: Harness) -> None:
    done = await bot.submit(
        SANNE, "report", {"narrative": "Hij staat buiten te wachten.", "danger": "yes"}
    )
    assert done.result is not None
    # Nobody is on call in this configuration: the receipt promises no piket.
    assert "piket" not in text_of(done.result) and "112" in text_of(done.result)
    await bot.settle()
    assert "SPOED" in text_of(bot.platform.roots()[0].message)


async def test_english_is_selectable_and_remembered(bot: Harness) -> None:
    switched = await bot.press(SANNE, "menu.language", "en")
    assert "Make a report" in text_of(switched.messages[0])
    done = await bot.submit(SANNE, "report", {"narrative": "Shouted at by a visitor."})
    assert done.result is not None
    assert "Your report has been received" in text_of(done.result)


async def test_hidden_characters_are_removed_from_the_story(bot: Harness) -> None:
    draft = await bot.say(SANNE, "Bedreigd\u202e door\x00 een klant")
    quoted = text_of(draft.messages[0])
    assert "Bedreigd door een klant" in quoted
    assert "\u202e" not in quoted and "\x00" not in quoted


async def test_a_report_is_never_confirmed_before_it_is_stored(
    bot: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.say(SANNE, "Een bezoeker gooide een stoel om.")

    async def database_down(*_args: object) -> None:
        raise ConnectionError("database unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(SqlCaseRepository, "create", database_down)
        failed = await bot.press(SANNE, "report.send")
    assert failed.replace is None
    assert not REFERENCE.search("".join(text_of(m) for m in failed.private))
    assert "niets opgeslagen" in text_of(failed.private[0])

    retried = await bot.press(SANNE, "report.send")
    assert not retried.private, "the draft survived the failure"
    await bot.settle()
    assert REFERENCE.search(text_of(receipt_of(bot)))


async def test_the_command_text_prefills_the_form(bot: Harness) -> None:
    opened = await bot.runtime.dialogs.handle(
        CommandInvoked(
            SANNE,
            Address("web", "dm:staff-1", personal=True),
            "report",
            "Klant werd boos\x00 bij de balie",
        )
    )
    assert opened.form is not None
    narrative = next(f for f in opened.form.fields if f.id == "narrative")
    assert isinstance(narrative, TextInput) and narrative.initial == "Klant werd boos bij de balie"
