"""Files in a personal chat (real CloudAdapter, fake Bot Connector): inline images from the
activity's service with meldbot's token, OneDrive files from SharePoint only (loopback in
anonymous mode), and nothing ever fetched from anywhere else."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from adapters.download import origin_of
from adapters.teams.adapter import TeamsAdapter
from adapters.teams.files import download_allowed
from bot.attachments.policy import MIB
from bot.events import Event, MessageReceived
from tests import files
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.openid import OpenIdIssuer
from tests.fakes.teams_payloads import (
    BOT_APP_ID,
    TeamsBot,
    TeamsPayloads,
    file_download,
    inline_image,
)
from tests.slack.support import StubCore
from tests.teams.conftest import MemoryBook
from tests.teams.support import MIA, OUTBOUND_TOKEN, StaticTokens, TeamsSender, make_settings

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]
PHOTO = files.image("PNG", size=(30, 20))


async def received(core: StubCore) -> MessageReceived:
    [event] = await core.wait()
    assert isinstance(event, MessageReceived)
    return event


async def post(
    teams: TeamsSender, issuer: OpenIdIssuer, fake: FakeBotConnector, activity: dict[str, Any]
) -> None:
    auth = issuer.authorization(BOT_APP_ID, service_url=fake.url)
    assert (await teams.post(activity, auth)).status in (200, 202)


@pytest.fixture
async def elsewhere() -> AsyncIterator[tuple[str, list[str]]]:
    """A server on another origin that must never be asked for anything."""
    asked: list[str] = []

    async def serve(request: web.Request) -> web.Response:
        asked.append(request.path)
        return web.Response(body=PHOTO)

    app = web.Application()
    app.router.add_get("/{tail:.*}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}/v3/attachments/x/views/original", asked
    await runner.cleanup()


async def test_an_inline_image_is_fetched_with_meldbots_token(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    image = inline_image(fake.serve_image(PHOTO))
    message = payloads.personal_message("Zo zag de balie eruit.", user=MIA, attachments=[image])
    await post(teams, issuer, fake, message)

    event = await received(core)
    assert event.text == "Zo zag de balie eruit." and event.address.personal
    [file] = event.files
    assert (file.content, file.declared_type, file.size) == (PHOTO, "image/*", len(PHOTO))
    [request] = fake.file_requests
    assert request.headers["Authorization"] == f"Bearer {OUTBOUND_TOKEN}"


async def test_a_onedrive_file_from_elsewhere_than_sharepoint_is_not_fetched_in_production(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    pdf = file_download("dreigmail.pdf", fake.serve_download(files.PDF, "dreigmail.pdf"))
    await post(teams, issuer, fake, payloads.personal_message(user=MIA, attachments=[pdf]))
    event = await received(core)
    assert event.text == ""
    [file] = event.files
    assert (file.name, file.problem, file.content) == ("dreigmail.pdf", "unavailable", None)
    assert file.declared_type == "application/pdf"
    assert fake.file_requests == [], "with credentials, files come from SharePoint only"


async def test_anonymous_mode_fetches_a_file_download_from_this_machine_without_a_token(
    aiohttp_client: MakeClient, core: StubCore
) -> None:
    async with FakeBotConnector(bot=TeamsBot()) as local:
        adapter = TeamsAdapter(make_settings(local), core, MemoryBook())
        app = web.Application()
        adapter.mount(app)
        teams = TeamsSender(await aiohttp_client(app))
        payloads = TeamsPayloads(local.url)
        pdf = file_download("verslag.pdf", local.serve_download(files.PDF, "verslag.pdf"))
        image = inline_image(local.serve_image(PHOTO))
        message = payloads.personal_message("Twee bijlagen", user=MIA, attachments=[pdf, image])
        assert (await teams.post(message)).status in (200, 202)
        event = await received(core)
        assert [(f.name, f.content) for f in event.files] == [
            ("verslag.pdf", files.PDF),
            ("", PHOTO),
        ]
        download = next(r for r in local.file_requests if r.path.startswith("/download/"))
        assert "Authorization" not in download.headers, "a pre-authorised URL gets no token"
        await adapter.stop()


async def test_an_image_url_on_another_origin_than_the_service_is_never_fetched(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
    elsewhere: tuple[str, list[str]],
) -> None:
    url, asked = elsewhere
    message = payloads.personal_message("kijk", user=MIA, attachments=[inline_image(url)])
    await post(teams, issuer, fake, message)
    [file] = (await received(core)).files
    assert (file.problem, file.content) == ("unavailable", None)
    assert asked == [], "meldbot's token never went to another host"


async def test_an_image_larger_than_the_limit_is_cut_off_while_reading(
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    core: StubCore,
    aiohttp_client: MakeClient,
) -> None:
    settings = make_settings(
        fake,
        teams_client_id=BOT_APP_ID,
        teams_openid_metadata=issuer.metadata_url,
        attachment_max_mb=1,
    )
    adapter = TeamsAdapter(settings, core, MemoryBook(), connections=StaticTokens())
    app = web.Application()
    adapter.mount(app)
    teams = TeamsSender(await aiohttp_client(app))
    huge = inline_image(fake.serve_image(files.large(2 * MIB, files.PNG)))
    await post(teams, issuer, fake, TeamsPayloads(fake.url).personal_message(attachments=[huge]))
    [file] = (await received(core)).files
    assert (file.problem, file.content) == ("too_large", None)
    await adapter.stop()


async def test_cards_and_channel_posts_bring_no_files(
    teams: TeamsSender,
    issuer: OpenIdIssuer,
    fake: FakeBotConnector,
    payloads: TeamsPayloads,
    core: StubCore,
) -> None:
    card = {"contentType": "application/vnd.microsoft.card.adaptive", "content": {"body": []}}
    await post(teams, issuer, fake, payloads.personal_message("menu", user=MIA, attachments=[card]))
    channel = payloads.channel_message("in het kanaal", user=MIA)
    channel["attachments"] = [inline_image(fake.serve_image(PHOTO))]
    await post(teams, issuer, fake, channel)
    events: list[Event] = await core.wait(2)
    assert all(not getattr(e, "files", ()) for e in events)
    assert fake.file_requests == []


@pytest.mark.parametrize(
    ("url", "anonymous", "allowed"),
    [
        ("https://contoso-my.sharepoint.com/personal/x/download.aspx", False, True),
        ("https://contoso.sharepoint.com/sites/team/download.aspx", False, True),
        ("https://agency.sharepoint.us/x", False, True),
        ("http://contoso-my.sharepoint.com/x", False, False),
        ("https://contoso.sharepoint.com.evil.example/x", False, False),
        ("https://evilsharepoint.com/x", False, False),
        ("https://user:pw@contoso.sharepoint.com/x", False, False),
        ("http://127.0.0.1:8080/download/1", False, False),
        ("http://127.0.0.1:8080/download/1", True, True),
        ("http://[::1]:8080/download/1", True, True),
        ("https://contoso-my.sharepoint.com/x", True, False),
        ("file:///etc/passwd", True, False),
    ],
)
def test_where_a_file_download_may_come_from(url: str, anonymous: bool, allowed: bool) -> None:
    assert download_allowed(origin_of(url), anonymous) is allowed
