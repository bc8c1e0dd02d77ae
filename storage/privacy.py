"""Finding and forgetting one person: every query that looks rows up by a person's
identity is here (bot/privacy asks through it), so that a change in how identities are
stored changes this module only.

Forgetting blanks a sealed name by sealing an empty text (the columns that may not be
empty) or emptying it. A closed case a reporter asks to erase becomes its tombstone,
as at the end of its retention (storage/retention.py).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Select, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from bot.access.models import ConsoleIdentity, Principal, Role
from bot.audit.models import AuditEntry
from storage.audit import SqlAuditLog
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
    WebEntryRow,
    WebMemberRow,
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
        self._hashes = hashes

    # -- finding -------------------------------------------------------------------------

    async def reported(self, platform: str, user_id: str) -> list[int]:
        """The cases this chat identity reported under its name, oldest first."""
        hashes = self._hashes.people(f"{platform}:{user_id}")
        return await self._ids(select(CaseRow.id).where(CaseRow.reporter_hash.in_(hashes)))

    async def handled(self, key: str) -> list[int]:
        """The cases this person handles or handled, or changed (their audit entries)."""
        handles = select(CaseRow.id).where(CaseRow.handler_hash.in_(self._hashes.people(key)))
        acted = select(AuditRow.case_id).where(
            self._acted_by(key), AuditRow.case_id.is_not(None), AuditRow.action.not_in(READS)
        )
        return sorted(set(await self._ids(handles)) | set(await self._ids(acted)))

    async def names_used(self, key: str) -> set[str]:
        """The names this person acted under: as a case's handler, in the audit log."""
        people = self._hashes.people(key)
        handler = select(CaseRow.handler_name_sealed).where(CaseRow.handler_hash.in_(people))
        audit = select(AuditRow.actor_name_sealed).where(AuditRow.actor_hash.in_(people))
        sealed = [*await self._session.scalars(handler), *await self._session.scalars(audit)]
        return {name for name in map(self._sealer.unseal, sealed) if name}

    async def audit_of(self, key: str) -> list[AuditEntry]:
        return await SqlAuditLog(self._session, self._sealer, self._hashes).of_actor(key)

    async def answered(self, key: str) -> list[int]:
        """The anonymous consultations this coordinator answered or closed (their audit
        entries), or that name them as the one who answered."""
        acted = select(AuditRow.consultation_id).where(
            self._acted_by(key),
            AuditRow.consultation_id.is_not(None),
            AuditRow.action.not_in(READS),
        )
        named = await self._answered_as(await self.names_used(key))
        return sorted(set(await self._ids(acted)) | set(named))

    async def _answered_as(
        self, names: Collection[str], among: ColumnElement[bool] | None = None
    ) -> list[int]:
        """The consultations whose sealed "answered by" opens to one of ``names`` (a
        small table: consultations are deleted after their retention)."""
        wanted = {name.casefold() for name in names}
        rows = await self._session.execute(
            select(ConsultationRow.id, ConsultationRow.answered_by_sealed).where(
                ConsultationRow.answered_by_sealed.is_not(None), *([] if among is None else [among])
            )
        )
        opened = ((ident, self._sealer.unseal(sealed) or "") for ident, sealed in rows)
        return [ident for ident, name in opened if name.casefold() in wanted]

    def _acted_by(self, key: str) -> ColumnElement[bool]:
        return AuditRow.actor_hash.in_(self._hashes.people(key))

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

    async def _states(self, platform: str, user_id: str) -> list[str]:
        """The key hashes of this person's states: ``bot/conversations.py`` keys them as
        ``<kind>:<platform>:<id>``, and the kinds are many (states expire: a small table)."""
        rows = await self._session.execute(
            select(DialogStateRow.key_hash, DialogStateRow.key_sealed)
        )
        mine = f":{platform}:{user_id}"
        return [h for h, sealed in rows if (self._sealer.unseal(sealed) or "").endswith(mine)]

    async def states(self, platform: str, user_id: str) -> int:
        return len(await self._states(platform, user_id))

    def _address(self, platform: str, user_id: str) -> ColumnElement[bool]:
        # Teams keeps a person's conversation reference as ``user:<id>`` (adapters/teams).
        hashes = self._hashes.addresses(f"user:{user_id}")
        return (AddressRow.platform == platform) & AddressRow.key_hash.in_(hashes)

    async def addresses(self, platform: str, user_id: str) -> int:
        rows = await self._session.scalars(
            select(AddressRow.key_hash).where(self._address(platform, user_id))
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
                .where(CaseRow.handler_hash.in_(self._hashes.people(key)), CaseRow.id.in_(chunk))
                .values(handler_hash=None, handler_sealed=None, handler_name_sealed=None)
            )

    async def forget_answers(self, key: str, names: Collection[str]) -> None:
        """The consultations this coordinator answered: their name goes."""
        ids = await self.answered(key)
        named = await self._answered_as(names, ConsultationRow.id.in_(ids))
        await self._session.execute(
            update(ConsultationRow)
            .where(ConsultationRow.id.in_(named))
            .values(answered_by_sealed=None)
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
        """Their conversation states (a draft, a language), how Teams reaches them, and
        their personal chat in the web chat (gone from its pages at the next start)."""
        states = await self._states(platform, user_id)
        await self._session.execute(
            delete(DialogStateRow).where(DialogStateRow.key_hash.in_(states))
        )
        if not keep_address:
            await self._session.execute(delete(AddressRow).where(self._address(platform, user_id)))
        if platform == "web":  # their personal chat in the web chat and its memberships
            personal = self._hashes.webs(f"dm:{user_id}")
            await self._session.execute(
                delete(WebEntryRow).where(WebEntryRow.conversation_hash.in_(personal))
            )
            people = self._hashes.webs(user_id)
            await self._session.execute(
                delete(WebMemberRow).where(WebMemberRow.person_hash.in_(people))
            )

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
