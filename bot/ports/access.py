"""Who signs in, which chat identities are theirs, and the audit log of what they did."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol

from bot.access.models import ConsoleIdentity, Principal, StoredSession
from bot.audit.models import AuditEntry


class AuditLog(Protocol):
    """Append-only: entries are written and read, never changed or deleted."""

    async def record(
        self,
        actor: str,
        action: str,
        now: datetime,
        *,
        actor_name: str | None = None,
        case_id: int | None = None,
        reference: str | None = None,
        consultation_id: int | None = None,
        detail: str | None = None,
    ) -> None: ...

    async def of_case(self, reference: str) -> list[AuditEntry]:
        """Every entry about the case with this reference, oldest first (also once the
        case is deleted)."""
        ...

    async def between(self, start: datetime, end: datetime) -> list[AuditEntry]:
        """Every entry in [start, end), oldest first."""
        ...


class SessionStore(Protocol):
    """Signed-in sessions by the SHA-256 of their token; the principal and CSRF secret sealed."""

    async def create(self, token_hash: str, session: StoredSession) -> None: ...

    async def get(self, token_hash: str) -> StoredSession | None: ...

    async def touch(self, token_hash: str, now: datetime, idle_until: datetime) -> None: ...

    async def delete(self, token_hash: str) -> None: ...

    async def purge(self, ended_before: datetime) -> int:
        """Deletes the sessions that ended before ``ended_before``."""
        ...


class IdentityLinks(Protocol):
    """Console identities (by a keyed hash of their subject) and the chat identities
    linked to them (by a keyed hash of ``platform:user_id``)."""

    async def remember(self, subject_hash: str, principal: Principal, now: datetime) -> None:
        """Who signed in, with the roles they had then."""
        ...

    async def identity(self, subject_hash: str) -> ConsoleIdentity | None: ...

    async def signed_in_since(self, since: datetime) -> list[ConsoleIdentity]:
        """Everyone who signed in at ``since`` or later, by name."""
        ...

    async def link(
        self, chat_hash: str, chat_key: str, subject_hash: str, how: str, today: date
    ) -> None:
        """The chat identity belongs to this console identity (from now on only to it)."""
        ...

    async def identity_of_chat(self, chat_hash: str) -> ConsoleIdentity | None: ...

    async def chats(self, subject_hash: str) -> list[str]:
        """The chat identities (``platform:user_id``) linked to a console identity."""
        ...

    async def unlink(self, chat_hash: str) -> None: ...
