"""Who may do what: roles, and the people signed in on meldbot's own web surfaces.

A person acts from a chat button (an ``Actor``: a platform id) or from the console (a
``Principal``: an identity from the organisation's sign-in). Both are ``Acting``, and the
core checks either the same way, so one person has one set of rights everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.events import Actor


class Role(StrEnum):
    COORDINATOR = "coordinator"  # works cases (restricted ones only when named)
    ANALYST = "analyst"  # aggregates and registry exports, never a case
    ADMIN = "admin"  # audit log, retention, data-subject requests
    MANAGER = "manager"  # only the cases they were invited to, with the reporter's consent
    CONFIDANT = "confidant"  # the vertrouwenspersoon: only the reports addressed to them


@dataclass(frozen=True, slots=True)
class Principal:
    """Someone signed in on meldbot's own surfaces; ``subject`` is the identity provider's
    stable id (``local:<persona>`` for the embedded default's demo sign-in)."""

    subject: str
    name: str
    roles: frozenset[Role] = frozenset()
    email: str | None = None

    @property
    def key(self) -> str:
        return f"console:{self.subject}"

    @property
    def display(self) -> str:
        return self.name

    def has(self, role: Role) -> bool:
        return role in self.roles


Acting = Actor | Principal
"""Whoever acts on a case: from a chat (an ``Actor``) or from the console (a ``Principal``)."""


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A session as kept: who, the CSRF secret of its forms, and when it ends — at
    ``expires_at`` (its length) or ``idle_until`` (no request for a while), the earlier."""

    principal: Principal
    csrf: str
    created_at: datetime
    last_seen_at: datetime
    idle_until: datetime
    expires_at: datetime

    @property
    def ends_at(self) -> datetime:
        return min(self.idle_until, self.expires_at)


@dataclass(frozen=True, slots=True)
class ConsoleIdentity:
    """Someone as they were at their last sign-in."""

    principal: Principal
    signed_in_at: datetime
