"""Request checks for a local-only surface: local Host, same Origin, small JSON bodies.

The CLI binds the web chat to 127.0.0.1, but a browser on the same machine can still be
pointed at it by any web page. So: every request must name a local host (against DNS
rebinding), every state-changing request must come from this page's own origin (against
cross-site requests), and bodies are read only up to a small cap.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from aiohttp import web

from bot.text import encodable

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MAX_BODY = 64 * 1024

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' https:",
        "connect-src 'self'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


class BodyTooLarge(Exception):
    pass


class BadBody(Exception):
    pass


def _hostname(netloc: str) -> str:
    try:
        return (urlsplit(f"//{netloc}").hostname or "").lower()
    except ValueError:
        return ""


def local_host(request: web.Request) -> bool:
    return _hostname(request.host) in LOCAL_HOSTS


def same_origin(request: web.Request) -> bool:
    """The request's Origin is this very page (scheme http(s), same host and port)."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    try:
        parts = urlsplit(origin)
    except ValueError:
        return False
    return parts.scheme in {"http", "https"} and parts.netloc.lower() == request.host.lower()


async def read_json(request: web.Request) -> object:
    """The JSON body, read at most ``MAX_BODY`` bytes far."""
    if request.content_type != "application/json":
        raise BadBody("content type")
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise BodyTooLarge
    body = bytearray()
    while chunk := await request.content.read(MAX_BODY + 1 - len(body)):
        body += chunk
        if len(body) > MAX_BODY:
            raise BodyTooLarge
    try:
        loaded = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        # RecursionError: nested deeper than a reader can follow
        raise BadBody("json") from error
    if not encodable(loaded):
        raise BadBody("text")
    return loaded
