"""The staff page beside Slack: the web chat's conversations and messenger exist (for the
page), the demo's page does not, and a report made on the web goes to the coordinators in
Slack, while its receipt stays in the person's own web chat."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from bot.case.models import Reporter
from bot.events import ActionInvoked, Actor, Address, FormSubmitted
from storage.sealing import new_key
from tests.fakes.slack_api import FakeSlack
from tests.privacy import tables_holding
from tests.slack.support import COORDINATOR_CHANNEL, make_settings

MakeClient = Callable[[web.Application], Awaitable[TestClient]]
PERSON = "u0page4staff"
STORY = "Een bezoeker duwde mij tegen de deur van de spreekkamer."


async def test_a_report_from_the_web_is_coordinated_in_slack(
    fake_slack: FakeSlack, tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    settings = make_settings(
        fake_slack,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
    )
    assert settings.staff_page and not settings.web_chat_enabled
    app = await create_app(settings)
    client = await aiohttp_client(app)
    runtime = app[RUNTIME]
    assert set(runtime.messengers) == {"slack", "web"}
    assert (await client.get("/", headers={"Host": "127.0.0.1"})).status == 404, "no demo"
    web_chat = runtime.messengers["web"]
    assert not await web_chat.is_coordinator("coordinator"), "no demo coordinators"

    actor = Actor("web", PERSON, "Sanne")
    dm = Address("web", f"dm:{PERSON}", personal=True)
    opened = await runtime.dialogs.handle(ActionInvoked(actor, dm, "report.start"))
    assert opened.form is not None
    values = {"narrative": STORY, "feedback": "yes"}
    done = await runtime.dialogs.handle(
        FormSubmitted(actor, opened.form.form_id, values, opened.form.state)
    )
    assert not done.errors
    await runtime.outbox.settle()

    [case] = await runtime.cases.cases_of(Reporter("web", PERSON))
    assert case.coordination_platform == "slack"
    [alert] = fake_slack.in_channel(COORDINATOR_CHANNEL)
    assert case.reference in str(alert.blocks) + alert.text
    found = await tables_holding(runtime.database.engine, runtime.database._sealer, [PERSON])
    assert "web_entries.conversation_sealed" in found, "the receipt, in their web chat"
