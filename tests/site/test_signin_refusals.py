"""Tokens a provider must never send, from a provider of our own that sends them: a wrong
issuer, audience, nonce or signature, or an expired token, gets a 400 page and no
session. The same provider checks that meldbot proves its PKCE verifier (S256)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from tests.fakes.oidc_provider import CLIENT_SECRET, OidcProvider
from tests.site.conftest import MakeSite, Served, authorize_at, signin_config


@pytest.fixture
async def provider() -> AsyncIterator[OidcProvider]:
    async with OidcProvider() as running:
        yield running


async def _served(make_site: MakeSite, provider: OidcProvider) -> Served:
    config = signin_config(provider.url, client_secret=CLIENT_SECRET)
    return await make_site(signin=config)


async def _sessions(site: Served) -> int:
    async with site.runtime.database.engine.connect() as connection:
        return int((await connection.execute(text("SELECT count(*) FROM sessions"))).scalar_one())


async def test_a_good_token_signs_in_after_the_pkce_check(
    make_site: MakeSite, provider: OidcProvider
) -> None:
    site = await _served(make_site, provider)
    done = await site.sign_in_at(authorize_at, "/koppelen")
    assert done.status == 303 and provider.refused == []
    status, html = await site.page("/koppelen")
    assert status == 200 and "Anna de Boer" in html


@pytest.mark.parametrize(
    ("flaw", "seen"),
    [
        ("issuer", "kloppen niet"),
        ("audience", "kloppen niet"),
        ("nonce", "kloppen niet"),
        ("signature", "kloppen niet"),
        ("expired", "kloppen niet"),
    ],
)
async def test_a_flawed_token_is_refused_with_a_page(
    make_site: MakeSite, provider: OidcProvider, flaw: str, seen: str
) -> None:
    provider.flaw = flaw
    site = await _served(make_site, provider)
    refused = await site.sign_in_at(authorize_at, "/koppelen")
    html = await refused.text()
    assert refused.status == 400 and seen in html, flaw
    assert "meldbot-sessie=" not in refused.headers.get("Set-Cookie", "")
    assert await _sessions(site) == 0
    status, _ = await site.page("/koppelen")
    assert status == 303, "still not signed in"


async def test_a_wrong_client_secret_is_refused(
    make_site: MakeSite, provider: OidcProvider
) -> None:
    site = await make_site(signin=signin_config(provider.url, client_secret="niet-het-geheim"))
    refused = await site.sign_in_at(authorize_at, "/koppelen")
    assert refused.status == 400 and "niet geaccepteerd" in await refused.text()
    assert provider.refused == ["invalid_client"]


async def test_the_code_verifier_must_be_the_one_of_the_challenge(
    make_site: MakeSite, provider: OidcProvider
) -> None:
    """The good sign-in above shows meldbot's verifier matches its S256 challenge; here the
    challenge was swapped on the way (as by someone who wants to redeem the code
    elsewhere), and the verifier meldbot holds no longer fits."""
    site = await _served(make_site, provider)

    async def swapped(url: str) -> str:
        genuine = url.split("code_challenge=", 1)[1].split("&", 1)[0]
        return await authorize_at(url.replace(genuine, "A" * 43))

    refused = await site.sign_in_at(swapped, "/koppelen")
    assert refused.status == 400 and "niet geaccepteerd" in await refused.text()
    assert provider.refused == ["invalid_grant"]
    assert await _sessions(site) == 0


async def test_a_discovery_document_for_another_issuer_is_not_used(
    make_site: MakeSite, provider: OidcProvider
) -> None:
    provider.discovery_issuer = "https://login.example.org/iemand-anders"
    site = await _served(make_site, provider)
    start = await site.client.get("/signin/start", allow_redirects=False)
    assert start.status == 502 and "niet bereikbaar" in await start.text()
