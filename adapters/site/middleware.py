"""Every request to the site's paths: language, session, CSRF on every POST, a form kept
when the session ran out halfway, and the kit's own error pages.

A POST is checked before any handler sees it:

- with an active session, its ``_csrf`` field must be the session's secret (else 403);
- with a session that has ended, the secret must be that session's; then the fields are
  kept (sealed, for an hour) and the browser goes to sign in, and back to the page the
  form was on (``_return``), where ``render`` fills the form in again;
- without any session there is nothing to protect: the browser goes to sign in;
- the pages shown before any session (the demo sign-in) carry a token derived from the
  pre-session cookie instead;
- the pages for anonymous visitors (``site.serve_under(..., anonymous=...)``) check their
  own token: no session and no cookie there, not even the language's.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.typedefs import Middleware
from multidict import MultiDictProxy

from adapters.site.requests import (
    FOUND,
    LANGUAGE,
    POSTED,
    found_of,
    pre_csrf,
    safe_back,
    same_secret,
    see_other,
)
from adapters.site.site import YEAR_SECONDS, Site
from bot.access.sessions import Found
from bot.i18n import N_

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PRE_SESSION_POSTS = frozenset({"/signin/local"})
SIGN_OUT = "/signout"
CSRF_REFUSED = N_(
    "This form is out of date or did not come from meldbot. Open the page again and retry."
)


def site_middleware(site: Site) -> Middleware:
    @web.middleware
    async def handle(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not site.owns(request.path):
            return await handler(request)
        try:
            return await _handle(request, handler)
        except web.HTTPException:
            raise
        except Exception as error:
            # Most often the database is out of reach. The kind only: a database error's
            # text can carry the values it was storing.
            log.error(
                "site: %s %s failed (%s)", request.method, route_of(request), type(error).__name__
            )
            request[FOUND] = None
            return await site.unavailable(request)

    async def _handle(request: web.Request, handler: Handler) -> web.StreamResponse:
        request[LANGUAGE] = site.language_of(request)
        # An anonymous page does not look at a session this browser may have: nothing of
        # the visit is tied to who is signed in (not even a session's last activity).
        anonymous = site.anonymous_at(request.path) is not None
        token = None if anonymous else request.cookies.get(site.cookies.session)
        request[FOUND] = await site.sessions.find(token) if token else None
        try:
            if request.method == "POST":
                refused = await _check_post(site, request)
                if refused is not None:
                    return refused
            response = await handler(request)
        except web.HTTPException as error:
            if error.status < 400:
                raise
            return await site.error(request, error.status)
        # An anonymous page sets no cookie, not even for the language (it stays in the URL).
        if request.query.get("taal") == request[LANGUAGE] and not anonymous:
            site.cookies.set(response, site.cookies.language, request[LANGUAGE], YEAR_SECONDS)
        return response

    return handle


def route_of(request: web.Request) -> str:
    """The route's pattern (``/console/zaken/{reference}``), never the address itself."""
    resource = request.match_info.route.resource
    return resource.canonical if resource is not None else "(no route)"


async def _form(
    site: Site, request: web.Request
) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    limit = site.uploads.get(request.path)
    try:
        if limit is None:
            return await request.post()
        # A path that takes files reads a larger body, once; the handler gets it (``posted``).
        form = await request.clone(client_max_size=limit).post()
        request[POSTED] = form
        return form
    except ValueError:
        raise web.HTTPBadRequest from None


async def _check_post(site: Site, request: web.Request) -> web.StreamResponse | None:
    """None when the handler may go on; else the answer instead of it."""
    form = await _form(site, request)
    anonymous = site.anonymous_at(request.path)
    if anonymous is not None:
        return await anonymous.check(request, form)
    given = form.get("_csrf")
    if request.path in PRE_SESSION_POSTS:
        pre = request.cookies.get(site.cookies.signin, "")
        if pre and same_secret(given, pre_csrf(pre)):
            return None
        return await site.error(request, 403, reason=CSRF_REFUSED)
    found: Found | None = found_of(request)
    back = safe_back(form.get("_return"))
    if found is None:
        if request.path == SIGN_OUT:
            return None  # nothing to end; the handler sends them on
        return see_other(site.sign_in_url(back))
    if not same_secret(given, found.session.csrf):
        return await site.error(request, 403, reason=CSRF_REFUSED)
    if found.active or request.path == SIGN_OUT:
        return None
    fields = [(name, value) for name, value in form.items() if isinstance(value, str)]
    fields = [(name, value) for name, value in fields if name not in {"_csrf", "_return"}]
    token = await site.park(found.session, request.path, back, fields)
    response = see_other(site.sign_in_url(back, expired=True))
    site.cookies.set(response, site.cookies.form, token, max_age=3600)
    return response
