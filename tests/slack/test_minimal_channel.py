"""channel_content = "minimal" (the default) end to end on Slack: the coordinators' side
of Slack gets a case's handling and a link to meldbot, never what anyone wrote.

A named report with a photo (questioned, answered, added to, given a status with a
message and a note, closed with a summary and a message), an urgent one (paged by DM and
in the thread, answered from the thread), an anonymous one (raised again by its clock,
refused to someone who is not a coordinator) and an anonymous consultation (answered
through its form): then every post, update, ephemeral, upload and coordinator form is
searched for the stories, places, names, questions, answers, messages and the file. The
buttons work and the link button opens the case page. With "full", the content is there.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, Runtime, create_app
from bot.oncall.rota import OnCallPerson, OnCallRota
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack, Posted
from tests.fakes.slack_payloads import (
    block_actions,
    dm_message,
    event_callback,
    file_share_dm,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.anonymity_support import (
    COORDINATOR,
    Meldbot,
    StaffSlack,
    buttons,
    staff_slack,
    text_of,
)
from tests.slack.minimal_support import (
    ADDITION,
    ANNA,
    ANONYMOUS_PLACE,
    ANONYMOUS_STORY,
    ANSWER,
    BOB,
    CLOSE_MESSAGE,
    CLOSE_SUMMARY,
    CONSULT_ANSWER,
    CONSULT_QUESTION,
    CONTENT,
    FILE_CALLS,
    FILE_NAME,
    NAMED_STORY,
    NAMES,
    ON_CALL,
    OTHER,
    PHOTO,
    PUBLIC_URL,
    QUESTION,
    REFERENCE,
    STATUS_MESSAGE,
    STATUS_NOTE,
    URGENT_PLACE,
    URGENT_STORY,
    case_page,
    coordinator_side,
    holding,
    link_urls,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

    def __call__(self) -> datetime:
        return self.now


class Coordinators(Meldbot):
    """The anonymity test's driver, plus named reporters and finding cases by reference."""

    def __init__(self, sender: SlackSender, fake: FakeSlack, runtime: Runtime, clock: Clock):
        super().__init__(sender, fake, runtime)
        self.clock = clock

    async def as_reporter(self, user: str, text: str, files: Sequence[dict[str, Any]] = ()) -> None:
        """A DM from a named reporter (with files: a ``file_share`` message)."""
        n = next(self._ids)
        ts = f"1700000300.{n:06d}"
        event = file_share_dm(user, list(files), text, ts) if files else dm_message(user, text, ts)
        await self._post(event_callback(event, f"EvNamed{n}"), form=False, staff=False)

    async def post(self, body: str) -> None:
        """A signed interactivity request from anyone but the anonymous staff member."""
        await self._post(body, form=True, staff=False)

    def chat_of(self, user: str) -> list[Posted]:
        return self.fake.in_channel("D" + user)

    def said_to(self, user: str, words: str) -> str | None:
        """Everything in the person's DM, once it holds ``words``."""
        chat = "\n".join(text_of(message.blocks) for message in self.chat_of(user))
        return chat if words in chat else None

    async def reference_in_chat(self, user: str) -> str:
        def found() -> str | None:
            for message in self.chat_of(user):
                hit = REFERENCE.search(text_of(message.blocks))
                if hit and "received" in text_of(message.blocks):
                    return hit.group()
            return None

        return await until(found, f"the receipt in {user}'s DM")

    async def card_of(self, reference: str) -> Posted:
        def found() -> Posted | None:
            return next((c for c in self.cards() if reference in c.text), None)

        return await until(found, f"the card of {reference}")

    async def consultation_card(self) -> Posted:
        def found() -> Posted | None:
            return next((c for c in self.cards() if "Consultation" in c.text), None)

        return await until(found, "the consultation card")


@pytest.fixture
async def fake() -> AsyncIterator[StaffSlack]:
    started = staff_slack()
    started.members[COORDINATOR_CHANNEL].append(OTHER)  # in the channel, not on the list
    async with started:
        yield started


async def start(
    tmp_path: Path, fake: StaffSlack, aiohttp_client: MakeClient, **overrides: Any
) -> Coordinators:
    rota = OnCallRota(rotation=[OnCallPerson(id=ON_CALL, name="Karin")])
    settings = make_settings(
        fake,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        oncall=rota,
        public_url=PUBLIC_URL,
        slack_coordinators=[COORDINATOR, ON_CALL],
        **overrides,
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    return Coordinators(SlackSender(await aiohttp_client(app)), fake, app[RUNTIME], clock)


async def named_report_with_a_photo(bot: Coordinators) -> str:
    photo = bot.fake.share_file(FILE_NAME, PHOTO)
    await bot.as_reporter(ANNA, NAMED_STORY, [photo])
    draft = (await until(lambda: bot.chat_of(ANNA), "the draft"))[0]
    send = next(a for a in ("report.calm", "report.send") if a in buttons(draft.blocks))
    value = buttons(draft.blocks)[send]
    await bot.post(block_actions(ANNA, send, value, channel="D" + ANNA, message_ts=draft.ts))
    return await bot.reference_in_chat(ANNA)


async def urgent_report(bot: Coordinators) -> str:
    await bot.post(slash_command(BOB))
    opened = await bot.fake.wait_for("views.open")
    view = opened[-1].json_param("view")
    answers = {"narrative": URGENT_STORY, "location": URGENT_PLACE, "danger": "yes"}
    values = submitted_view_values(view, answers)
    await bot.post(view_submission(BOB, "report", values))
    bot._forms_seen += 1  # the reporter's form, which the driver does not fill itself
    return await bot.reference_in_chat(BOB)


async def anonymous_report(bot: Coordinators) -> str:
    await bot.open_home()
    await bot.press("report.anonymous")
    answers = {"narrative": ANONYMOUS_STORY, "category": "threat", "danger": "no"}
    await bot.fill("report.anonymous", answers | {"location": ANONYMOUS_PLACE, "notify": "no"})
    receipt = await until(
        lambda: [m for m in bot.dm() if REFERENCE.search(text_of(m.blocks))], "the receipt"
    )
    found = REFERENCE.search(text_of(receipt[-1].blocks))
    assert found is not None
    return found.group()


async def test_with_minimal_nothing_anyone_wrote_reaches_the_coordinators_side(
    tmp_path: Path, fake: StaffSlack, aiohttp_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="adapters.slack")
    bot = await start(tmp_path, fake, aiohttp_client)
    named = await named_report_with_a_photo(bot)
    urgent = await urgent_report(bot)
    anonymous = await anonymous_report(bot)
    await bot.press("consult.start")
    await bot.fill("consult", {"situation": CONSULT_QUESTION, "notify": "no"})

    # The named case: every coordinator action, and the reporter's answer and addition.
    card = await bot.card_of(named)
    assert link_urls(card.blocks)[0] == case_page(named)
    assert "colleague (name in meldbot)" in text_of(card.blocks)
    await bot.in_thread(card, "New report — read it in meldbot.")
    await bot.in_thread(card, "sent a file with this report — see it in meldbot")
    await bot.coordinator_press(card, "case.claim")
    await until(lambda: "case.claim" not in buttons(card.blocks), "the card claimed")
    await bot.coordinator_press(card, "case.ask")
    await bot.coordinator_fill("case.question", {"question": QUESTION})
    asked = await bot.in_thread(card, "asked the reporter a question — read it in meldbot")
    assert link_urls(asked.blocks) == [case_page(named)]
    await until(lambda: bot.said_to(ANNA, QUESTION), "the question in Anna's DM")
    await bot.as_reporter(ANNA, ANSWER)
    await bot.in_thread(card, "The reporter answered — read it in meldbot.")
    await bot.as_reporter(ANNA, f"{named} {ADDITION}")
    await bot.in_thread(card, "The reporter added something — read it in meldbot.")
    await bot.coordinator_press(card, "case.status")
    status = {"status": "in_progress", "message": STATUS_MESSAGE, "note": STATUS_NOTE}
    await bot.coordinator_fill("case.status", status)
    await bot.in_thread(card, "With a message to the reporter — read it in meldbot.")
    await bot.coordinator_press(card, "case.close")
    await bot.coordinator_fill("case.close", {"summary": CLOSE_SUMMARY, "message": CLOSE_MESSAGE})
    closed = await bot.in_thread(card, "The summary for the file is in meldbot.")
    assert link_urls(closed.blocks) == [case_page(named)]
    await until(lambda: "case.reopen" in buttons(card.blocks), "the card closed")
    chat = await until(lambda: bot.said_to(ANNA, CLOSE_MESSAGE), "the closing message")
    assert STATUS_MESSAGE in chat, "what goes to the reporter keeps its content"

    # The urgent case: the page by DM and in the thread, answered from the thread.
    urgent_card = await bot.card_of(urgent)
    [page_dm] = await until(lambda: bot.fake.in_channel("D" + ON_CALL), "the page DM")
    assert link_urls(page_dm.blocks) == [case_page(urgent)]
    assert "oncall.on_it" in buttons(page_dm.blocks)
    page = await bot.in_thread(urgent_card, "was paged at")
    assert link_urls(page.blocks) == [case_page(urgent)]
    pressed = block_actions(
        ON_CALL,
        "oncall.on_it",
        buttons(page.blocks)["oncall.on_it"],
        channel=COORDINATOR_CHANNEL,
        message_ts=page.ts,
        thread_ts=urgent_card.ts,
    )
    await bot.post(pressed)
    await bot.in_thread(urgent_card, "is calling the reporter back now")
    await bot.fake.wait_for("chat.postEphemeral")

    # The anonymous case: raised again after a working day; a non-coordinator refused.
    anonymous_card = await bot.card_of(anonymous)
    assert link_urls(anonymous_card.blocks)[0] == case_page(anonymous)
    bot.clock.now += timedelta(days=1, hours=1)
    await bot.runtime.scheduler.tick()
    await bot.settle()
    raised = await bot.in_thread(anonymous_card, "Nobody has picked up this report")
    assert link_urls(raised.blocks) == [case_page(anonymous)]
    value = buttons(anonymous_card.blocks)["case.claim"]
    where = {"channel": COORDINATOR_CHANNEL, "message_ts": anonymous_card.ts}
    await bot.post(block_actions(OTHER, "case.claim", value, **where))
    await until(lambda: len(bot.fake.calls_to("chat.postEphemeral")) == 2, "the refusal, privately")

    # The consultation: its card and the answer form point to meldbot for the question.
    consultation = await bot.consultation_card()
    assert "Read the question in meldbot." in text_of(consultation.blocks)
    await bot.coordinator_press(consultation, "consult.answer")
    await bot.coordinator_fill("consult.answer", {"answer": CONSULT_ANSWER})
    form = bot.coordinator_forms[-1]
    assert "Read the question in meldbot." in text_of(form["blocks"])
    assert f"{PUBLIC_URL}/console/overleg/" in str(form["blocks"])
    await bot.in_thread(consultation, "answered — read it in meldbot")

    # A press on a link button is only acknowledged: the browser opens the page.
    calls = len(bot.fake.calls)
    caplog.clear()
    link = block_actions(
        COORDINATOR, "meldbot.link", channel=COORDINATOR_CHANNEL, message_ts=card.ts
    )
    await bot.post(link)
    await bot.settle()
    assert len(bot.fake.calls) == calls
    assert "slack: action handled" not in caplog.messages, "the core never heard of it"

    shown = coordinator_side(bot.fake)
    methods = {call.method for call in shown}
    assert {"chat.postMessage", "chat.update", "chat.postEphemeral", "views.open"} <= methods
    assert len(bot.coordinator_forms) == 4 and len(shown) > 30
    assert holding(shown, CONTENT) == {}
    assert holding(shown, NAMES) == {}
    assert not [call for call in bot.fake.calls if call.method in FILE_CALLS]
    assert bot.fake.shared_files(COORDINATOR_CHANNEL) == []


async def test_with_full_the_channel_shows_the_content(
    tmp_path: Path, fake: StaffSlack, aiohttp_client: MakeClient
) -> None:
    bot = await start(tmp_path, fake, aiohttp_client, channel_content="full")
    named = await named_report_with_a_photo(bot)
    card = await bot.card_of(named)
    assert NAMED_STORY in text_of(card.blocks)
    assert f"<@{ANNA}>" in str(card.blocks)
    assert link_urls(card.blocks)[0] == case_page(named)
    await bot.in_thread(card, NAMED_STORY)
    shared = await until(lambda: bot.fake.shared_files(COORDINATOR_CHANNEL), "the photo")
    assert shared[0].content == PHOTO and FILE_NAME in (shared[0].title or "")
    await bot.coordinator_press(card, "case.ask")
    await bot.coordinator_fill("case.question", {"question": QUESTION})
    await bot.in_thread(card, QUESTION)
    await bot.as_reporter(ANNA, ANSWER)
    await bot.in_thread(card, ANSWER)
