"""Finding and forgetting one person: every query that looks rows up by a person's
identity is here (bot/privacy asks through it), so that a change in how identities are
stored changes this module only.

Forgetting blanks a sealed name by sealing an empty text (the columns that may not be
empty) or emptying it. A closed case a reporter asks to erase becomes its tombstone,
as at the end of its retention (storage/retention.py).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import fields
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.access.models import ConsoleIdentity, Principal, Role
from bot.audit.models import AuditEntry
from storage.models import (
    AangifteRow,
    AddressRow,
    AuditRow,
    BanRecordRow,
    CaseEventRow,
    CaseRow,
    ConsoleIdentityRow,
    ConsultationEntryRow,
    ConsultationRow,
    DialogStateRow,
    ExternalReportRow,
    IdentityLinkRow,
    ManagerInvitationRow,
    ManagerLetterRow,
    MeasureRow,
    MeasureStepRow,
    ProposalRow,
    SessionRow,
)
from storage.sealing import Sealer
from storage.search_index import Hashes

# Every sealed column that holds a person's name, by how its rows reach a case.
NAMES_BY_CASE: tuple[InstrumentedAttribute[Any], ...] = (
    CaseEventRow.actor_name_sealed,
    MeasureRow.carried_out_by_sealed,
    ProposalRow.asked_by_sealed,
    AangifteRow.recorded_by_sealed,
    ExternalReportRow.made_by_sealed,
    ExternalReportRow.recorded_by_sealed,
    ManagerInvitationRow.invited_by_sealed,
    ManagerLetterRow.sent_by_sealed,
)
NAMES_BY_MEASURE: tuple[InstrumentedAttribute[Any], ...] = (
    MeasureStepRow.actor_name_sealed,
    BanRecordRow.actor_name_sealed,
)
# Audit actions that only read: seeing a case in a list does not make it "theirs".
READS = (
    "open", "read", "list", "search", "download", "audit.read", "aangifte.read",
    "consultation.read",
)  # fmt: skip


CHUNK = 500  # ids per IN list: well within every backend's limit on parameters


def _chunks(ids: list[Any]) -> list[list[Any]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


class SqlPersonRecords:
    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes  # for look-ups by ``Hashes.person`` once identities are sealed

    # -- finding -------------------------------------------------------------------------

    async def reported(self, platform: str, user_id: str) -> list[int]:
        """The cases this chat identity reported under its name, oldest first."""
        return await self._ids(
            select(CaseRow.id).where(
                CaseRow.reporter_platform == platform, CaseRow.reporter_user_id == user_id
            )
        )

    async def handled(self, key: str) -> list[int]:
        """The cases this person handles or handled, or changed (their audit entries)."""
        handles = select(CaseRow.id).where(CaseRow.handler_id == key)
        acted = select(AuditRow.case_id).where(
            AuditRow.actor == key, AuditRow.case_id.is_not(None), AuditRow.action.not_in(READS)
        )
        return sorted(set(await self._ids(handles)) | set(await self._ids(acted)))

    async def names_used(self, key: str) -> set[str]:
        """The names this person acted under: as a case's handler, in the audit log."""
        handler = select(CaseRow.handler_name).where(CaseRow.handler_id == key)
        audit = select(AuditRow.actor_name).where(AuditRow.actor == key)
        found = set(await self._session.scalars(handler)) | set(await self._session.scalars(audit))
        return {name for name in found if name}

    async def audit_of(self, key: str) -> list[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow).where(AuditRow.actor == key).order_by(AuditRow.id)
        )
        names = [field.name for field in fields(AuditEntry)]
        return [AuditEntry(**{name: getattr(row, name) for name in names}) for row in rows]

    async def answered(self, key: str) -> list[int]:
        """The anonymous consultations this coordinator answered or closed (their audit
        entries), or that name them as the one who answered."""
        acted = select(AuditRow.consultation_id).where(
            AuditRow.actor == key,
            AuditRow.consultation_id.is_not(None),
            AuditRow.action.not_in(READS),
        )
        named = select(ConsultationRow.id).where(
            ConsultationRow.answered_by.in_(await self.names_used(key))
        )
        return sorted(set(await self._ids(acted)) | set(await self._ids(named)))

    async def console_identity(self, subject: str) -> ConsoleIdentity | None:
        for row in await self._session.scalars(select(ConsoleIdentityRow)):
            data = self._sealer.unseal_json(row.principal_sealed)
            if data.get("subject") == subject:
                roles = frozenset(Role(r) for r in data["roles"] if r in set(Role))
                principal = Principal(subject, data["name"], roles, data.get("email"))
                return ConsoleIdentity(principal, row.signed_in_at)
        return None

    async def linked_chats(self, subject: str) -> list[str]:
        """The chat identities linked to this console identity (sealed, opened)."""
        chats = await self._session.scalars(
            select(IdentityLinkRow.chat_sealed).where(
                IdentityLinkRow.subject_hash.in_(await self._subject_hashes(subject))
            )
        )
        return sorted(key for key in map(self._sealer.unseal, chats) if key)

    async def sessions(self, subject: str) -> list[str]:
        """The token hashes of this subject's sessions (a small table: sessions end)."""
        found = []
        for row in await self._session.scalars(select(SessionRow)):
            if self._sealer.unseal_json(row.principal_sealed).get("subject") == subject:
                found.append(row.token_hash)
        return found

    def _states(self, platform: str, user_id: str) -> Any:
        # ``bot/conversations.py`` keys a person's state as ``<kind>:<platform>:<id>``.
        return DialogStateRow.key.endswith(f":{platform}:{user_id}", autoescape=True)

    async def states(self, platform: str, user_id: str) -> int:
        rows = await self._session.scalars(
            select(DialogStateRow.key).where(self._states(platform, user_id))
        )
        return len(list(rows))

    def _address(self, platform: str, user_id: str) -> Any:
        # Teams keeps a person's conversation reference as ``user:<id>`` (adapters/teams).
        return (AddressRow.platform == platform) & (AddressRow.key == f"user:{user_id}")

    async def addresses(self, platform: str, user_id: str) -> int:
        rows = await self._session.scalars(
            select(AddressRow.key).where(self._address(platform, user_id))
        )
        return len(list(rows))

    # -- forgetting ----------------------------------------------------------------------

    async def forget_names(self, case_ids: Collection[int], names: Collection[str]) -> int:
        """Blanks ``names`` wherever a case of ``case_ids`` names someone; how many."""
        blanked = 0
        for chunk in _chunks(sorted(case_ids)) if names else []:
            measures = select(MeasureRow.id).where(MeasureRow.case_id.in_(chunk))
            for column in NAMES_BY_CASE:
                blanked += await self._blank(column, column.class_.case_id.in_(chunk), names)
            for column in NAMES_BY_MEASURE:
                blanked += await self._blank(column, column.class_.measure_id.in_(measures), names)
        return blanked

    async def forget_handler(self, key: str, case_ids: Collection[int]) -> None:
        for chunk in _chunks(sorted(case_ids)):
            await self._session.execute(
                update(CaseRow)
                .where(CaseRow.handler_id == key, CaseRow.id.in_(chunk))
                .values(handler_id=None, handler_name=None)
            )

    async def forget_answers(self, key: str, names: Collection[str]) -> None:
        """The consultations this coordinator answered: their name goes."""
        ids = await self.answered(key)
        await self._session.execute(
            update(ConsultationRow)
            .where(ConsultationRow.id.in_(ids), ConsultationRow.answered_by.in_(names))
            .values(answered_by=None)
        )
        where = ConsultationEntryRow.consultation_id.in_(ids)
        await self._blank(ConsultationEntryRow.author_name_sealed, where, names)

    async def forget_invitations(self, ids: Collection[int]) -> None:
        await self._session.execute(
            delete(ManagerInvitationRow).where(ManagerInvitationRow.id.in_(ids))
        )

    async def forget_console_identity(self, subject: str) -> None:
        """The identity, its links to chat identities (by cascade) and its sessions."""
        for token in await self.sessions(subject):
            await self._session.execute(delete(SessionRow).where(SessionRow.token_hash == token))
        hashes = await self._subject_hashes(subject)
        await self._session.execute(
            delete(IdentityLinkRow).where(IdentityLinkRow.subject_hash.in_(hashes))
        )
        await self._session.execute(
            delete(ConsoleIdentityRow).where(ConsoleIdentityRow.subject_hash.in_(hashes))
        )

    async def forget_chat_identity(self, platform: str, user_id: str, keep_address: bool) -> None:
        """Their conversation states (a draft, a language) and how Teams reaches them."""
        await self._session.execute(delete(DialogStateRow).where(self._states(platform, user_id)))
        if not keep_address:
            await self._session.execute(delete(AddressRow).where(self._address(platform, user_id)))

    # -- helpers -------------------------------------------------------------------------

    async def _ids(self, query: Select[Any]) -> list[int]:
        return sorted({int(value) for value in await self._session.scalars(query)})

    async def _subject_hashes(self, subject: str) -> list[str]:
        rows = await self._session.execute(
            select(ConsoleIdentityRow.subject_hash, ConsoleIdentityRow.principal_sealed)
        )
        unseal = self._sealer.unseal_json
        return [hashed for hashed, sealed in rows if unseal(sealed).get("subject") == subject]

    async def _blank(
        self, column: InstrumentedAttribute[Any], where: Any, names: Collection[str] | None = None
    ) -> int:
        """Empties ``column`` where ``where`` holds (and, given ``names``, only where it
        opens to one of them, compared without case)."""
        table = column.class_
        key = table.__mapper__.primary_key[0]
        rows = await self._session.execute(select(key, column).where(where, column.is_not(None)))
        wanted = {name.casefold() for name in names} if names is not None else None
        chosen = [
            ident
            for ident, sealed in rows
            if wanted is None or (self._sealer.unseal(sealed) or "").casefold() in wanted
        ]
        if not chosen:
            return 0
        empty = None if column.property.columns[0].nullable else self._sealer.seal("")
        for chunk in _chunks(chosen):
            await self._session.execute(update(table).where(key.in_(chunk)).values({column: empty}))
        return len(chosen)
