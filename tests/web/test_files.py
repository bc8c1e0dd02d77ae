"""Files in the web chat over HTTP: a multipart message reaches the core with its files,
with its own size limit answered 413 in the page's words; a case's files are served as
what their bytes are, images inline, anything else only as a download."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.web import WebChatAdapter
from adapters.web.present import figure
from bot.attachments.policy import MIB
from bot.events import Address, MessageReceived
from bot.ports import DeliveryError
from bot.settings import Settings
from bot.ui import Message
from tests import files
from tests.web.stub import StubCore

Client = TestClient[web.Request, web.Application]
MakeClient = Callable[[web.Application], Awaitable[Client]]
PHOTO = files.image("JPEG", size=(20, 20))


@pytest.fixture
def settings() -> Settings:
    return Settings(web_coordinators=["fatima", "coordinator"], language="nl", attachment_max_mb=1)


@pytest.fixture
async def client(app: web.Application, aiohttp_client: MakeClient) -> Client:
    return await aiohttp_client(app)


def origin(client: Client) -> dict[str, str]:
    return {"Origin": f"http://{client.host}:{client.port}"}


def form(fields: dict[str, str], *attached: tuple[str, bytes, str]) -> aiohttp.FormData:
    data = aiohttp.FormData(default_to_multipart=True)
    for name, value in fields.items():
        data.add_field(name, value)
    for name, content, kind in attached:
        data.add_field("files", content, filename=name, content_type=kind)
    return data


async def send(client: Client, data: Any, **headers: str) -> tuple[int, dict[str, Any]]:
    response = await client.post(
        "/web/api/message", data=data, headers={**origin(client), **headers}
    )
    return response.status, await response.json()


CHAT = {"pane": "chat", "persona": "sanne"}


async def test_a_message_with_files_reaches_the_core_and_shows_in_the_chat(
    client: Client, core: StubCore, adapter: WebChatAdapter
) -> None:
    status, answer = await send(
        client,
        form(
            {**CHAT, "text": "Hij gooide met een stoel."},
            ("stoel.jpg", PHOTO, "image/jpeg"),
            ("mail.pdf", files.PDF, "application/pdf"),
        ),
    )
    assert (status, answer) == (200, {"ok": True})
    [event] = core.events
    assert isinstance(event, MessageReceived) and event.address.personal
    assert event.text == "Hij gooide met een stoel."
    assert [(f.name, f.declared_type, f.content) for f in event.files] == [
        ("stoel.jpg", "image/jpeg", PHOTO),
        ("mail.pdf", "application/pdf", files.PDF),
    ]
    [mine, _answer] = [e for e in adapter.conversations if e.conversation == "dm:sanne"]
    lines = [b.parts[0] for b in mine.message.blocks]  # type: ignore[attr-defined]
    assert lines == [
        "Hij gooide met een stoel.",
        "Bijlage: stoel.jpg (1 kB)",
        "Bijlage: mail.pdf (1 kB)",
    ]


async def test_files_without_text_are_a_message_and_an_empty_one_is_not(
    client: Client, core: StubCore
) -> None:
    status, _ = await send(client, form({**CHAT, "text": ""}, ("foto.png", files.PNG, "image/png")))
    assert status == 200 and isinstance(core.events[-1], MessageReceived)
    status, answer = await send(client, form({**CHAT, "text": "  "}))
    assert status == 400 and answer["error"] == "Je bericht is leeg."


async def test_a_file_over_the_limit_still_reaches_the_core_as_too_large(
    client: Client, core: StubCore
) -> None:
    big = files.large(MIB + 10)
    status, _ = await send(
        client, form({**CHAT, "text": "groot"}, ("groot.jpg", big, "image/jpeg"))
    )
    assert status == 200
    [file] = core.events[-1].files  # type: ignore[union-attr]
    assert (file.problem, file.content, file.size) == ("too_large", None, MIB + 10)


async def test_more_than_the_route_takes_is_413_in_the_pages_words(
    client: Client, core: StubCore
) -> None:
    many = [(f"f{i}.jpg", files.large(MIB), "image/jpeg") for i in range(6)]
    status, answer = await send(client, form({**CHAT, "text": "veel"}, *many))
    assert status == 413
    assert answer["error"].startswith("Dit is te veel in één keer: ik neem 5 bestanden")
    assert "Er is niets verloren" in answer["error"]
    assert core.events == []


async def test_a_streamed_body_without_a_length_is_cut_off_at_the_cap(
    client: Client, core: StubCore
) -> None:
    boundary = "meldbot-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="pane"\r\n\r\nchat\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="persona"\r\n\r\nsanne\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    sent = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal sent
        yield head
        for _ in range(200):  # 12.5 MB, far beyond five files of 1 MB
            sent += 64 * 1024
            yield b"\x00" * (64 * 1024)
        yield f"\r\n--{boundary}--\r\n".encode()

    content_type = f"multipart/form-data; boundary={boundary}"
    status, answer = await send(client, body(), **{"Content-Type": content_type})
    assert status == 413 and "te veel" in answer["error"]
    assert core.events == []


@pytest.mark.parametrize(
    "body",
    [
        b"--x\r\nnot a part at all",
        b'--b\r\nContent-Disposition: form-data; name="who"\r\n\r\nme\r\n--b--\r\n',
        b'--b\r\nContent-Disposition: form-data; name="pane"\r\n\r\n\xff\xfe\r\n--b--\r\n',
    ],
)
async def test_a_malformed_multipart_body_is_a_clear_400(
    client: Client, core: StubCore, body: bytes
) -> None:
    status, answer = await send(client, body, **{"Content-Type": "multipart/form-data; boundary=b"})
    assert status == 400 and answer["ok"] is False and answer["error"]
    assert core.events == []


async def test_files_only_go_in_ones_own_chat(client: Client, core: StubCore) -> None:
    fields = {"pane": "coordinators", "persona": "fatima", "text": "kijk"}
    status, answer = await send(client, form(fields, ("foto.png", files.PNG, "image/png")))
    assert status == 400
    assert answer["error"] == "Bestanden kun je alleen in je eigen chat met meldbot sturen."
    assert core.events == []


async def test_another_origin_cannot_post_files(client: Client, core: StubCore) -> None:
    data = form({**CHAT, "text": "x"}, ("foto.png", files.PNG, "image/png"))
    response = await client.post(
        "/web/api/message", data=data, headers={"Origin": "https://evil.example"}
    )
    assert response.status == 403 and core.events == []


async def test_a_cases_files_are_served_as_what_their_bytes_are(
    client: Client, adapter: WebChatAdapter
) -> None:
    thread = await adapter.messenger.send(Address("web", "coordinators"), Message("Zaak"))
    photo = await adapter.messenger.upload(
        thread.thread(), "foto.jpg", PHOTO, title="Bijlage: foto.jpg", alt_text="Een foto"
    )
    pdf = await adapter.messenger.upload(
        thread.thread(), "dreig mail ‘1’.pdf", files.PDF, title="Bijlage", alt_text="Een pdf"
    )
    for ref, kind, disposition in (
        (photo, "image/jpeg", "inline"),
        (pdf, "application/pdf", "attachment; filename="),
    ):
        entry = adapter.conversations.get(ref.message_id)
        assert entry is not None and entry.file is not None
        served = await client.get(f"/web/files/{entry.file.key}")
        assert served.status == 200 and served.content_type == kind
        assert served.headers["Content-Disposition"].startswith(disposition)
        assert served.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in served.headers["Content-Security-Policy"]
    entry = adapter.conversations.get(pdf.message_id)
    assert entry is not None and entry.file is not None
    served = await client.get(f"/web/files/{entry.file.key}")
    assert (
        "filename*=UTF-8''dreig%20mail%20%E2%80%981%E2%80%99.pdf"
        in (served.headers["Content-Disposition"])
    )
    link = figure(entry.file)
    assert "download>dreig mail ‘1’.pdf</a> (PDF, 1 kB)" in link and "<img" not in link
    with pytest.raises(DeliveryError) as heic:
        await adapter.messenger.upload(
            thread.thread(), "x.heic", files.HEIC, title="x", alt_text="x"
        )
    assert heic.value.permanent, "a browser cannot show HEIC: the thread gets a note instead"
