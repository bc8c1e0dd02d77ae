"""Server-side sessions for meldbot's own pages.

The browser holds a random token; the database only its SHA-256, beside the principal
(sealed), a CSRF secret for the session's forms, and two ends: its length from sign-in
and an idle timeout that every request pushes on. A session that ended is kept a while
longer, unusable, so that someone who comes back to a half-filled form can be told their
session ran out — and their form can be kept for them — before housekeeping deletes it.
Signing out deletes it at once.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot.access.models import Principal, StoredSession
from bot.access.pending import new_token, token_hash
from bot.ports import Storage

KEPT_AFTER_END = timedelta(hours=12)
# Every request pushes the idle end on; writing that more often than this is no use.
TOUCH_EVERY = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class SessionTimes:
    length: timedelta = timedelta(hours=8)
    idle: timedelta = timedelta(minutes=30)


@dataclass(frozen=True, slots=True)
class Found:
    """A session the browser named: ``active``, or ended (kept only to recognise its person)."""

    session: StoredSession
    active: bool


@dataclass(slots=True)
class Sessions:
    storage: Storage
    clock: Callable[[], datetime]
    times: SessionTimes = SessionTimes()

    async def start(self, principal: Principal) -> tuple[str, StoredSession]:
        """A new session; returns the token for the cookie (never stored) and the session."""
        now = self.clock()
        token = new_token()
        session = StoredSession(
            principal=principal,
            csrf=secrets.token_urlsafe(32),
            created_at=now,
            last_seen_at=now,
            idle_until=now + self.times.idle,
            expires_at=now + self.times.length,
        )
        async with self.storage.transaction() as tx:
            await tx.sessions.create(token_hash(token), session)
            await tx.audit.record(principal.key, "signin", now)
        return token, session

    async def find(self, token: str) -> Found | None:
        """The session behind ``token``; an active one is pushed on (its idle end)."""
        if not token or len(token) > 200:
            return None
        now = self.clock()
        key = token_hash(token)
        async with self.storage.transaction() as tx:
            session = await tx.sessions.get(key)
            if session is None:
                return None
            if session.ends_at <= now:
                return Found(session, active=False)
            if now - session.last_seen_at >= TOUCH_EVERY:
                idle_until = now + self.times.idle
                await tx.sessions.touch(key, now, idle_until)
                session = replace(session, last_seen_at=now, idle_until=idle_until)
        return Found(session, active=True)

    async def end(self, token: str) -> None:
        """Signing out: the session is deleted at once."""
        if not token or len(token) > 200:
            return
        async with self.storage.transaction() as tx:
            session = await tx.sessions.get(token_hash(token))
            if session is None:
                return
            await tx.sessions.delete(token_hash(token))
            await tx.audit.record(session.principal.key, "signout", self.clock())

    async def purge(self) -> int:
        """Deletes the sessions that ended longer than ``KEPT_AFTER_END`` ago."""
        async with self.storage.transaction() as tx:
            return await tx.sessions.purge(self.clock() - KEPT_AFTER_END)
