"""Security headers for every response, and the cookies of meldbot's own pages.

Strict CSP: nothing inline, no script at all on these pages (every action is a form),
styles only from meldbot itself, no framing. Cookies are ``HttpOnly; SameSite=Lax`` and
``Secure`` unless meldbot runs on plain http on this machine (the embedded default).
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # the NL Design System CSS draws its icons as data: SVGs
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
LONG_CACHE = "public, max-age=31536000, immutable"


async def add_security_headers(_request: web.Request, response: web.StreamResponse) -> None:
    """On every response of the application; a handler's own value wins (the web chat
    has its own policy, assets their long caching)."""
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)


@dataclass(frozen=True, slots=True)
class Cookies:
    """Names and flags of the kit's cookies. ``secure``: the ``__Host-`` prefix too, which
    a browser only accepts over https, for the root path, with no domain."""

    secure: bool

    def name(self, base: str) -> str:
        return f"__Host-meldbot-{base}" if self.secure else f"meldbot-{base}"

    @property
    def session(self) -> str:
        return self.name("sessie")

    @property
    def signin(self) -> str:
        return self.name("inloggen")

    @property
    def form(self) -> str:
        return self.name("formulier")

    @property
    def language(self) -> str:
        return self.name("taal")

    def set(
        self, response: web.StreamResponse, name: str, value: str, max_age: int | None = None
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path="/",
            secure=self.secure,
            httponly=True,
            samesite="Lax",
        )

    def clear(self, response: web.StreamResponse, name: str) -> None:
        response.del_cookie(name, path="/", secure=self.secure, httponly=True, samesite="Lax")
