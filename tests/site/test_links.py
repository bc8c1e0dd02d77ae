"""One person, one set of rights: chat identities linked to console identities.

The real core and database (SQLite and PostgreSQL); the chat through the dialog router,
as a person types ``koppel 123456`` in their personal chat with meldbot.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.access.links import GUESS_LIMIT, LINK_CODE_TTL
from bot.access.models import Principal, Role
from bot.access.service import Access
from bot.app import RUNTIME, create_app
from bot.events import Actor
from bot.ui import Response
from tests.core.conftest import Clock, Harness, make_settings
from tests.fakes.messenger import FakeMessenger
from tests.privacy import tables_holding
from tests.text import text_of

ANNA = Principal("sub-anna", "Anna de Boer", frozenset({Role.COORDINATOR}))
NOOR = Principal("sub-noor", "Noor Analist", frozenset({Role.ANALYST}))
ANNA_SLACK = Actor("web", "U0ANNA", "Anna")  # the harness's platform is "web"


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    clock = Clock()
    app = await create_app(make_settings(database_url, tmp_path), clock=clock)
    runtime = app[RUNTIME]
    platform = FakeMessenger()
    runtime.messengers["web"] = platform
    yield Harness(runtime, platform, clock)
    await runtime.database.close()


def all_text(response: Response) -> str:
    return "\n".join(text_of(m) for m in [*response.messages, *response.private])


def _access(bot: Harness) -> Access:
    assert bot.runtime.links is not None
    return Access(bot.runtime.messengers, None, bot.runtime.links)


async def test_a_code_typed_in_the_chat_links_it_and_the_rights_follow(bot: Harness) -> None:
    links = bot.runtime.links
    assert links is not None
    access = _access(bot)
    await links.signed_in(ANNA)
    assert await access.roles(ANNA_SLACK) == frozenset(), "not linked yet: no rights"
    code = await links.new_code(ANNA)
    assert len(code) == 6 and code.isdigit()
    answer = all_text(await bot.say(ANNA_SLACK, f"koppel {code[:3]} {code[3:]}"))
    assert "Gekoppeld" in answer and "Anna de Boer" in answer
    assert await access.roles(ANNA_SLACK) == {Role.COORDINATOR}
    assert await links.keys(ANNA) == {"console:sub-anna", "web:U0ANNA"}
    again = all_text(await bot.say(ANNA_SLACK, f"koppel {code}"))
    assert "ken ik niet" in again, "a code works once"


async def test_a_code_runs_out_and_belongs_to_whoever_asked_for_it(bot: Harness) -> None:
    links = bot.runtime.links
    assert links is not None
    await links.signed_in(ANNA)
    await links.signed_in(NOOR)
    late = await links.new_code(ANNA)
    bot.clock.advance(seconds=LINK_CODE_TTL.total_seconds() + 1)
    assert "ken ik niet" in all_text(await bot.say(ANNA_SLACK, f"koppel {late}"))
    noor_code = await links.new_code(NOOR)
    await bot.say(ANNA_SLACK, f"koppel {noor_code}")
    assert await _access(bot).roles(ANNA_SLACK) == {Role.ANALYST}, "linked to Noor, not Anna"


async def test_guessing_codes_is_stopped_before_any_code_is_looked_up(bot: Harness) -> None:
    links = bot.runtime.links
    assert links is not None
    await links.signed_in(ANNA)
    code = await links.new_code(ANNA)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(GUESS_LIMIT):
        assert "ken ik niet" in all_text(await bot.say(ANNA_SLACK, f"koppel {wrong}"))
    refused = all_text(await bot.say(ANNA_SLACK, f"koppel {code}"))
    assert "te vaak" in refused and "11:00" in refused, "the right code after ten wrong ones"
    assert await _access(bot).roles(ANNA_SLACK) == frozenset()
    bot.clock.advance(hours=1)
    code = await links.new_code(ANNA)
    assert "Gekoppeld" in all_text(await bot.say(ANNA_SLACK, f"koppel {code}"))


async def test_rights_from_a_sign_in_do_not_outlive_it_in_the_chat(bot: Harness) -> None:
    links = bot.runtime.links
    assert links is not None
    teams = Actor("teams", "00000000-0000-0000-0000-0000000000a1")
    await links.signed_in(ANNA, also=teams)
    access = _access(bot)
    assert await access.roles(teams) == {Role.COORDINATOR}, "Teams: linked by the oid claim"
    bot.clock.advance(days=31)
    assert await access.roles(teams) == frozenset(), "no sign-in for 30 days: no rights"
    await links.signed_in(Principal("sub-anna", "Anna de Boer", frozenset()))
    assert await access.roles(teams) == frozenset(), "the IdP took the role away"


async def test_a_console_identity_has_the_rights_of_its_chat_identities(bot: Harness) -> None:
    links = bot.runtime.links
    assert links is not None
    nobody = Principal("sub-jan", "Jan Jansen", frozenset())
    coordinator_in_chat = Actor("web", "coord-1")  # the fake platform's coordinator
    await links.signed_in(nobody, also=coordinator_in_chat)
    assert await _access(bot).roles(nobody) == {Role.COORDINATOR}
    assert await links.unlink(nobody, coordinator_in_chat)
    assert await _access(bot).roles(nobody) == frozenset()
    assert not await links.unlink(nobody, Actor("web", "coord-2")), "not theirs to unlink"


async def test_identities_are_kept_as_keyed_hashes_and_sealed(bot: Harness) -> None:
    links = bot.runtime.links
    assert links is not None
    await links.signed_in(ANNA, also=Actor("teams", "00000000-0000-0000-0000-0000000000a1"))
    database = bot.runtime.database
    async with database.engine.connect() as connection:
        rows = (await connection.execute(text("SELECT * FROM identity_links"))).all()
        rows += (await connection.execute(text("SELECT * FROM console_identities"))).all()
    dump = repr(rows)
    for plain in ("sub-anna", "Anna de Boer", "0000000000a1"):
        assert plain not in dump
    found = await tables_holding(
        database.engine,
        _FakeSealer(),
        ["00000000-0000-0000-0000-0000000000a1", "teams:00000000-0000-0000-0000-0000000000a1"],
    )
    assert found == {}, "neither the id nor an unkeyed hash of it"


class _FakeSealer:
    """Opens nothing: what a reader of the database without the seal key sees."""

    def unseal(self, value: str) -> str:
        raise ValueError(value)
