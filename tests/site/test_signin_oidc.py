"""Signing in through a real OpenID provider process (oidc-provider-mock), end to end:
meldbot's redirect, the provider's form, the callback, a session with the mapped roles."""

from __future__ import annotations

import functools

from sqlalchemy import text

from bot.access.models import Role
from bot.access.service import Access
from bot.events import Actor
from tests.privacy import audit_rows
from tests.site.conftest import (
    MakeSite,
    Served,
    authorize_at_mock,
    mock_user,
    signin_config,
)

ANNA_OID = "6f1c2a3b-0d4e-4f5a-9b8c-7d6e5f4a3b2c"


async def _served(make_site: MakeSite, provider: str, **signin: object) -> Served:
    return await make_site(signin=signin_config(provider, **signin))


async def test_signing_in_gives_a_session_with_the_roles_of_the_claim(
    make_site: MakeSite, mock_provider: str
) -> None:
    mock_user(
        mock_provider,
        "anna",
        {"name": "Anna de Boer", "email": "anna@voorbeeld.nl", "roles": ["meldbot.coordinator"]},
    )
    site = await _served(make_site, mock_provider)
    status, _ = await site.page("/koppelen")
    assert status == 303, "no session yet"
    done = await site.sign_in_at(functools.partial(authorize_at_mock, subject="anna"), "/koppelen")
    assert done.status == 303 and done.headers["Location"] == "/koppelen"
    cookie = done.headers.getall("Set-Cookie")
    assert any(c.startswith("meldbot-sessie=") and "HttpOnly" in c for c in cookie)
    assert any("SameSite=Lax" in c for c in cookie)
    status, html = await site.page("/koppelen")
    assert status == 200 and "Ingelogd als Anna de Boer" in html
    audit = await audit_rows(site.runtime.database, "actor", "action")
    assert audit == [("console:anna", "signin")]


async def test_groups_are_a_claim_too_and_teams_is_linked_by_the_oid(
    make_site: MakeSite, mock_provider: str
) -> None:
    mock_user(
        mock_provider,
        "bram",
        {"name": "Bram Smit", "groups": ["x", "meldbot.beheer"], "oid": ANNA_OID},
    )
    site = await _served(make_site, mock_provider, roles_claim="groups")
    done = await site.sign_in_at(functools.partial(authorize_at_mock, subject="bram"), "/koppelen")
    assert done.status == 303
    _status, html = await site.page("/koppelen")
    assert "Microsoft Teams: " + ANNA_OID in html
    links = site.runtime.links
    assert links is not None
    roles = await Access(site.runtime.messengers, None, links).roles(Actor("teams", ANNA_OID))
    assert roles == {Role.ADMIN}, "the Teams identity carries the roles of the sign-in"


async def test_signing_out_ends_the_session_at_once(
    make_site: MakeSite, mock_provider: str
) -> None:
    mock_user(mock_provider, "cem", {"name": "Cem", "roles": ["meldbot.analist"]})
    site = await _served(make_site, mock_provider)
    await site.sign_in_at(functools.partial(authorize_at_mock, subject="cem"), "/koppelen")
    token = await site.token("/koppelen")
    out = await site.client.post(
        "/signout", data={"_csrf": token, "_return": "/koppelen"}, allow_redirects=False
    )
    assert out.status == 303 and out.headers["Location"] == "/signin?uitgelogd=1"
    status, _ = await site.page("/koppelen")
    assert status == 303
    async with site.runtime.database.engine.connect() as connection:
        assert (await connection.execute(text("SELECT count(*) FROM sessions"))).scalar() == 0
    status, html = await site.page("/signin?uitgelogd=1")
    assert "Je bent uitgelogd" in html


async def test_a_denied_or_foreign_callback_is_refused_with_a_page(
    make_site: MakeSite, mock_provider: str
) -> None:
    site = await _served(make_site, mock_provider)
    status, html = await site.page("/signin/callback?code=abc&state=xyz")
    assert status == 400 and "niet hier begonnen" in html, "no sign-in was started here"

    async def deny(url: str) -> str:
        import aiohttp

        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data={"action": "deny"}, allow_redirects=False) as answer,
        ):
            return answer.headers["Location"]

    refused = await site.sign_in_at(deny, "/koppelen")
    assert refused.status == 400 and "niet ingelogd" in await refused.text()
    start = await site.client.get("/signin/start", allow_redirects=False)
    assert start.status == 302
    forged = await site.client.get("/signin/callback?code=abc&state=niet-de-mijne")
    assert forged.status == 400, "a state that is not this browser's attempt"
