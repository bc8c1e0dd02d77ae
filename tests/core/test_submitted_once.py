"""Every form that changes something is processed once per submission key: the reporter's
addition, a coordinator's status form, the answer to a consultation. The same form again
changes nothing and says it was received."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from sqlalchemy import select

from bot.case.models import Reporter
from bot.events import Actor, FormSubmitted
from bot.ui import Response
from storage.models import CaseEventRow
from tests.core.conftest import JAN, SANNE, Harness
from tests.text import text_of

RECEIVED = "Dit formulier was al verstuurd en is ontvangen. Er is niets dubbel opgeslagen."


async def _send(
    bot: Harness, actor: Actor, form: str, values: Mapping[str, str], state: str, key: str
) -> Response:
    return await bot.runtime.dialogs.handle(FormSubmitted(actor, form, values, state, key))


async def _kinds(bot: Harness) -> list[str]:
    async with bot.runtime.database.engine.connect() as connection:
        return list(await connection.scalars(select(CaseEventRow.kind)))


async def _case(bot: Harness) -> int:
    await _send(bot, SANNE, "report", {"narrative": "Klant dreigde met geweld."}, "", "k:report")
    [case] = await bot.runtime.cases.cases_of(Reporter("web", SANNE.user_id))
    return case.id


async def test_an_addition_sent_twice_is_added_once(bot: Harness) -> None:
    case_id = await _case(bot)
    values = {"text": "Hij had een blauwe jas aan."}
    first = await _send(bot, SANNE, "case.addition", values, str(case_id), "k:addition")
    again = await _send(bot, SANNE, "case.addition", values, str(case_id), "k:addition")
    assert (await _kinds(bot)).count("addition") == 1
    assert RECEIVED not in repr(first)
    assert again.result is not None and text_of(again.result) == RECEIVED
    other = await _send(bot, SANNE, "case.addition", values, str(case_id), "k:other")
    assert (await _kinds(bot)).count("addition") == 2, "another submission is another addition"
    assert other.result is None or text_of(other.result) != RECEIVED


async def test_a_status_form_sent_at_once_twice_changes_the_case_once(bot: Harness) -> None:
    case_id = await _case(bot)
    await bot.press(JAN, "case.claim", str(case_id))
    values = {"status": "in_progress", "message": "We bellen je vandaag."}
    answers = await asyncio.gather(
        *(_send(bot, JAN, "case.status", values, str(case_id), "k:status") for _ in range(2))
    )
    assert (await _kinds(bot)).count("status") == 1
    assert [text_of(a.result) for a in answers if a.result is not None] == [RECEIVED]
    await bot.settle()
    told = [
        s for s in bot.platform.dms(SANNE.user_id) if "We bellen je vandaag." in text_of(s.message)
    ]
    assert len(told) == 1, "the reporter hears it once"
