"""Every anonymous route in the chat offers the reporting page, where no platform keeps
anything: on the menu and the home, and in the anonymous report's and consultation's forms,
right under the honest note on what the chat keeps. Not when the page is off."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.events import Actor, HomeOpened
from bot.ui import Actions, Block, LinkButton, Message, Note
from tests.core.conftest import SANNE, MakeBot
from tests.text import links

PUBLIC_URL = "https://meldbot.gemeente-voorbeeld.nl"
WORDS = {
    "nl": {
        "label": "Echt anoniem? Gebruik de meldpagina",
        "honest": "meldbot slaat niet op wie je bent.",
        "page": "Op de meldpagina log je niet in",
        "menu": "Agressie, geweld of een signaal melden",
    },
    "en": {
        "label": "Truly anonymous? Use the reporting page",
        "honest": "meldbot does not store who you are.",
        "page": "On the reporting page you do not sign in",
        "menu": "Report aggression, violence or a signal",
    },
}


def page_links(blocks: Sequence[Block]) -> list[LinkButton]:
    return [
        button
        for block in blocks
        if isinstance(block, Actions)
        for button in block.buttons
        if isinstance(button, LinkButton)
    ]


def position(blocks: Sequence[Block], words: str) -> int:
    """Where the note starting with ``words`` stands among ``blocks``."""
    [found] = [i for i, b in enumerate(blocks) if isinstance(b, Note) and words in b.text]
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
async def test_the_menu_and_the_home_offer_the_page_next_to_the_anonymous_routes(
    make_bot: MakeBot, language: str
) -> None:
    bot = await make_bot(public_url=PUBLIC_URL, language=language)
    words = WORDS[language]
    home = (await bot.runtime.dialogs.handle(HomeOpened(SANNE))).home
    [menu] = (await bot.say(SANNE, "hoi")).messages
    for shown in (home, menu):
        assert isinstance(shown, Message) and shown.summary == words["menu"]
        assert links(shown) == {words["label"]: f"{PUBLIC_URL}/melden"}
        [row] = [b for b in shown.blocks if isinstance(b, Actions) and page_links([b])]
        ids = [getattr(button, "action_id", "link") for button in row.buttons]
        assert ids == ["report.start", "consult.start", "report.anonymous", "link"]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize(
    ("action", "path"), [("consult.start", "/overleggen"), ("report.anonymous", "/anoniem")]
)
async def test_the_anonymous_forms_offer_the_page_under_the_honest_note(
    make_bot: MakeBot, language: str, action: str, path: str
) -> None:
    bot = await make_bot(public_url=PUBLIC_URL, language=language)
    words = WORDS[language]
    form = (await bot.press(SANNE, action)).form
    assert form is not None
    intro = list(form.intro)
    [button] = page_links(intro)
    assert (button.label, button.url) == (words["label"], f"{PUBLIC_URL}/melden{path}")
    honest, page = position(intro, words["honest"]), position(intro, words["page"])
    assert intro.index(next(b for b in intro if isinstance(b, Actions))) == page + 1
    assert honest + 1 == page, "the page is offered right under what the chat keeps"


async def test_with_the_page_off_nothing_points_to_it(make_bot: MakeBot) -> None:
    bot = await make_bot(public_url=PUBLIC_URL, staff_page=False)
    home = (await bot.runtime.dialogs.handle(HomeOpened(SANNE))).home
    assert home is not None and links(home) == {}
    assert "report.anonymous" in str(home.blocks), "the chat's own anonymous routes stay"
    for action in ("consult.start", "report.anonymous"):
        form = (await bot.press(SANNE, action)).form
        assert form is not None and page_links(form.intro) == []
        assert "meldpagina" not in str(form.intro)


async def test_a_visitor_already_on_the_page_is_not_sent_to_it_again(make_bot: MakeBot) -> None:
    """The page's anonymous visitor gets the same forms, without a link to where they are;
    a signed-in person on the page or in the web chat is still offered the anonymous page."""
    bot = await make_bot(public_url=PUBLIC_URL)
    visitor = Actor("web", "anon-3f9c2a7d", "")
    for action in ("consult.start", "report.anonymous"):
        form = (await bot.press(visitor, action)).form
        assert form is not None and page_links(form.intro) == []
        signed_in = (await bot.press(SANNE, action)).form
        assert signed_in is not None and len(page_links(signed_in.intro)) == 1
