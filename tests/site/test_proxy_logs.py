"""Behind the organisation's reverse proxy, nothing of who sent a request reaches meldbot's
logs: not the address the proxy forwards (X-Forwarded-For, Forwarded, X-Real-IP), not the
browser (User-Agent), not the page someone came from (Referer). meldbot's own application,
served with the access log format ``meldbot serve`` uses, over real HTTP."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from bot.app import create_app
from bot.observability.access import AccessLog
from tests.core.conftest import make_settings
from tests.privacy import log_lines_holding
from tests.site.conftest import free_port

ADDRESS = "203.0.113.77"
IPV6 = "2001:db8::1:77"
BROWSER = "Mozilla/5.0 (Windows NT 10.0) Werkplek-BALIE-07 Edg/131"
CAME_FROM = "https://intranet.gemeente-voorbeeld.nl/collegas/sanne-de-vries"
SEARCHED = "Bakkerzoekterm"  # a name typed into the console's search
WHO = (ADDRESS, IPV6, BROWSER, "BALIE-07", CAME_FROM, "sanne-de-vries", SEARCHED)
FORWARDED = {
    "X-Forwarded-For": f"{ADDRESS}, 10.0.0.2",
    "Forwarded": f'for={ADDRESS};proto=https, for="[{IPV6}]"',
    "X-Real-IP": ADDRESS,
    "X-Forwarded-Host": "meldbot.gemeente-voorbeeld.nl",
    "User-Agent": BROWSER,
    "Referer": CAME_FROM,
}
# The staff page and its report, the console, the sign-in, a page that is not there, a
# form that is too big: every kind of answer meldbot gives to a browser.
ASKED = [
    ("GET", "/melden"),
    ("GET", "/melden/melding"),
    ("GET", "/melden/anoniem"),
    ("GET", "/console/"),
    ("GET", "/signin"),
    ("GET", "/bestaat-niet"),
    ("POST", "/melden/anoniem"),
    ("POST", "/signin/local"),
    ("GET", f"/console/zaken?zoek={SEARCHED}"),
]


@asynccontextmanager
async def served(
    app: web.Application, access_log: type[AbstractAccessLogger] = AccessLog, **options: str
) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log_class=access_log, **options)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


async def ask_everything(url: str) -> None:
    async with aiohttp.ClientSession(headers=FORWARDED) as session:
        for method, path in ASKED:
            body = b"x" * (300 * 1024) if method == "POST" else None
            async with session.request(
                method, url + path, data=body, allow_redirects=False
            ) as answer:
                assert answer.status < 500, (path, answer.status)


def traces(records: list[logging.LogRecord]) -> list[str]:
    """Lines, and the fields a structured log handler would write, that carry someone."""
    lines = log_lines_holding(records, WHO)
    fields = [str(vars(record)) for record in records]
    return lines + [line for line in fields if any(w.casefold() in line.casefold() for w in WHO)]


async def test_no_address_browser_or_referrer_reaches_the_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", tmp_path)
    async with served(await create_app(settings)) as url:
        await ask_everything(url)
    access = [r for r in caplog.records if r.name == "aiohttp.access"]
    assert len(access) == len(ASKED), "every request was logged, as meldbot serve logs it"
    assert access[1].getMessage().startswith('"GET /melden/melding" ')
    assert access[5].getMessage().startswith('"GET unmatched" 404 ')
    assert traces(caplog.records) == []


async def test_the_search_finds_them_in_a_log_that_keeps_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """aiohttp's own default format keeps the browser and the referrer: the search above
    would have found them."""
    caplog.set_level(logging.DEBUG)
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", tmp_path)
    default = web.AccessLogger.LOG_FORMAT
    async with served(
        await create_app(settings), web.AccessLogger, access_log_format=default
    ) as url:
        await ask_everything(url)
    found = "\n".join(traces(caplog.records))
    assert BROWSER in found and CAME_FROM in found
