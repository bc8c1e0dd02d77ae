"""A form card's own words in Teams ("Cancel", "Please fill this in.", "Sent") follow the
form's language, the person's, not the organisation's.

Every form the dialogs build, in English and in Dutch, rendered as the Teams adapter
renders it: no word of the other language anywhere in the card, and the card valid.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.teams.replies import REQUIRED, form_card
from bot.app import create_app
from bot.i18n import Translator
from storage.sealing import new_key
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_payloads import TeamsBot, TeamsPayloads
from tests.teams.card_schema import assert_valid
from tests.teams.support import (
    COORDINATION,
    MIA,
    TeamsSender,
    action,
    card_of,
    make_settings,
    text_of,
)
from tests.waiting import until
from tests.web.dialog_forms import dialog_forms
from tests.web.language import foreign_words

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
# What Teams shows or reads out of a card: texts, labels, titles, placeholders, messages.
SPOKEN = {"text", "label", "title", "placeholder", "errorMessage", "fallbackText", "altText"}


def spoken(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in SPOKEN and isinstance(value, str):
                yield value
            else:
                yield from spoken(value)
    elif isinstance(node, list):
        for item in node:
            yield from spoken(item)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_dialog_form_card_speaks_the_forms_language(language: str) -> None:
    t = Translator(language)
    for name, form in dialog_forms(t, "teams").items():
        card = form_card(form)
        assert_valid(card)
        texts = list(spoken(card))
        assert foreign_words(" ".join(texts), language) == [], name
        required = any(not field.optional for field in form.fields)
        assert (t(REQUIRED) in texts) == required, name


async def test_a_person_who_chose_english_gets_english_forms_in_a_dutch_organisation(
    tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    async with FakeBotConnector(bot=TeamsBot()) as fake:
        settings = make_settings(
            fake,
            language="nl",
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
            data_dir=tmp_path,
            seal_key=new_key(),
        )
        sender = TeamsSender(await aiohttp_client(await create_app(settings)))
        teams = TeamsPayloads(fake.url)
        chat = teams.personal(MIA)["id"]

        async def press(card: dict[str, Any], action_id: str, message_id: str) -> Any:
            button = action(card, "button", action_id)
            invoke = teams.card_action_invoke(
                button["data"], button["verb"], message_id, user=MIA, team=COORDINATION
            )
            response = await sender.post(invoke)
            assert response.status == 200
            return (await response.json())["value"]

        assert (await sender.post(teams.personal_message("menu", user=MIA))).status in (200, 202)
        [dutch] = await until(lambda: fake.activities(chat), "the menu, in Dutch")
        await press(card_of(dutch), "menu.language", dutch["id"])
        english = (await until(lambda: fake.activities(chat)[1:], "the menu in English"))[-1]
        assert "Make a report" in text_of(card_of(english))

        form = await press(card_of(english), "report.start", english["id"])
        texts = list(spoken(form))
        assert "Please fill this in." in texts  # Teams' message for the empty story
        assert foreign_words(" ".join(texts), "en") == []
