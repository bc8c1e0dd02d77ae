"""The web chat over HTTP: requests become neutral events, Responses land in the panes."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient

from adapters.web import WebChatAdapter
from bot.events import (
    ActionInvoked,
    Actor,
    Address,
    Event,
    FormSubmitted,
    HomeOpened,
    MessageReceived,
    MessageRef,
)
from bot.settings import ConfigError, Settings
from bot.text import NARRATIVE_MAX
from bot.ui import Actions, Button, Message
from tests.web.stub import StubCore

Client = TestClient[web.Request, web.Application]
MakeClient = Callable[[web.Application], Awaitable[Client]]
SANNE = Actor("web", "sanne", "Sanne de Vries")


@pytest.fixture
async def client(app: web.Application, aiohttp_client: MakeClient) -> Client:
    return await aiohttp_client(app)


def last(core: StubCore) -> Event:
    return core.events[-1]


def origin(client: Client) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


async def post(client: Client, path: str, body: object) -> tuple[int, dict[str, Any]]:
    response = await client.post(f"/web/api/{path}", json=body, headers=origin(client))
    return response.status, await response.json()


def summaries(adapter: WebChatAdapter, conversation: str) -> list[str]:
    return [e.message.summary for e in adapter.conversations if e.conversation == conversation]


async def test_page_is_served_with_a_strict_policy(client: Client) -> None:
    response = await client.get("/")
    assert response.status == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = await response.text()
    assert '<html lang="nl">' in html
    assert "Sanne de Vries (medewerker)" in html
    assert "Fatima (coördinator)" in html and ">Coördinator</option>" in html
    assert "Piet (geen coördinator)" in html
    assert "<script>" not in html and " onclick" not in html
    for asset, kind in (("app.js", "text/javascript"), ("style.css", "text/css")):
        served = await client.get(f"/web/static/{asset}")
        assert served.status == 200 and served.content_type == kind
    assert (await client.get("/web/static/index.html")).status == 404
    assert (await client.get("/web/static/..%2Fapp.py")).status == 404


async def test_english_chrome(core: StubCore, aiohttp_client: MakeClient) -> None:
    app = web.Application()
    WebChatAdapter(Settings(language="en"), core).mount(app)
    client = await aiohttp_client(app)
    html = await (await client.get("/")).text()
    assert '<html lang="en">' in html and "Coordinator channel" in html


async def test_text_in_the_personal_chat(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    status, body = await post(
        client, "message", {"pane": "chat", "persona": "sanne", "text": "Hij schreeuwde <b>"}
    )
    assert (status, body) == (200, {"ok": True})
    assert core.events == [
        MessageReceived(SANNE, Address("web", "dm:sanne", personal=True), "Hij schreeuwde <b>")
    ]
    assert summaries(adapter, "dm:sanne") == ["Hij schreeuwde <b>", "Ontvangen: Hij schreeuwde <b>"]
    mine = next(iter(adapter.conversations))
    assert mine.author_kind == "person" and mine.author_name == "Sanne de Vries"


async def test_home_buttons_open_a_form_and_the_form_submits(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    assert await post(client, "home", {"persona": "ahmed"}) == (200, {"ok": True})
    ahmed = Actor("web", "ahmed", "Ahmed Yilmaz")
    assert core.events == [HomeOpened(ahmed)]
    assert adapter.conversations.home("ahmed") is not None

    status, body = await post(
        client,
        "action",
        {"pane": "chat", "persona": "ahmed", "message": None, "action": "report", "value": ""},
    )
    assert status == 200 and set(body) == {"ok", "form"}
    assert last(core) == ActionInvoked(
        ahmed, Address("web", "dm:ahmed", personal=True), "report", "", None
    )
    token, html = body["form"]["token"], body["form"]["html"]
    assert "Wat is er gebeurd?" in html and "Fatima Bakker" in html

    # the adapter checks what it can (required fields) before the core sees anything
    status, body = await post(client, "form", {"token": token, "values": {"description": ""}})
    assert status == 422 and "Vul dit veld in." in body["form"]["html"]
    assert not [event for event in core.events if isinstance(event, FormSubmitted)]
    # the core's own errors keep the form open too, with the answers kept
    answers = {"description": "een fout <x>", "category": "threat"}
    status, body = await post(client, "form", {"token": token, "values": answers})
    assert status == 422 and "Beschrijf het iets anders" in body["form"]["html"]
    assert "een fout &lt;x&gt;</textarea>" in body["form"]["html"]

    answers = {"description": "Hij dreigde", "category": "threat", "location": ""}
    status, body = await post(client, "form", {"token": token, "values": answers})
    assert (status, body) == (200, {"ok": True, "closeForm": True})
    assert last(core) == FormSubmitted(
        ahmed,
        "report",
        {"description": "Hij dreigde", "category": "threat", "location": None},
        "draft-1",
        f"web:{token}:report",  # the opened form: the same when it is sent again
    )
    assert summaries(adapter, "dm:ahmed") == ["Je melding M-2026-0001 is ontvangen."]
    assert summaries(adapter, "coordinators") == ["Melding M-2026-0001: Nieuw"]
    # a form is submitted once
    status, body = await post(client, "form", {"token": token, "values": answers})
    assert status == 410 and "verlopen" in body["error"]


async def report(client: Client, adapter: WebChatAdapter, persona: str = "sanne") -> str:
    """A report through the home button and its form; returns the case's root message id."""
    await post(client, "home", {"persona": persona})
    press = {"pane": "chat", "persona": persona, "message": None, "action": "report", "value": ""}
    _, body = await post(client, "action", press)
    answers = {"description": "Hij sloeg", "category": "threat"}
    await post(client, "form", {"token": body["form"]["token"], "values": answers})
    return next(e.id for e in adapter.conversations if e.conversation == "coordinators")


async def test_buttons_in_the_coordinator_channel(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    root = await report(client, adapter)
    claim = {"pane": "coordinators", "message": root, "action": "claim", "value": "M-2026-0001"}

    status, body = await post(client, "action", {**claim, "persona": "piet"})
    assert (status, body) == (200, {"ok": True})
    piet = Actor("web", "piet", "Piet")
    thread = Address("web", "coordinators", thread=root)
    assert last(core) == ActionInvoked(
        piet, thread, "claim", "M-2026-0001", MessageRef("web", "coordinators", root)
    )
    refusal = [e for e in adapter.conversations if e.visible_to]
    assert len(refusal) == 1 and refusal[0].visible_to == "piet" and refusal[0].thread == root
    assert "Alleen coördinatoren" in refusal[0].message.summary

    status, body = await post(client, "action", {**claim, "persona": "fatima"})
    assert (status, body) == (200, {"ok": True})
    card = adapter.conversations.get(root)
    assert card is not None and card.edited and "In behandeling bij Fatima" in card.message.summary
    assert [e.message.summary for e in adapter.conversations.replies(root) if not e.visible_to] == [
        "Opgepakt door Fatima"
    ]
    assert summaries(adapter, "dm:sanne")[-1].startswith("Fatima heeft je melding M-2026-0001")

    # the button is gone from the card now: a second press is stale, not a second claim
    status, body = await post(client, "action", {**claim, "persona": "fatima"})
    assert status == 409 and "bijgewerkt" in body["error"]


async def test_who_may_act_where(client: Client, adapter: WebChatAdapter) -> None:
    root = await report(client, adapter)
    claim = {"message": root, "action": "claim", "value": "M-2026-0001"}
    # a staff persona does not sit in the coordinator pane; nobody presses buttons in
    # someone else's personal chat; a forged button is not pressed
    assert (await post(client, "action", {**claim, "pane": "coordinators", "persona": "sanne"}))[
        0
    ] == 400
    assert (await post(client, "action", {**claim, "pane": "chat", "persona": "sanne"}))[0] == 409
    forged = {**claim, "value": "M-2026-9999", "pane": "coordinators", "persona": "fatima"}
    assert (await post(client, "action", forged))[0] == 409
    reply = {"pane": "coordinators", "persona": "fatima", "text": "Ik bel haar", "thread": root}
    assert await post(client, "message", reply) == (200, {"ok": True})
    assert [e.message.summary for e in adapter.conversations.replies(root)][-1] == "Ik bel haar"
    bad_thread = {**reply, "thread": "nope"}
    assert (await post(client, "message", bad_thread))[0] == 409


async def test_the_confidant_acts_in_their_own_chat_and_never_in_a_channel(
    core: StubCore, aiohttp_client: MakeClient
) -> None:
    """Reports to the vertrouwenspersoon arrive in their personal chat: they are a persona
    there (not in the coordinator pane); a web chat channel, open to all, is refused."""
    people = {"name": "Els Bakker", "web": {"people": ["els", "ruud"]}}
    settings = Settings(web_coordinators=["fatima"], language="nl", confidant=people)
    web_chat = WebChatAdapter(settings, core)
    app = web.Application()
    web_chat.mount(app)
    client = await aiohttp_client(app)
    page = await (await client.get("/")).text()
    els = '<optgroup label="Vertrouwenspersoon"><option value="els">Els Bakker (vertrouwenspersoon)'
    assert els in page
    assert '<option value="ruud">Ruud (vertrouwenspersoon)</option>' in page
    said = {"pane": "chat", "persona": "els", "text": "Ik heb het gelezen."}
    assert await post(client, "message", said) == (200, {"ok": True})
    claim = {"pane": "coordinators", "persona": "els", "text": "Hallo"}
    assert (await post(client, "message", claim))[0] == 400

    channel = {"name": "Els Bakker", "web": {"channel": "vertrouwen", "people": ["els"]}}
    with pytest.raises(ConfigError, match="no private channels"):
        WebChatAdapter(Settings(language="nl", confidant=channel), core)


async def test_a_form_replaces_the_message_or_home_whose_button_opened_it(
    client: Client, adapter: WebChatAdapter
) -> None:
    rename = Message("Kies", (Actions((Button("Wijzig", "rename"),)),))
    ref = await adapter.messenger.send(await adapter.messenger.personal_address("sanne"), rename)
    await adapter.conversations.set_home("sanne", rename)
    for message in (ref.message_id, None):
        press = {"pane": "chat", "persona": "sanne", "message": message, "action": "rename"}
        status, body = await post(client, "action", {**press, "value": ""})
        assert status == 200
        status, body = await post(
            client, "form", {"token": body["form"]["token"], "values": {"name": "Zaal 2"}}
        )
        assert (status, body) == (200, {"ok": True, "closeForm": True})
    replaced = adapter.conversations.get(ref.message_id)
    assert replaced is not None and replaced.message == Message("Hernoemd: Zaal 2")
    assert adapter.conversations.home("sanne") == Message("Hernoemd: Zaal 2")
    # private answers in a personal chat are simply messages there
    assert summaries(adapter, "dm:sanne") == ["Hernoemd: Zaal 2", "Gelukt", "Gelukt"]
    assert all(e.visible_to is None for e in adapter.conversations)


async def test_cross_origin_requests_are_refused(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    body = {"pane": "chat", "persona": "sanne", "text": "hallo"}
    for headers in (
        {},
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": f"http://localhost:{client.port}"},  # a different origin than the page's
    ):
        response = await client.post("/web/api/message", json=body, headers=headers)
        assert response.status == 403, headers
        assert "Geweigerd" in (await response.json())["error"]
    # DNS rebinding: a foreign name that resolves here, with a matching Origin
    rebound = {
        "Host": f"evil.example:{client.port}",
        "Origin": f"http://evil.example:{client.port}",
    }
    assert (await client.post("/web/api/message", json=body, headers=rebound)).status == 403
    assert (await client.get("/", headers={"Host": "evil.example"})).status == 403
    assert (await client.get("/web/api/stream", headers={"Host": "evil.example"})).status == 403
    assert core.events == [] and list(adapter.conversations) == []


async def test_oversized_and_malformed_input_is_refused_with_a_message(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    too_long = "a" * (NARRATIVE_MAX + 1)
    status, body = await post(
        client, "message", {"pane": "chat", "persona": "sanne", "text": too_long}
    )
    assert status == 400
    assert "te lang" in body["error"] and "niets verloren" in body["error"]
    channel = {"pane": "team", "persona": "sanne", "text": "b" * 3001}
    assert (await post(client, "message", channel))[0] == 400
    huge = {"pane": "chat", "persona": "sanne", "text": "c" * 70_000}
    status, body = await post(client, "message", huge)
    assert status == 413 and "te veel tekst" in body["error"]

    for raw, kind in (
        ("{not json", "application/json"),
        ("[1]", "application/json"),
        ('{"pane": "chat"}', "application/json"),
        ("x", "text/plain"),
    ):
        response = await client.post(
            "/web/api/message", data=raw, headers={**origin(client), "Content-Type": kind}
        )
        assert response.status == 400, raw
        assert "niet lezen" in (await response.json())["error"]
    status, body = await post(client, "message", {"pane": "chat", "persona": "sanne", "text": "  "})
    assert status == 400 and body["error"] == "Je bericht is leeg."
    status, body = await post(
        client, "message", {"pane": "chat", "persona": "mallory", "text": "x"}
    )
    assert status == 400
    assert core.events == [] and list(adapter.conversations) == []


async def test_a_failing_core_loses_nothing(
    client: Client, adapter: WebChatAdapter, core: StubCore
) -> None:
    status, body = await post(
        client, "message", {"pane": "chat", "persona": "sanne", "text": "boom"}
    )
    assert status == 500 and "niets verloren" in body["error"]
    assert list(adapter.conversations) == []  # the text stays in the browser's input only


async def next_event(response: ClientResponse) -> tuple[str, Any]:
    """The next Server-Sent Event on an open stream: its name and JSON data."""
    name = ""
    while True:
        line = (await asyncio.wait_for(response.content.readline(), 5)).decode().rstrip("\n")
        if line.startswith("event: "):
            name = line[7:]
        elif line.startswith("data: "):
            return name, json.loads(line[6:])


async def test_changes_are_pushed_live(client: Client, adapter: WebChatAdapter) -> None:
    await post(client, "message", {"pane": "chat", "persona": "sanne", "text": "eerst"})
    stream = await client.get("/web/api/stream")
    assert stream.headers["Content-Type"] == "text/event-stream"
    name, snapshot = await next_event(stream)
    assert name == "snapshot"
    assert [m["summary"] for m in snapshot["messages"]] == ["eerst", "Ontvangen: eerst"]

    ref = await adapter.messenger.send(Address("web", "team"), Message("<i>Welkom</i>"))
    name, sent = await next_event(stream)
    assert name == "message" and sent["conversation"] == "team"
    assert "&lt;i&gt;Welkom&lt;/i&gt;" in sent["html"] and sent["summary"] == "<i>Welkom</i>"

    await adapter.messenger.update(ref, Message("Welkom, Ahmed"))
    name, updated = await next_event(stream)
    assert updated["id"] == sent["id"] and "bijgewerkt" in updated["html"]
    stream.close()
