"""Over Slack: the anonymous routes on the Home, in the menu and in both anonymous modals
offer the reporting page as a link button to the configured address; with the page off,
none of them does. The real slack-bolt stack and composition root, the fake Slack Web API
at the edge, meldbot in Dutch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import block_actions, event_callback
from tests.slack.anonymity_support import text_of
from tests.slack.intake_support import MakeClient, start_meldbot

PUBLIC_URL = "https://meldbot.gemeente-voorbeeld.nl"
LABEL = "Echt anoniem? Gebruik de meldpagina"
STAFF = "UANNA"


def links(blocks: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """label → url of every link button in these blocks."""
    return {
        str(element["text"]["text"]): str(element["url"])
        for block in blocks
        for element in block.get("elements", [])
        if element.get("type") == "button" and "url" in element
    }


@pytest.mark.parametrize("page_on", [True, False], ids=["page on", "page off"])
async def test_every_anonymous_route_on_slack_links_to_the_reporting_page(
    database_url: str,
    tmp_path: Path,
    fake_slack: FakeSlack,
    aiohttp_client: MakeClient,
    page_on: bool,
) -> None:
    bot = await start_meldbot(
        fake_slack,
        aiohttp_client,
        database_url,
        tmp_path,
        public_url=PUBLIC_URL,
        staff_page=page_on,
    )
    home = {"type": "app_home_opened", "user": STAFF, "channel": "D" + STAFF, "tab": "home"}
    await bot.sender.post(event_callback(home | {"event_ts": "1700000100.1"}, "EvHome1"))
    await fake_slack.wait_for("views.publish")
    menu = await bot.say(STAFF, "hoi")
    await bot.press(STAFF, menu, "consult.start")
    consult, consult_id = await bot.opened_form()
    await bot.press(STAFF, menu, "report.anonymous")
    report, _report_id = await bot.opened_form()

    shown = {
        "home": links(fake_slack.homes[STAFF]["blocks"]),
        "menu": links(menu.blocks),
        "consultation": links(consult["blocks"]),
        "anonymous report": links(report["blocks"]),
    }
    if not page_on:
        assert all(found == {} for found in shown.values()), shown
        assert "meldpagina" not in text_of(consult["blocks"]) + text_of(report["blocks"])
        return
    assert shown == {
        "home": {LABEL: f"{PUBLIC_URL}/melden"},
        "menu": {LABEL: f"{PUBLIC_URL}/melden"},
        "consultation": {LABEL: f"{PUBLIC_URL}/melden/overleggen"},
        "anonymous report": {LABEL: f"{PUBLIC_URL}/melden/anoniem"},
    }
    for view in (consult, report):
        assert "Wat je daar schrijft, gaat niet via Slack." in text_of(view["blocks"])

    # Slack tells meldbot of the press on a link; meldbot does nothing with it.
    calls, in_dm = len(fake_slack.calls), len(bot.dm(STAFF))
    modal = {"id": consult_id, "type": "modal", "callback_id": consult["callback_id"]}
    pressed = await bot.sender.post(block_actions(STAFF, "meldbot.link", view=modal), form=True)
    assert pressed.status == 200
    await bot.settle()
    assert fake_slack.calls[calls:] == [] and len(bot.dm(STAFF)) == in_dm
