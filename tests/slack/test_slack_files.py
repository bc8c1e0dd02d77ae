"""Files shared in a DM: fetched from Slack's file host with the bot token, within limits,
and whatever could not be fetched still reaches the core with its reason."""

from __future__ import annotations

import html
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.slack import SlackAdapter
from adapters.slack.client import web_client
from adapters.slack.files import SlackFiles
from bot.app import create_app
from bot.attachments.policy import MIB, Limits
from bot.events import IncomingFile, MessageReceived
from bot.ui import Message, Response, Text
from storage.sealing import new_key
from tests import files
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_payloads import block_actions, event_callback, file_share_dm
from tests.slack.support import (
    COORDINATOR_CHANNEL,
    SeenKeys,
    SlackSender,
    StubCore,
    make_settings,
)
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
PHOTO = files.image("JPEG", size=(40, 30))


async def share(
    slack: SlackSender, core: StubCore, listed: list[dict[str, Any]], text: str = ""
) -> MessageReceived:
    response = await slack.post(event_callback(file_share_dm("U1", listed, text), "Ev-files-1"))
    assert response.status == 200
    [event] = await core.wait()
    assert isinstance(event, MessageReceived)
    return event


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[str, list[str]]]:
    """Another host (here: another port) that must never be asked for anything."""
    asked: list[str] = []

    async def serve(request: web.Request) -> web.Response:
        asked.append(request.path)
        return web.Response(body=PHOTO)

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/files-pri/T0TEST-F1/photo.jpg", asked
    await runner.cleanup()


async def test_a_photo_with_text_reaches_the_core_with_its_bytes(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    core.answer = lambda event: Response(messages=[Message("Dank", [Text.of("Dank je.")])])
    photo = fake_slack.share_file("balie.jpg", PHOTO, "image/jpeg")
    event = await share(slack, core, [photo], "Hij gooide een stoel, zie de foto.")

    assert event.text == "Hij gooide een stoel, zie de foto."
    assert event.address.personal and event.actor.user_id == "U1"
    assert event.files == (IncomingFile("balie.jpg", "image/jpeg", len(PHOTO), PHOTO),)
    [download] = fake_slack.downloads
    assert download.token == fake_slack.token and download.status == 200
    [answer] = await fake_slack.wait_for("chat.postMessage")
    assert answer.params["channel"] == "DU1", "the person gets an answer"


async def test_a_file_without_text_is_still_a_message(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    event = await share(slack, core, [fake_slack.share_file("mail.pdf", files.PDF, "text/plain")])
    assert event.text == ""
    [file] = event.files
    assert (file.content, file.declared_type) == (files.PDF, "text/plain")


async def test_a_file_declared_too_large_is_not_downloaded(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    big = fake_slack.share_file("film.mov", b"x", "video/quicktime", size=40 * MIB)
    event = await share(slack, core, [big])
    assert event.files == (
        IncomingFile("film.mov", "video/quicktime", 40 * MIB, None, "too_large"),
    )
    assert fake_slack.downloads == []


async def test_a_size_that_lies_is_caught_while_reading(
    fake_slack: FakeSlack, core: StubCore, aiohttp_client: MakeClient
) -> None:
    adapter = SlackAdapter(make_settings(fake_slack, attachment_max_mb=1), core, SeenKeys())
    app = web.Application()
    adapter.mount(app)
    slack = SlackSender(await aiohttp_client(app))
    liar = fake_slack.share_file("klein.jpg", files.large(3 * MIB), "image/jpeg", size=1000)
    event = await share(slack, core, [liar])
    [file] = event.files
    assert (file.problem, file.content) == ("too_large", None)
    [download] = fake_slack.downloads
    assert download.status == 200, "it was asked for, and cut off at the limit"


async def test_a_file_url_on_another_host_is_never_fetched(
    slack: SlackSender,
    core: StubCore,
    fake_slack: FakeSlack,
    elsewhere: tuple[str, list[str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    url, asked = elsewhere
    forged = fake_slack.share_file("photo.jpg", PHOTO, url=url)
    external = fake_slack.share_file("drive.pdf", files.PDF, is_external=True)
    with caplog.at_level(logging.INFO):
        event = await share(slack, core, [forged, external])
    assert [(f.problem, f.content) for f in event.files] == [("unavailable", None)] * 2
    assert asked == [], "the bot token never went to another host"
    assert fake_slack.downloads == [], "an external file is not Slack's to serve"
    log = "\n".join(r.getMessage() for r in caplog.records)
    assert "photo.jpg" not in log and "drive.pdf" not in log and url not in log


async def test_a_file_slack_lists_before_it_is_ready_is_looked_up(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    listed = fake_slack.share_file("scan.png", files.PNG, "image/png")
    pending = {"id": listed["id"], "mode": "hosted", "file_access": "check_file_info"}
    event = await share(slack, core, [pending])
    [info] = fake_slack.calls_to("files.info")
    assert info.params["file"] == listed["id"]
    assert [(f.name, f.content) for f in event.files] == [("scan.png", files.PNG)]


async def test_beyond_five_files_none_is_downloaded(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    listed = [fake_slack.share_file(f"foto{i}.png", files.PNG, "image/png") for i in range(7)]
    event = await share(slack, core, listed)
    assert [f.content is not None for f in event.files] == [True] * 5 + [False] * 2
    assert len(fake_slack.downloads) == 5


async def test_a_download_slack_refuses_comes_back_as_unavailable(fake_slack: FakeSlack) -> None:
    revoked = SlackFiles(web_client("xoxb-revoked", fake_slack.url), fake_slack.url, Limits())
    [file] = await revoked.fetch([fake_slack.share_file("foto.jpg", PHOTO)])
    assert (file.problem, file.content, file.name) == ("unavailable", None, "foto.jpg")
    [download] = fake_slack.downloads
    assert (download.token, download.status) == ("xoxb-revoked", 302), "no redirect followed"


async def test_files_in_other_subtypes_or_from_bots_are_not_taken(
    slack: SlackSender, core: StubCore, fake_slack: FakeSlack
) -> None:
    photo = fake_slack.share_file("foto.jpg", PHOTO)
    from_bot = {**file_share_dm("U1", [photo], "bot"), "bot_id": "B0OTHER"}
    changed = {**file_share_dm("U1", [photo], "edit"), "subtype": "message_changed"}
    for n, event in enumerate((from_bot, changed)):
        assert (await slack.post(event_callback(event, f"Ev-other-{n}"))).status == 200
    await fake_slack.settle()
    assert core.events == [] and fake_slack.downloads == []


async def test_the_fake_serves_a_shared_file_only_with_the_bot_token(
    fake_slack: FakeSlack,
) -> None:
    url = fake_slack.share_file("foto.jpg", PHOTO)["url_private_download"]
    async with aiohttp.ClientSession() as session:
        async with session.get(
            url, headers={"Authorization": f"Bearer {fake_slack.token}"}
        ) as answer:
            assert answer.status == 200 and await answer.read() == PHOTO
        async with session.get(url, allow_redirects=False) as answer:
            assert answer.status == 302


async def test_with_the_real_core_a_dm_with_a_photo_and_text_gets_an_answer(
    tmp_path: Path, fake_slack: FakeSlack, aiohttp_client: MakeClient
) -> None:
    settings = make_settings(
        fake_slack,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        data_dir=tmp_path,
        seal_key=new_key(),
        channel_content="full",  # the file itself goes to the case's thread
    )
    slack = SlackSender(await aiohttp_client(await create_app(settings)))
    photo = fake_slack.share_file("stoel.jpg", PHOTO)
    event = file_share_dm("U1", [photo], "Hij gooide een stoel naar de balie.")
    assert (await slack.post(event_callback(event, "Ev-core-1"))).status == 200
    [answer] = await fake_slack.wait_for("chat.postMessage")
    assert answer.params["channel"] == "DU1"
    assert "Do you want to send this as a report?" in answer.params["text"]
    assert len(fake_slack.downloads) == 1
    draft = fake_slack.in_channel("DU1")[0]
    send = next(
        element
        for block in draft.blocks
        for element in block.get("elements", [])
        if element.get("action_id") == "report.send"
    )
    pressed = block_actions("U1", "report.send", send["value"], channel="DU1", message_ts=draft.ts)
    assert (await slack.post(pressed, form=True)).status == 200
    shared = await until(lambda: fake_slack.shared_files(COORDINATOR_CHANNEL), "the photo")
    assert shared[0].content == PHOTO, "the photo reached the case's thread"
    receipt = await until(lambda: draft if draft.updates else None, "the receipt")
    assert "Your file is stored with the report." in html.unescape(str(receipt.blocks))

    refused = file_share_dm("U1", [fake_slack.share_file("setup.exe", b"MZ\x90\x00")], "En dit.")
    assert (await slack.post(event_callback(refused, "Ev-core-2"))).status == 200
    said = await until(
        lambda: [p for p in fake_slack.in_channel("DU1") if "setup.exe" in p.text], "the refusal"
    )
    assert "setup.exe" in said[0].text
