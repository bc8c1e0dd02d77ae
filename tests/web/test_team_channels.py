"""The web chat's team channels: joining is news for the core, channels are for members,
and a chart uploaded to a channel is served as the PNG it was checked to be."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.web import WebChatAdapter
from bot.events import Actor, Address, MembersJoined
from bot.ports import DeliveryError
from bot.schedule.config import OnboardingChannel, Reminder
from bot.settings import Settings
from bot.ui import Actions, Button, Message
from tests.web.stub import StubCore

Client = TestClient[web.Request, web.Application]
MakeClient = Callable[[web.Application], Awaitable[Client]]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64  # the signature is what is checked
ALT = 'Meldingen per maand: 3, 7 en <5 "andere"'


@pytest.fixture
def settings() -> Settings:
    return Settings(
        web_coordinators=["fatima"],
        language="nl",
        onboarding=[OnboardingChannel(platform="web", channel="balie")],
        reminders=[Reminder(platform="web", channel="wijkteam", schedule="0 9 * * 1")],
    )


@pytest.fixture
async def client(app: web.Application, aiohttp_client: MakeClient) -> Client:
    return await aiohttp_client(app)


async def post(client: Client, path: str, body: object) -> tuple[int, dict[str, Any]]:
    headers = {"Origin": f"http://{client.host}:{client.port}"}
    response = await client.post(f"/web/api/{path}", json=body, headers=headers)
    return response.status, await response.json()


def joins(core: StubCore) -> list[MembersJoined]:
    return [event for event in core.events if isinstance(event, MembersJoined)]


async def test_the_page_offers_the_configured_channels(client: Client) -> None:
    html = await (await client.get("/")).text()
    assert '<option value="team">Teamkanaal (iedereen)</option>' in html
    assert '<option value="balie">#balie</option>' in html
    assert '<option value="wijkteam">#wijkteam</option>' in html
    assert "coordinators</option>" not in html


async def test_joining_is_news_for_the_core_once_per_membership(
    client: Client, core: StubCore
) -> None:
    assert await post(client, "join", {"persona": "sanne", "channel": "balie"}) == (
        200,
        {"ok": True, "joined": True},
    )
    [event] = joins(core)
    sanne = Actor("web", "sanne", "Sanne de Vries")
    assert event == MembersJoined(sanne, Address("web", "balie"), (sanne,), team="balie")

    # already in: no news; left and back: news again (the core decides about welcomes)
    assert (await post(client, "join", {"persona": "sanne", "channel": "balie"}))[1] == {
        "ok": True,
        "joined": False,
    }
    assert (await post(client, "leave", {"persona": "sanne", "channel": "balie"}))[1] == {
        "ok": True,
        "left": True,
    }
    await post(client, "join", {"persona": "sanne", "channel": "balie"})
    assert len(joins(core)) == 2

    # everyone is in the open channel; unknown channels and personas are refused
    assert (await post(client, "join", {"persona": "sanne", "channel": "team"}))[1][
        "joined"
    ] is False
    status, body = await post(client, "join", {"persona": "sanne", "channel": "coordinators"})
    assert status == 404 and "Vernieuw de pagina" in body["error"]
    status, _ = await post(client, "join", {"persona": "mallory", "channel": "balie"})
    assert status == 400
    assert len(joins(core)) == 2


async def test_only_members_talk_in_a_channel_or_press_its_buttons(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    say = {"pane": "team", "persona": "ahmed", "text": "Hallo balie", "channel": "balie"}
    status, body = await post(client, "message", say)
    assert status == 403 and "geen lid" in body["error"]

    reminder = Message("Weet je hoe je meldt?", [Actions([Button("Melden", "report.start")])])
    ref = await adapter.messenger.send(Address("web", "balie"), reminder)
    press = {
        "pane": "team",
        "persona": "ahmed",
        "message": ref.message_id,
        "action": "report.start",
        "value": "",
    }
    assert (await post(client, "action", press))[0] == 409
    assert core.events == []

    await post(client, "join", {"persona": "ahmed", "channel": "balie"})
    assert (await post(client, "message", say))[0] == 200
    assert (await post(client, "action", press))[0] == 200
    pressed = core.events[-1]
    assert pressed.address == Address("web", "balie", thread=ref.message_id)  # type: ignore[union-attr]
    said = [e for e in adapter.conversations if e.conversation == "balie"]
    assert [e.message.summary for e in said] == [
        "Weet je hoe je meldt?",
        "Hallo balie",
        "Knop report.start",
    ]


async def test_a_chart_is_stored_served_and_shown_with_its_alt_text(
    client: Client, adapter: WebChatAdapter
) -> None:
    ref = await adapter.messenger.upload(
        Address("web", "wijkteam"), "trend.png", PNG, title="Trends <november>", alt_text=ALT
    )
    entry = adapter.conversations.get(ref.message_id)
    assert entry is not None and entry.file is not None and entry.conversation == "wijkteam"

    stream = await client.get("/web/api/stream")
    await stream.content.readuntil(b"\n\n")  # retry: …
    event = (await stream.content.readuntil(b"\n\n")).decode()
    stream.close()
    [html] = [m["html"] for m in json.loads(event.split("data: ", 1)[1])["messages"]]
    assert f'<img src="/web/files/{entry.file.key}"' in html
    assert 'alt="Meldingen per maand: 3, 7 en &lt;5 &quot;andere&quot;"' in html
    assert "Trends &lt;november&gt;" in html

    served = await client.get(f"/web/files/{entry.file.key}")
    assert served.status == 200 and served.content_type == "image/png"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert await served.read() == PNG
    assert (await client.get("/web/files/elsewhere")).status == 404

    # in a thread too, and only what a browser shows safely (no SVG, no HEIC)
    thread = await adapter.messenger.upload(
        ref.thread(), "detail.png", PNG, title="Detail", alt_text="Detail"
    )
    assert adapter.conversations.get(thread.message_id).thread == ref.message_id  # type: ignore[union-attr]
    heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + PNG
    for wrong in (b"<svg onload=alert(1)>", b"MZ\x90\x00" + PNG, heic):
        with pytest.raises(DeliveryError) as refused:
            await adapter.messenger.upload(
                Address("web", "wijkteam"), "x.png", wrong, title="x", alt_text="x"
            )
        assert refused.value.permanent
    with pytest.raises(DeliveryError):
        await adapter.messenger.upload(
            Address("web", "kantine"), "x.png", PNG, title="x", alt_text="x"
        )
