"""On Teams: the menu and both anonymous forms offer the reporting page as an
``Action.OpenUrl`` to the configured address; with the page off, none of them does. Signed
as Teams signs, through the real adapter and composition root, the fake Bot Connector at
the edge, meldbot in Dutch."""

from __future__ import annotations

from typing import Any

import pytest

from tests.teams.conftest import MakeBot
from tests.teams.support import BRAM, card_of, text_of

PUBLIC_URL = "https://meldbot.gemeente-voorbeeld.nl"
LABEL = "Echt anoniem? Gebruik de meldpagina"


def links(node: Any) -> dict[str, str]:
    """title → url of every ``Action.OpenUrl`` in a card."""
    found: dict[str, str] = {}
    if isinstance(node, dict):
        if node.get("type") == "Action.OpenUrl":
            found[str(node["title"])] = str(node["url"])
        for value in node.values():
            found |= links(value)
    elif isinstance(node, list):
        for value in node:
            found |= links(value)
    return found


@pytest.mark.parametrize("page_on", [True, False], ids=["page on", "page off"])
async def test_every_anonymous_route_on_teams_links_to_the_reporting_page(
    make_bot: MakeBot, page_on: bool
) -> None:
    bot = await make_bot(public_url=PUBLIC_URL, staff_page=page_on)
    menu = await bot.say(BRAM, "hoi", "Anoniem melden")
    consult = (await bot.press(BRAM, menu, "consult.start"))["value"]
    report = (await bot.press(BRAM, menu, "report.anonymous"))["value"]

    shown = {
        "menu": links(card_of(menu)),
        "consultation": links(consult),
        "anonymous report": links(report),
    }
    if not page_on:
        assert all(found == {} for found in shown.values()), shown
        assert "meldpagina" not in text_of(consult) + text_of(report)
        return
    assert shown == {
        "menu": {LABEL: f"{PUBLIC_URL}/melden"},
        "consultation": {LABEL: f"{PUBLIC_URL}/melden/overleggen"},
        "anonymous report": {LABEL: f"{PUBLIC_URL}/melden/anoniem"},
    }
    for form in (consult, report):
        assert "Wat je daar schrijft, gaat niet via Teams." in text_of(form)
