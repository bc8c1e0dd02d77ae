"""The kit over HTTP: the demo sign-in, roles, CSRF, expiry with a kept form, headers,
cookies and assets — on the real application, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from sqlalchemy import text

from tests.site.conftest import MakeSite, Served, signin_config
from tests.site.surface import NotesPage

STORY = "Half af: de bezoeker kwam terug met <b>twee</b> anderen"


async def _with_notes(make_site: MakeSite, **settings: object) -> tuple[Served, NotesPage]:
    notes = NotesPage()
    site = await make_site(routes=notes.add_to, **settings)
    return site, notes


async def _post_note(site: Served, token: str | None, note: str) -> web.StreamResponse:
    data = {"note": note, "_return": "/console/proef"} | ({"_csrf": token} if token else {})
    return await site.client.post("/console/proef/notitie", data=data, allow_redirects=False)


async def test_a_page_sends_to_sign_in_and_back_and_shows_who_and_until_when(
    make_site: MakeSite,
) -> None:
    site, _ = await _with_notes(make_site)
    status, _ = await site.page("/console/proef?x=1")
    response = await site.client.get("/console/proef?x=1", allow_redirects=False)
    assert status == 303
    assert response.headers["Location"] == "/signin?next=%2Fconsole%2Fproef%3Fx%3D1"
    await site.sign_in_locally("fatima", back="/console/proef?x=1")
    status, html = await site.page("/console/proef?x=1")
    assert status == 200
    assert "Ingelogd als Fatima" in html
    assert "Je sessie loopt af om 10:30" in html, "09:00 UTC is 10:00 in Amsterdam, +30 minutes"
    assert 'action="/signout"' in html


async def test_the_wrong_role_gets_a_403_page(make_site: MakeSite) -> None:
    site, _ = await _with_notes(make_site)
    for persona in ("sanne", "analist", "beheerder"):
        await site.sign_in_locally(persona)
        status, html = await site.page("/console/proef")
        assert status == 403 and "Hier heb je geen toegang toe" in html, persona
        token = await site.token("/koppelen")
        refused = await _post_note(site, token, "toch")
        assert refused.status == 403, persona


async def test_a_post_without_the_sessions_token_is_refused(make_site: MakeSite) -> None:
    site, notes = await _with_notes(make_site)
    await site.sign_in_locally("coordinator")
    other_token = await site.token("/console/proef")
    await site.sign_in_locally("fatima")
    for token in (None, "", "verzonnen", other_token):
        refused = await _post_note(site, token, "niet zo")
        assert refused.status == 403 and "verouderd" in await refused.text(), token
    assert notes.notes == []
    saved = await _post_note(site, await site.token("/console/proef"), STORY)
    assert saved.status == 303 and notes.notes == [STORY]
    _status, html = await site.page("/console/proef")
    assert "&lt;b&gt;twee&lt;/b&gt;" in html and "<b>twee</b>" not in html, "escaped"


async def test_a_form_posted_after_expiry_is_kept_over_signing_in_again(
    make_site: MakeSite,
) -> None:
    site, notes = await _with_notes(make_site)
    await site.sign_in_locally("fatima", back="/console/proef")
    token = await site.token("/console/proef")
    site.clock.advance(minutes=31)  # idle: the session has run out while typing
    parked = await _post_note(site, token, STORY)
    assert parked.status == 303
    assert parked.headers["Location"] == "/signin?next=%2Fconsole%2Fproef&verlopen=1"
    assert "meldbot-formulier=" in parked.headers.get("Set-Cookie", "")
    assert notes.notes == [], "nothing is sent while signed out"
    async with site.runtime.database.engine.connect() as connection:
        dump = repr((await connection.execute(text("SELECT * FROM dialog_states"))).all())
    assert "twee" not in dump, "kept sealed"
    status, html = await site.page("/signin?next=%2Fconsole%2Fproef&verlopen=1")
    assert "Je sessie is verlopen" in html
    await site.sign_in_locally("fatima", back="/console/proef")
    status, html = await site.page("/console/proef")
    assert status == 200 and "Half af: de bezoeker kwam terug met &lt;b&gt;twee" in html
    assert "staat er nog" in html
    assert notes.notes == []
    status, html = await site.page("/console/proef")
    assert "Half af" not in html, "once"


async def test_a_kept_form_is_shown_only_to_the_person_who_typed_it(make_site: MakeSite) -> None:
    site, _ = await _with_notes(make_site)
    await site.sign_in_locally("fatima", back="/console/proef")
    token = await site.token("/console/proef")
    site.clock.advance(hours=9)  # past the session's length
    assert (await _post_note(site, token, STORY)).status == 303
    await site.sign_in_locally("coordinator", back="/console/proef")
    status, html = await site.page("/console/proef")
    assert status == 200 and "Half af" not in html and "staat er nog" not in html


async def test_an_expired_session_with_a_forged_token_keeps_nothing(make_site: MakeSite) -> None:
    site, _ = await _with_notes(make_site)
    await site.sign_in_locally("fatima", back="/console/proef")
    site.clock.advance(minutes=31)
    refused = await _post_note(site, "verzonnen", STORY)
    assert refused.status == 403
    assert "meldbot-formulier" not in refused.headers.get("Set-Cookie", "")


def pretend_remote(address: str) -> Callable[..., Awaitable[web.StreamResponse]]:
    """As if the request came from ``address``: what a proxy in front would pass on."""

    @web.middleware
    async def elsewhere(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        return await handler(request.clone(remote=address))

    return elsewhere


async def test_the_demo_sign_in_is_refused_from_beyond_this_machine(make_site: MakeSite) -> None:
    site = await make_site()
    token = await site.token("/signin")
    for headers in ({"Host": "meldbot.example.org"}, {"Host": "192.0.2.2:3978"}):
        page = await site.client.get("/signin", headers=headers)
        assert page.status == 403 and "alleen op de computer" in await page.text()
        data = {"_csrf": token, "persona": "fatima"}
        post = await site.client.post("/signin/local", data=data, headers=headers)
        assert post.status == 403
    remote = await make_site(before=[pretend_remote("203.0.113.9")])
    page = await remote.client.get("/signin")
    assert page.status == 403 and "alleen op de computer" in await page.text()
    ipv6 = await make_site(before=[pretend_remote("::1")])
    assert (await ipv6.client.get("/signin")).status == 200, "::1 is this machine too"


async def test_with_a_sign_in_configured_there_is_no_demo_sign_in(make_site: MakeSite) -> None:
    site = await make_site(signin=signin_config("http://127.0.0.1:9"))
    status, html = await site.page("/signin")
    assert status == 200 and "Log in met je account van Gemeente Voorbeeld" in html
    assert "Inloggen als" not in html
    post = await site.client.post("/signin/local", data={"persona": "fatima"})
    assert post.status in {403, 404}
    unreachable = await site.client.get("/signin/start", allow_redirects=False)
    assert unreachable.status == 502 and "niet bereikbaar" in await unreachable.text()


async def test_at_a_public_address_without_a_sign_in_nobody_can_sign_in(
    make_site: MakeSite,
) -> None:
    """A chat-only deployment keeps running; the demo sign-in, where anyone can be anyone,
    is just not offered beyond this machine."""
    site = await make_site(public_url="https://meldbot.example.org")
    status, html = await site.page("/signin")
    assert status == 200 and "Inloggen als" not in html, html
    local = await make_site()  # the same on this machine offers the demo personas
    assert "Inloggen als" in (await local.page("/signin"))[1]


async def test_the_demo_sign_in_needs_its_own_form_token(make_site: MakeSite) -> None:
    site = await make_site()
    await site.token("/signin")
    for token in (None, "verzonnen"):
        data = {"persona": "fatima"} | ({"_csrf": token} if token else {})
        refused = await site.client.post("/signin/local", data=data, allow_redirects=False)
        assert refused.status == 403


@pytest.mark.parametrize("back", ["//evil.example/x", "https://evil.example", "/\\evil", "x"])
async def test_after_signing_in_the_browser_stays_on_this_site(
    make_site: MakeSite, back: str
) -> None:
    site = await make_site()
    token = await site.token("/signin")
    response = await site.client.post(
        "/signin/local",
        data={"_csrf": token, "persona": "fatima", "next": back},
        allow_redirects=False,
    )
    assert response.status == 303 and response.headers["Location"] == "/console/"


async def test_cookies_are_secure_when_meldbot_is_served_over_https(make_site: MakeSite) -> None:
    site = await make_site(public_url="https://meldbot.example.org")
    page = await site.client.get("/signin")
    cookie = page.headers["Set-Cookie"]
    assert cookie.startswith("__Host-meldbot-inloggen=") and "Secure" in cookie
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie


SECURITY = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


async def test_every_response_carries_the_security_headers(make_site: MakeSite) -> None:
    site, _ = await _with_notes(make_site)
    responses = [
        await site.client.get("/signin"),
        await site.client.get("/console/proef", allow_redirects=False),
        await site.client.get("/console/bestaat-niet"),
        await site.client.post("/console/proef/notitie", data={"note": "x"}),
        await site.client.get("/healthz"),
    ]
    await site.sign_in_locally("fatima")
    responses.append(await _post_note(site, "verzonnen", "x"))
    responses.append(await site.client.get("/console/proef"))
    for response in responses:
        for name, value in SECURITY.items():
            assert response.headers.get(name) == value, (response.url, name)
        policy = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "'unsafe-inline'" not in policy
        assert response.headers["Cache-Control"] == "no-store", response.url
    assert [r.status for r in responses] == [200, 303, 404, 200, 200, 403, 200]


async def test_the_nl_design_system_css_is_served_with_long_caching(make_site: MakeSite) -> None:
    site = await make_site()
    _status, html = await site.page("/signin")
    sheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert [s.rsplit("/", 1)[1] for s in sheets] == [
        "utrecht.css",
        "voorbeeld-theme.css",
        "site.css",
    ], "run scripts/nlds-assets"
    for sheet in sheets:
        response = await site.client.get(sheet)
        assert response.status == 200 and response.content_type == "text/css"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert ".utrecht-button" in await (await site.client.get(sheets[0])).text()
    assert ".voorbeeld-theme" in await (await site.client.get(sheets[1])).text()
    stale = sheets[0].replace("/site/assets/", "/site/assets/0").rsplit("/", 2)
    assert (await site.client.get("/".join(stale))).status == 404
    assert 'class="voorbeeld-theme utrecht-document' in html


async def test_the_language_can_be_switched_and_is_remembered(make_site: MakeSite) -> None:
    site = await make_site()
    status, html = await site.page("/signin?taal=en")
    assert status == 200 and "Sign in (demo)" in html and 'lang="en"' in html
    _, html = await site.page("/signin")
    assert "Sign in (demo)" in html, "remembered"
    _, html = await site.page("/signin?taal=nl")
    assert "Inloggen (demo)" in html and 'html lang="nl"' in html
