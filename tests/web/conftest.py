from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Page, async_playwright

from adapters.web import WebChatAdapter
from bot.settings import Settings
from tests.web.stub import StubCore


@pytest.fixture
def settings() -> Settings:
    return Settings(web_coordinators=["fatima", "coordinator"], language="nl")


@pytest.fixture
def core() -> StubCore:
    return StubCore()


@pytest.fixture
def adapter(settings: Settings, core: StubCore) -> WebChatAdapter:
    web_chat = WebChatAdapter(settings, core)
    core.messenger = web_chat.messenger
    return web_chat


@pytest.fixture
def app(adapter: WebChatAdapter) -> web.Application:
    application = web.Application()
    adapter.mount(application)
    return application


# -- real headless Chromium (Debian's package; `playwright install` cannot work here) --------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Records CSP violations and proves that no injected markup ever ran.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective));
"""


def installed_chromium() -> Path:
    """Debian's Chromium; its absence fails the run in CI and skips the test elsewhere."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture
def chromium() -> Path:
    return installed_chromium()


@asynccontextmanager
async def chromium_tab(tmp_path: Path) -> AsyncIterator[Page]:
    """A tab of headless Chromium with its own profile; no script error may happen in it."""
    chromium = installed_chromium()
    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=str(chromium),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1440, "height": 900},
            locale="nl-NL",
        )
        await context.add_init_script(WATCH)
        tab = context.pages[0] if context.pages else await context.new_page()
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        yield tab
        await context.close()
    # 4xx answers the tests provoke show up as "Failed to load resource"; nothing else may.
    assert [e for e in errors if "Failed to load resource" not in e] == []


@pytest.fixture
async def page(chromium: Path, tmp_path: Path) -> AsyncIterator[Page]:
    async with chromium_tab(tmp_path) as tab:
        yield tab
