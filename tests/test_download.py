"""The one way adapters fetch a file a person sent: allowed origin, no redirects, a cap."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web

from adapters.download import NotFetched, fetch, origin_of


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[str]]]:
    asked: list[str] = []

    async def file(request: web.Request) -> web.StreamResponse:
        asked.append(request.path)
        if request.path == "/moved":
            raise web.HTTPFound("/file")
        if request.path == "/gone":
            raise web.HTTPNotFound
        if request.path == "/declared-big":
            return web.Response(body=b"x" * 5000)
        response = web.StreamResponse()  # no Content-Length: only reading shows the size
        await response.prepare(request)
        await response.write(b"y" * (3000 if request.path == "/streamed-big" else 100))
        await response.write_eof()
        return response

    app = web.Application()
    app.router.add_get("/{name}", file)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    yield f"http://127.0.0.1:{runner.addresses[0][1]}", asked
    await runner.cleanup()


async def test_only_allowed_origins_are_asked_and_nothing_beyond_the_limit_is_kept(
    server: tuple[str, list[str]],
) -> None:
    base, asked = server
    home = origin_of(base)
    assert home is not None
    async with aiohttp.ClientSession() as session:
        assert await fetch(session, f"{base}/file", {home}, 1000) == b"y" * 100
        with pytest.raises(NotFetched) as elsewhere:
            await fetch(session, f"{base}/file", {("http", "127.0.0.1", 1)}, 1000)
        assert elsewhere.value.problem == "unavailable"
        outcomes = []
        for path in ("/moved", "/gone", "/declared-big", "/streamed-big"):
            with pytest.raises(NotFetched) as refused:
                await fetch(session, base + path, {home}, 1000)
            outcomes.append(refused.value.problem)
    assert outcomes == ["unavailable", "unavailable", "too_large", "too_large"]
    assert asked == ["/file", "/moved", "/gone", "/declared-big", "/streamed-big"], (
        "the refused origin was never asked, and the redirect was not followed"
    )


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://x/y", "https://user:pw@host/x", "http://[::1", "//x/y"]
)
def test_urls_that_are_no_web_origin_have_none(url: str) -> None:
    assert origin_of(url) is None
