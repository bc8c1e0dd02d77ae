"""Sessions, console identities and their links to chat identities (``bot.ports``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.access.models import ConsoleIdentity, Principal, Role, StoredSession
from storage.models import ConsoleIdentityRow, IdentityLinkRow, SessionRow
from storage.sealing import Sealer
from storage.upsert import upsert


def _principal_json(principal: Principal) -> dict[str, Any]:
    return {
        "subject": principal.subject,
        "name": principal.name,
        "email": principal.email,
        "roles": sorted(principal.roles),
    }


def _principal(data: dict[str, Any]) -> Principal:
    roles = frozenset(Role(role) for role in data["roles"] if role in Role.__members__.values())
    return Principal(data["subject"], data["name"], roles, data.get("email"))


class SqlSessions:
    """Implements ``bot.ports.SessionStore``."""

    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def create(self, token_hash: str, session: StoredSession) -> None:
        self._session.add(
            SessionRow(
                token_hash=token_hash,
                principal_sealed=self._sealer.seal_json(_principal_json(session.principal)),
                csrf_sealed=self._sealer.seal(session.csrf),
                created_at=session.created_at,
                last_seen_at=session.last_seen_at,
                idle_until=session.idle_until,
                expires_at=session.expires_at,
            )
        )
        await self._session.flush()

    async def get(self, token_hash: str) -> StoredSession | None:
        row = await self._session.get(SessionRow, token_hash)
        if row is None:
            return None
        csrf = self._sealer.unseal(row.csrf_sealed)
        assert csrf is not None
        return StoredSession(
            principal=_principal(self._sealer.unseal_json(row.principal_sealed)),
            csrf=csrf,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            idle_until=row.idle_until,
            expires_at=row.expires_at,
        )

    async def touch(self, token_hash: str, now: datetime, idle_until: datetime) -> None:
        await self._session.execute(
            update(SessionRow)
            .where(SessionRow.token_hash == token_hash)
            .values(last_seen_at=now, idle_until=idle_until)
        )

    async def delete(self, token_hash: str) -> None:
        await self._session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))

    async def purge(self, ended_before: datetime) -> int:
        ended = or_(SessionRow.idle_until < ended_before, SessionRow.expires_at < ended_before)
        result = await self._session.execute(delete(SessionRow).where(ended))
        return int(result.rowcount)  # type: ignore[attr-defined]


class SqlIdentityLinks:
    """Implements ``bot.ports.IdentityLinks``."""

    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def _upsert(self, row: type[Any], key: str, values: dict[str, Any]) -> None:
        """One statement: two instances may see the same person at once."""
        statement = upsert(self._session)(row).values(**values)
        changed = {name: value for name, value in values.items() if name != key}
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=[key], set_=changed)
        )

    async def remember(self, subject_hash: str, principal: Principal, now: datetime) -> None:
        sealed = self._sealer.seal_json(_principal_json(principal))
        values = {"subject_hash": subject_hash, "principal_sealed": sealed, "signed_in_at": now}
        await self._upsert(ConsoleIdentityRow, "subject_hash", values)

    async def identity(self, subject_hash: str) -> ConsoleIdentity | None:
        row = await self._session.get(ConsoleIdentityRow, subject_hash)
        return None if row is None else self._identity(row)

    async def signed_in_since(self, since: datetime) -> list[ConsoleIdentity]:
        rows = await self._session.scalars(
            select(ConsoleIdentityRow).where(ConsoleIdentityRow.signed_in_at >= since)
        )
        found = [self._identity(row) for row in rows]
        return sorted(found, key=lambda identity: identity.principal.name.casefold())

    def _identity(self, row: ConsoleIdentityRow) -> ConsoleIdentity:
        principal = _principal(self._sealer.unseal_json(row.principal_sealed))
        return ConsoleIdentity(principal, row.signed_in_at)

    async def link(
        self, chat_hash: str, chat_key: str, subject_hash: str, how: str, today: date
    ) -> None:
        values = {
            "chat_hash": chat_hash,
            "subject_hash": subject_hash,
            "chat_sealed": self._sealer.seal(chat_key),
            "how": how,
            "linked_on": today,
        }
        await self._upsert(IdentityLinkRow, "chat_hash", values)

    async def identity_of_chat(self, chat_hash: str) -> ConsoleIdentity | None:
        row = await self._session.scalar(
            select(ConsoleIdentityRow)
            .join(IdentityLinkRow, IdentityLinkRow.subject_hash == ConsoleIdentityRow.subject_hash)
            .where(IdentityLinkRow.chat_hash == chat_hash)
        )
        return None if row is None else self._identity(row)

    async def chats(self, subject_hash: str) -> list[str]:
        sealed = await self._session.scalars(
            select(IdentityLinkRow.chat_sealed)
            .where(IdentityLinkRow.subject_hash == subject_hash)
            .order_by(IdentityLinkRow.chat_hash)
        )
        return [key for key in (self._sealer.unseal(value) for value in sealed) if key]

    async def unlink(self, chat_hash: str) -> None:
        await self._session.execute(
            delete(IdentityLinkRow).where(IdentityLinkRow.chat_hash == chat_hash)
        )
