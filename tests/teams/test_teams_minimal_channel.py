"""channel_content = "minimal" (the default) end to end on Teams: what meldbot sends
anywhere but a reporter's own chat carries a case's handling and a link to meldbot,
never what anyone wrote.

The same cases as on Slack, signed as Teams signs: a named report with a photo
(questioned, answered, added to, given a status with a message and a note, closed with a
summary and a message), an urgent one (paged in the on-call coordinator's chat and in the
thread, answered from the page), an anonymous one (raised again by its clock) and an
anonymous consultation (answered through its form). Every activity sent to the connector
and every card answered to a coordinator is searched for the stories, places, names,
questions, answers, messages and the photo's bytes. The buttons work; the link button is
an ``Action.OpenUrl`` to the case page. With "full", the content is there.
"""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import RUNTIME, create_app
from bot.oncall.rota import OnCallPerson, OnCallRota
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import BOT_APP_ID, TeamsBot, TeamsUser, inline_image
from tests.slack.minimal_support import (
    ADDITION,
    ANONYMOUS_PLACE,
    ANONYMOUS_STORY,
    ANSWER,
    CLOSE_MESSAGE,
    CLOSE_SUMMARY,
    CONSULT_ANSWER,
    CONSULT_QUESTION,
    CONTENT,
    NAMED_STORY,
    PHOTO,
    PUBLIC_URL,
    QUESTION,
    REFERENCE,
    STATUS_MESSAGE,
    STATUS_NOTE,
    URGENT_PLACE,
    URGENT_STORY,
    case_page,
)
from tests.teams.anonymity_support import (
    SANNE,
    MakeClient,
    TeamsMeldbot,
    identifiers,
    signed_outbound,
    texts_holding,
)
from tests.teams.support import (
    CHRIS,
    COORDINATOR_CHANNEL,
    OUTBOUND_TOKEN,
    card_of,
    has_action,
    make_settings,
    text_of,
)
from tests.waiting import until

ANNA = TeamsUser("29:1AnnaKorhoenQ8wz", "Anna Korhoenvlinder", "aad-anna-korhoen-0005")
BOB = TeamsUser("29:1BobWulpvleugel3kd", "Bob Wulpvleugel", "aad-bob-wulp-0006")
REPORTERS = (ANNA, BOB, SANNE)
PHOTO_TEXT = base64.b64encode(PHOTO).decode()[:40]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday

    def __call__(self) -> datetime:
        return self.now


class Coordination(TeamsMeldbot):
    """The anonymity test's driver, with a clock and what the coordinators' side saw."""

    clock: Clock

    def coordinator_side(self) -> list[str]:
        """Every activity sent anywhere but a reporter's own chat (new channel threads,
        replies, updates), and every card answered to someone who is not a reporter."""
        chats = {self.teams.personal(user)["id"] for user in REPORTERS}
        sent = [c.body for c in self.fake.calls if c.body and c.conversation_id not in chats]
        reporters = {user.id for user in REPORTERS}
        answers = [body for who, body in self.answered if who.id not in reporters]
        return [json.dumps(item, ensure_ascii=False) for item in sent + answers]

    def names(self) -> list[str]:
        return [name for user in REPORTERS for name in identifiers(self.teams, user)]

    async def reference(self, user: TeamsUser) -> str:
        """The reference on the receipt in the person's chat (in a draft's place, or new)."""
        receipt = await self.new_message(user, 0, "has been received")
        found = REFERENCE.search(text_of(card_of(receipt)))
        assert found is not None
        return found.group()

    async def note_showing(self, root: dict[str, Any], words: str) -> dict[str, Any]:
        """As the driver's, past the photos a thread holds with "full"."""

        def found() -> list[dict[str, Any]]:
            notes = self.fake.thread(root["id"])[1:]
            return [n for n in notes if is_card(n) and words in text_of(card_of(n))]

        return (await until(found, f"a thread note showing {words!r}"))[0]

    async def settled(self) -> None:
        await self.app[RUNTIME].outbox.settle()
        await self.fake.settle()


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotConnector]:
    async with FakeBotConnector(require_token=OUTBOUND_TOKEN, bot=TeamsBot()) as connector:
        yield connector


@pytest.fixture
async def issuer() -> AsyncIterator[OpenIdIssuer]:
    async with OpenIdIssuer() as openid:
        yield openid


async def start(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    **overrides: Any,
) -> Coordination:
    settings = make_settings(
        fake,
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        public_url=PUBLIC_URL,
        oncall=OnCallRota(rotation=[OnCallPerson(id=CHRIS.aad_object_id, name="Chris")]),
        **overrides,
    )
    clock = Clock()
    app = await create_app(settings, clock=clock)
    bot = Coordination(await aiohttp_client(app), app, fake, issuer)
    bot.clock = clock
    return bot


def is_card(activity: dict[str, Any]) -> bool:
    kinds = [a.get("contentType") for a in activity.get("attachments") or []]
    return kinds == ["application/vnd.microsoft.card.adaptive"]


def opens(activity: dict[str, Any]) -> list[str]:
    """The pages the card's link buttons open."""
    return [
        str(node["url"])
        for node in _nodes(card_of(activity))
        if isinstance(node, dict) and node.get("type") == "Action.OpenUrl"
    ]


def _nodes(node: Any) -> Iterable[Any]:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from _nodes(child)


async def named_report_with_a_photo(bot: Coordination) -> str:
    photo = inline_image(bot.fake.serve_image(PHOTO))
    before = len(bot.chat(ANNA))
    await bot.post(bot.teams.personal_message(NAMED_STORY, user=ANNA, attachments=[photo]))
    draft = await bot.new_message(ANNA, before, NAMED_STORY[:20])
    send = "report.calm" if has_action(card_of(draft), "report.calm") else "report.send"
    await bot.press(ANNA, draft, send)
    return await bot.reference(ANNA)


async def urgent_report(bot: Coordination) -> str:
    form = await bot.say(BOB, "meld", "What happened?")
    opened = {"type": "application/vnd.microsoft.card.adaptive", "value": card_of(form)}
    values = {"narrative": URGENT_STORY, "location": URGENT_PLACE, "danger": "yes"}
    await bot.fill(BOB, form, opened, values)
    return await bot.reference(BOB)


async def anonymous_report(bot: Coordination, menu: dict[str, Any]) -> str:
    opened = await bot.press(SANNE, menu, "report.anonymous")
    before = len(bot.chat(SANNE))
    values = {"narrative": ANONYMOUS_STORY, "location": ANONYMOUS_PLACE, "danger": "no"}
    await bot.fill(SANNE, menu, opened, values | {"notify": "no"})
    receipt = await bot.new_message(SANNE, before, "Your receipt code")
    found = REFERENCE.search(text_of(card_of(receipt)))
    assert found is not None
    return found.group()


async def test_with_minimal_nothing_anyone_wrote_reaches_the_coordinators_side(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_outbound(monkeypatch)
    bot = await start(tmp_path, fake, issuer, aiohttp_client)
    await bot.say(CHRIS, "hoi", "Report")  # meldbot may write to Chris later (the page)
    menu = await bot.say(SANNE, "hoi", "Report anonymously")
    named = await named_report_with_a_photo(bot)
    urgent = await urgent_report(bot)
    anonymous = await anonymous_report(bot, menu)
    opened = await bot.press(SANNE, menu, "consult.start")
    await bot.fill(SANNE, menu, opened, {"situation": CONSULT_QUESTION, "notify": "no"})

    # The named case: every coordinator action, and the reporter's answer and addition.
    root = await bot.root_showing(f"Report {named}")
    assert opens(root) == [case_page(named)]
    assert "colleague (name in meldbot)" in text_of(card_of(root))
    await bot.note_showing(root, "New report — read it in meldbot.")
    photo_note = await bot.note_showing(root, "sent a file with this report — see it in meldbot")
    assert opens(photo_note) == [case_page(named)]
    await bot.press(CHRIS, root, "case.claim", in_channel=True)
    await bot.note_showing(root, "claimed this case")
    opened = await bot.press(CHRIS, root, "case.ask", in_channel=True)
    await bot.fill(CHRIS, root, opened, {"question": QUESTION}, in_channel=True)
    await bot.note_showing(root, "asked the reporter a question — read it in meldbot")
    await bot.say(ANNA, ANSWER, "your answer has been passed on")
    answered = await bot.note_showing(root, "The reporter answered — read it in meldbot.")
    assert opens(answered) == [case_page(named)]
    await bot.say(ANNA, f"{named} {ADDITION}", "your information has been added")
    await bot.note_showing(root, "The reporter added something — read it in meldbot.")
    opened = await bot.press(CHRIS, root, "case.status", in_channel=True)
    status = {"status": "in_progress", "message": STATUS_MESSAGE, "note": STATUS_NOTE}
    await bot.fill(CHRIS, root, opened, status, in_channel=True)
    await bot.note_showing(root, "With a message to the reporter — read it in meldbot.")
    opened = await bot.press(CHRIS, root, "case.close", in_channel=True)
    closing = {"summary": CLOSE_SUMMARY, "message": CLOSE_MESSAGE}
    await bot.fill(CHRIS, root, opened, closing, in_channel=True)
    await bot.note_showing(root, "The summary for the file is in meldbot.")
    await until(lambda: has_action(card_of(bot.fake.activity(root["id"])), "case.reopen"), "closed")
    await bot.new_message(ANNA, 0, CLOSE_MESSAGE)  # the reporter's own chat keeps it

    # The urgent case: the page in Chris's chat and in the thread, answered from the page.
    urgent_root = await bot.root_showing(f"Report {urgent}")
    page = await bot.new_message(CHRIS, 0, "Urgent report")
    assert opens(page) == [case_page(urgent)]
    thread_page = await bot.note_showing(urgent_root, "was paged at")
    assert opens(thread_page) == [case_page(urgent)]
    await bot.press(CHRIS, page, "oncall.on_it")
    await bot.note_showing(urgent_root, "is calling the reporter back now")

    # The anonymous case, raised again after a working day.
    anonymous_root = await bot.root_showing(f"Report {anonymous}")
    assert opens(anonymous_root) == [case_page(anonymous)]
    bot.clock.now += timedelta(days=1, hours=1)
    await bot.app[RUNTIME].scheduler.tick()
    await bot.settled()
    raised = await bot.note_showing(anonymous_root, "Nobody has picked up this report")
    assert opens(raised) == [case_page(anonymous)]

    # The consultation: its card and the answer form point to meldbot for the question.
    consultation = await bot.root_showing("Consultation · Anonymous colleague")
    assert "Read the question in meldbot." in text_of(card_of(consultation))
    opened = await bot.press(CHRIS, consultation, "consult.answer", in_channel=True)
    form = json.dumps(opened["value"])
    assert "Read the question in meldbot." in form and f"{PUBLIC_URL}/console/overleg/" in form
    await bot.fill(CHRIS, consultation, opened, {"answer": CONSULT_ANSWER}, in_channel=True)
    await bot.note_showing(consultation, "answered — read it in meldbot")
    await bot.settled()

    shown = bot.coordinator_side()
    assert len(shown) > 30
    assert sum('"Input.Text"' in item for item in shown) == 4  # the four coordinator forms
    assert texts_holding(shown, CONTENT) == []
    assert texts_holding(shown, bot.names()) == []
    assert texts_holding(shown, [PHOTO_TEXT]) == []
    assert bot.fake.images(COORDINATOR_CHANNEL.id) == []


async def test_with_full_the_channel_shows_the_content(
    tmp_path: Path,
    fake: FakeBotConnector,
    issuer: OpenIdIssuer,
    aiohttp_client: MakeClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    signed_outbound(monkeypatch)
    bot = await start(tmp_path, fake, issuer, aiohttp_client, channel_content="full")
    named = await named_report_with_a_photo(bot)
    root = await bot.root_showing(f"Report {named}")
    assert NAMED_STORY in text_of(card_of(root))
    assert ANNA.name in text_of(card_of(root))  # mentioned by name
    assert opens(root) == [case_page(named)]
    await bot.note_showing(root, NAMED_STORY)
    [(_, image)] = await until(lambda: bot.fake.images(COORDINATOR_CHANNEL.id), "the photo")
    assert image == PHOTO
    opened = await bot.press(CHRIS, root, "case.ask", in_channel=True)
    await bot.fill(CHRIS, root, opened, {"question": QUESTION}, in_channel=True)
    await bot.note_showing(root, QUESTION)
    await bot.say(ANNA, ANSWER, "your answer has been passed on")
    await bot.note_showing(root, ANSWER)
