"""Per request: the session the browser named, the language, and safe redirects."""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web
from multidict import MultiDictProxy

from bot.access.models import Principal, StoredSession
from bot.access.sessions import Found

# The request's session, active or ended, or None when the browser named none.
FOUND = web.RequestKey[Found | None]("meldbot.site.found")
LANGUAGE = web.RequestKey("meldbot.site.language", str)
# The form of a POST to a path that takes files, as the site read it (see ``posted``).
POSTED = web.RequestKey[MultiDictProxy[str | bytes | bytearray | web.FileField]](
    "meldbot.site.posted"
)
HOME = "/console/"


async def posted(request: web.Request) -> MultiDictProxy[str | bytes | bytearray | web.FileField]:
    """The POST's form: as the site read it for a path that takes files, else as usual."""
    form = request.get(POSTED)
    return form if form is not None else await request.post()


def found_of(request: web.Request) -> Found | None:
    return request.get(FOUND)


def session_of(request: web.Request) -> StoredSession | None:
    """The request's active session, or None."""
    found = found_of(request)
    return found.session if found is not None and found.active else None


def principal_of(request: web.Request) -> Principal | None:
    """Who is signed in for this request, or None."""
    session = session_of(request)
    return session.principal if session is not None else None


def signed_in(request: web.Request) -> Principal:
    """Who is signed in, on a page ``require`` guards (it lets only the signed-in through)."""
    principal = principal_of(request)
    assert principal is not None
    return principal


def safe_back(value: object, default: str = HOME) -> str:
    """A path on this site to return to; anything else (another site, ``//host``) is not."""
    if not isinstance(value, str) or not value.startswith("/") or len(value) > 2000:
        return default
    if value.startswith(("//", "/\\")) or any(ord(c) < 32 or c == "\\" for c in value):
        return default
    return value


def see_other(location: str) -> web.Response:
    """303: the browser goes on with a GET (after a form, or to sign in)."""
    return web.Response(status=303, headers={"Location": location})


def pre_csrf(token: str) -> str:
    """The form token of a page shown before any session (the demo sign-in), derived from
    the pre-session cookie: a cross-site page can read neither."""
    return hashlib.sha256(f"meldbot pre-session form:{token}".encode()).hexdigest()


def same_secret(given: object, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given.encode(), expected.encode())
