"""While the database cannot be reached, every page answers the person with a 503 and a
clear "try again in a moment" (in Dutch first), and works again once it is back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.app import RUNTIME, create_app
from storage.sealing import new_key
from tests.console.conftest import console_with
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.teams_payloads import TeamsBot, TeamsPayloads
from tests.fuzz.conftest import LogWatch
from tests.site.conftest import MakeSite, free_port, make_site, mock_provider  # noqa: F401
from tests.staffpage.conftest import MakeStaff, make_staff  # noqa: F401
from tests.teams.support import MIA, TeamsSender, card_of, text_of
from tests.teams.support import make_settings as teams_settings
from tests.waiting import until

MakeClient = Callable[[web.Application], Awaitable[TestClient[Any, Any]]]

TRY_AGAIN = "Er ging iets mis aan onze kant, dus er is niets opgeslagen. Probeer het zo opnieuw."


def _background(record: logging.LogRecord) -> bool:
    """meldbot's own loops (housekeeping, the outbox) retrying while it is down."""
    return record.name.startswith(("bot.housekeeping", "bot.background", "bot.outbox"))


@pytest.fixture
def database_down(
    database_url: str, postgres_server: str | None
) -> Callable[[], AsyncIterator[None]]:
    """A context in which this test's PostgreSQL database refuses every connection."""
    assert postgres_server is not None
    name = database_url.rsplit("/", 1)[1]
    admin_dsn = postgres_server.replace("postgresql+asyncpg", "postgresql") + "/postgres"

    @asynccontextmanager
    async def down() -> AsyncIterator[None]:
        admin = await asyncpg.connect(admin_dsn)
        try:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name
            )
            yield
        finally:
            await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
            await admin.close()

    return down  # type: ignore[return-value]


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_web_chat_and_staff_page_say_try_again(
    make_staff: MakeStaff,  # noqa: F811
    database_down: Callable[[], AsyncIterator[None]],
    log_watch: LogWatch,
) -> None:
    staff = await make_staff(staff_page=True)
    message = {"pane": "chat", "persona": "sanne", "text": "Een klant schreeuwde."}
    origin = {"Origin": staff.url}

    opened = await staff.get("/melden/overleggen")
    typed = "Een collega wordt steeds bedreigd door dezelfde klant."
    async with database_down():  # type: ignore[attr-defined]
        page = await staff.post(
            "/melden/overleggen", {"_anon": opened.token(), "situation": typed}, **origin
        )
        async with staff.session.post(
            staff.url + "/web/api/message", json=message, headers=origin
        ) as response:
            chat = (response.status, await response.json())

    assert page.status == 503 and "er is niets opgeslagen" in page.text()
    assert typed in page.text()  # what was typed stays in the box
    assert chat == (503, {"ok": False, "error": TRY_AGAIN})
    assert (await staff.get("/melden/overleggen")).status == 200  # and back again
    assert log_watch.problems(known=_background) == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_the_console_says_try_again(
    make_site: MakeSite,  # noqa: F811
    database_down: Callable[[], AsyncIterator[None]],
    log_watch: LogWatch,
) -> None:
    console = await console_with(make_site, language="nl")
    case = await console.report()
    await console.sign_in("fatima")

    async with database_down():  # type: ignore[attr-defined]
        status, html = await console.get(f"/console/zaken/{case.reference}")

    assert status == 503 and "Probeer het zo opnieuw" in html
    assert (await console.get(f"/console/zaken/{case.reference}"))[0] == 200
    assert log_watch.problems(known=_background) == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_teams_tells_the_person_to_try_again(
    database_url: str,
    tmp_path: Path,
    aiohttp_client: MakeClient,
    database_down: Callable[[], AsyncIterator[None]],
) -> None:
    async with FakeBotConnector(bot=TeamsBot()) as fake:
        settings = teams_settings(
            fake, database_url=database_url, data_dir=tmp_path, seal_key=new_key(), language="nl"
        )
        app = await create_app(settings)
        sender = TeamsSender(await aiohttp_client(app))
        teams = TeamsPayloads(fake.url)
        async with database_down():  # type: ignore[attr-defined]
            answer = await sender.post(teams.personal_message("Een klant schreeuwde.", MIA))
            said = await until(lambda: fake.activities(teams.personal(MIA)["id"]), "an answer")
        await app[RUNTIME].database.engine.dispose()

    assert answer.status in (200, 202)
    assert "er is niets opgeslagen" in text_of(card_of(said[-1]))
