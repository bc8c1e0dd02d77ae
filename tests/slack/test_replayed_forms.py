"""A signed form submission that comes again — Slack's replay, a second request at the
same moment, or the person sending it once more after an error they saw — is stored
once, and every answer is the first one's: the same case reference, never a new code."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import func, select

from bot.app import RUNTIME, Runtime, create_app
from bot.case.models import Case
from bot.conversations import ConversationStates
from bot.i18n import Translator
from dialogs.report import ReportDialog
from storage.models import CaseEventRow, CaseRow, ConsultationRow
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import (
    block_actions,
    dm_message,
    event_callback,
    slash_command,
    submitted_view_values,
    view_submission,
)
from tests.slack.support import COORDINATOR_CHANNEL, SlackSender, make_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
REFERENCE = re.compile(r"M-\d{4}-\d{4,}")
CODE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")
NARRATIVE = "Een bezoeker schreeuwde aan de balie dat hij me zou opwachten."


class Bot:
    def __init__(self, sender: SlackSender, fake: FakeSlack, runtime: Runtime) -> None:
        self.sender, self.fake, self.runtime = sender, fake, runtime

    async def modal(self, user: str, opens: Callable[[], Awaitable[object]]) -> dict[str, Any]:
        seen = len(self.fake.calls_to("views.open"))
        await opens()
        opened = await until(lambda: self.fake.calls_to("views.open")[seen:], "the modal opened")
        view: dict[str, Any] = opened[0].json_param("view")
        return view

    async def submit(self, body: str, timestamp: int | None = None) -> str:
        response = await self.sender.post(body, form=True, timestamp=timestamp)
        assert response.status == 200
        return await response.text()

    async def count(self, row: Any) -> int:
        async with self.runtime.database.engine.connect() as connection:
            return int(await connection.scalar(select(func.count()).select_from(row)) or 0)


@pytest.fixture
async def bot(
    database_url: str, tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> Bot:
    settings = make_settings(
        fake_slack, database_url=database_url, data_dir=tmp_path, seal_key=new_key()
    )
    app = await create_app(settings)
    return Bot(SlackSender(await aiohttp_client(app)), fake_slack, app[RUNTIME])


async def report_submission(bot: Bot, user: str = "UANNA", view_id: str = "VREPORT") -> str:
    view = await bot.modal(
        user, lambda: bot.sender.post(slash_command(user, channel="C0GENERAL"), form=True)
    )
    values = submitted_view_values(view, {"narrative": NARRATIVE})
    return view_submission(user, view["callback_id"], values, view_id=view_id)


def shown(answer: str) -> str:
    """Every text of a modal's answer, one per line."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(answer) if answer else {})
    return "\n".join(texts)


def references(answer: str) -> set[str]:
    return set(REFERENCE.findall(shown(answer)))


async def test_a_form_replayed_twenty_times_makes_one_case(bot: Bot) -> None:
    body = await report_submission(bot)
    signed_at = int(time.time())  # the very request, signature and all, twenty times
    answers = [await bot.submit(body, signed_at) for _ in range(20)]
    assert await bot.count(CaseRow) == 1
    [reference] = references(answers[0])
    assert all(references(answer) == {reference} for answer in answers)
    assert all("Your report has been received" in answer for answer in answers)
    await until(lambda: bot.fake.in_channel(COORDINATOR_CHANNEL), "the case card")
    await bot.fake.settle()
    assert len(bot.fake.in_channel(COORDINATOR_CHANNEL)) == 1
    assert len(bot.fake.in_channel("DUANNA")) == 1, "one receipt in the chat"


async def test_the_same_form_at_once_makes_one_case(bot: Bot) -> None:
    body = await report_submission(bot)
    answers = await asyncio.gather(*(bot.submit(body) for _ in range(8)))
    assert await bot.count(CaseRow) == 1
    [reference] = references(answers[0])
    assert all(references(answer) == {reference} for answer in answers)


async def test_two_forms_make_two_cases(bot: Bot) -> None:
    first = await bot.submit(await report_submission(bot, view_id="VONE"))
    second = await bot.submit(await report_submission(bot, view_id="VTWO"))
    assert await bot.count(CaseRow) == 2
    assert references(first) != references(second)


async def test_sent_again_after_an_error_it_is_received_once(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report was stored, but the answer failed: the person saw an error and sends
    the same form again. They hear it was received, with its reference; one case."""
    receipt = ReportDialog.receipt
    failed: list[int] = []

    async def fails_once(dialog: ReportDialog, case: Case, t: Translator) -> Any:
        if not failed:
            failed.append(case.id)
            raise RuntimeError("the answer was lost")
        return await receipt(dialog, case, t)

    monkeypatch.setattr(ReportDialog, "receipt", fails_once)
    body = await report_submission(bot)
    error = await bot.submit(body)
    assert "response_action" in error and "errors" in error  # the person saw an error
    assert await bot.count(CaseRow) == 1

    again = await bot.submit(body)
    assert await bot.count(CaseRow) == 1
    assert "Your report has been received" in again
    async with bot.runtime.database.transaction() as tx:
        case = await tx.cases.get(failed[0])
    assert case is not None and references(again) == {case.reference}


async def test_an_anonymous_report_again_shows_no_new_code(bot: Bot) -> None:
    view = await bot.modal(
        "USANNE",
        lambda: bot.sender.post(
            block_actions("USANNE", "report.anonymous", channel="DUSANNE", message_ts="1.1"),
            form=True,
        ),
    )
    values = submitted_view_values(view, {"narrative": NARRATIVE, "danger": "no"})
    body = view_submission("USANNE", view["callback_id"], values, view_id="VANON")
    first, again = await bot.submit(body), await bot.submit(body)
    assert await bot.count(CaseRow) == 1
    [code] = CODE.findall(shown(first))
    assert CODE.findall(shown(again)) == [], "a code is shown once; a new one would open nothing"
    assert references(again) == references(first) and len(references(first)) == 1
    assert "was received already" in again and code not in again


async def test_a_consultation_again_starts_nothing(bot: Bot) -> None:
    view = await bot.modal(
        "USANNE",
        lambda: bot.sender.post(
            block_actions("USANNE", "consult.start", channel="DUSANNE", message_ts="1.1"),
            form=True,
        ),
    )
    values = submitted_view_values(view, {"situation": "Is dit ernstig genoeg?", "notify": "no"})
    body = view_submission("USANNE", view["callback_id"], values, view_id="VCONSULT")
    first = await bot.submit(body)
    answers = await asyncio.gather(*(bot.submit(body) for _ in range(3)))
    assert await bot.count(ConsultationRow) == 1
    assert len(CODE.findall(shown(first))) == 1
    assert all(CODE.findall(shown(answer)) == [] for answer in answers)
    assert all("Your consultation was received already" in answer for answer in answers)


async def test_a_coordinators_question_again_is_asked_once(bot: Bot) -> None:
    await bot.submit(await report_submission(bot))
    card = (await until(lambda: bot.fake.in_channel(COORDINATOR_CHANNEL), "the card"))[0]
    case_id = next(
        str(element["value"])
        for block in card.blocks
        for element in block.get("elements", [])
        if element.get("action_id") == "case.ask"
    )
    ask = block_actions(
        "UCOORD1", "case.ask", case_id, channel=COORDINATOR_CHANNEL, message_ts=card.ts
    )
    view = await bot.modal("UCOORD1", lambda: bot.sender.post(ask, form=True))
    values = submitted_view_values(view, {"question": "Wie was er nog bij?"})
    metadata = view.get("private_metadata", "")
    body = view_submission("UCOORD1", view["callback_id"], values, metadata, view_id="VASK")
    await bot.submit(body)
    again = await bot.submit(body)
    assert "has been received" in again
    async with bot.runtime.database.engine.connect() as connection:
        kinds = list(await connection.scalars(select(CaseEventRow.kind)))
    assert kinds.count("question") == 1


async def test_a_draft_sent_again_after_an_error_is_one_report(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The report from a draft was stored, but meldbot failed before it marked the draft
    sent (as a kill -9 would): the person presses "send" on the same draft again."""
    put = ConversationStates.put
    failed: list[bool] = []

    async def fails_once(
        states: ConversationStates, kind: str, actor: Any, state: dict[str, Any], ttl: Any
    ) -> None:
        if "sent_as" in state and not failed:
            failed.append(True)
            raise RuntimeError("meldbot stopped here")
        await put(states, kind, actor, state, ttl)

    monkeypatch.setattr(ConversationStates, "put", fails_once)
    await bot.sender.post(event_callback(dm_message("UBOB", NARRATIVE), "EvDraft1"))
    [draft] = await until(lambda: bot.fake.in_channel("DUBOB"), "the draft")
    value = next(
        str(element.get("value", ""))
        for block in draft.blocks
        for element in block.get("elements", [])
        if element.get("action_id") == "report.send"
    )
    press = block_actions("UBOB", "report.send", value, channel="DUBOB", message_ts=draft.ts)
    await bot.submit(press)
    await until(lambda: failed, "the first press handled, up to the failure")
    assert await bot.count(CaseRow) == 1
    await bot.submit(press)
    receipts = await until(
        lambda: [p for p in bot.fake.in_channel("DUBOB") if REFERENCE.search(p.text)],
        "the receipt in Bob's chat",
    )
    await bot.fake.settle()
    assert await bot.count(CaseRow) == 1
    async with bot.runtime.database.engine.connect() as connection:
        [reference] = list(await connection.scalars(select(CaseRow.reference)))
    assert all(REFERENCE.findall(p.text) == [reference] for p in receipts)
