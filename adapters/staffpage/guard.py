"""What the page checks before it believes a request: the Host, the origin of a POST, how
often one anonymous visit may post, and that a form is sent only once.

All of it is kept in memory, keyed by the random session id of a visit (never an IP
address or a browser's name), and forgotten when the visit's tokens have run out. A
visit's id lives only in its own page, so nobody can use up someone else's tries.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import web
from yarl import URL

from adapters.staffpage.tokens import TOKEN_TTL

POSTS_PER_VISIT = 30  # in one token lifetime: plenty for a person, little for a script
MAX_VISITS = 10_000


class Guard:
    def __init__(self, public_url: str, clock: Callable[[], datetime]) -> None:
        url = URL(public_url)
        self.origin = f"{url.scheme}://{url.host}" + (
            f":{url.port}" if url.port and not url.is_default_port() else ""
        )
        self.host = url.host_port_subcomponent or url.host or ""
        self._clock = clock
        self._posts: dict[str, list[datetime]] = {}
        self._sent: dict[str, datetime] = {}  # nonce -> until when it counts as sent

    def right_host(self, request: web.Request) -> bool:
        """The Host the organisation published; a missing or foreign one is refused."""
        return request.headers.get("Host", "").lower() == self.host.lower()

    def same_origin(self, request: web.Request) -> bool:
        """A form from meldbot's own page. With ``Referrer-Policy: no-referrer`` a browser
        sends ``Origin: null`` on its own forms, so Sec-Fetch-Site decides then."""
        origin = request.headers.get("Origin")
        if origin not in (None, "null"):
            return origin == self.origin
        return request.headers.get("Sec-Fetch-Site", "same-origin") in ("same-origin", "none")

    def may_post(self, session: str) -> bool:
        """Counts this POST for the visit; False once it posted too often."""
        now = self._clock()
        recent = [t for t in self._posts.get(session, []) if now - t < TOKEN_TTL]
        if len(recent) >= POSTS_PER_VISIT:
            return False
        recent.append(now)
        self._posts[session] = recent
        self._forget_old(now)
        return True

    def already_sent(self, nonce: str) -> bool:
        return nonce in self._sent

    def mark_sent(self, nonce: str) -> None:
        self._sent[nonce] = self._clock() + TOKEN_TTL + timedelta(minutes=1)

    def forget_sent(self, nonce: str) -> None:
        """The core did not take the form (a refusal): it may be sent again."""
        self._sent.pop(nonce, None)

    def _forget_old(self, now: datetime) -> None:
        if len(self._posts) > MAX_VISITS:
            self._posts = {s: ts for s, ts in self._posts.items() if now - ts[-1] < TOKEN_TTL}
        self._sent = {n: until for n, until in self._sent.items() if until > now}
