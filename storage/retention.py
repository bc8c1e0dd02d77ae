"""Retention in the database: the closed cases to look at, a case's warning and
extension, the purge to a tombstone, the destruction list and the audit log's retention.

``purge`` runs inside the caller's transaction (one per case): it commits whole or not at
all. What it clears, table by table, is listed in ``purge``'s own lines.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.case.models import EventKind
from bot.retention.models import Destroyed, RetentionState
from storage.cases import _aware, reaction_met
from storage.models import (
    NOTHING_DUE,
    AangifteRow,
    AttachmentRow,
    AuditRow,
    BanRecordRow,
    CaseEventRow,
    CaseRestrictionRow,
    CaseRetentionRow,
    CaseRow,
    CaseWordRow,
    ConsultationRow,
    DestroyedCaseRow,
    ExternalReportRow,
    ManagerInvitationRow,
    ManagerLetterRow,
    MeasureRow,
    MeasureStepRow,
    OutboxRow,
    ProposalRow,
    ReceiptRow,
    TimerRow,
)
from storage.sealing import Sealer
from storage.upsert import upsert

# 0009's guard on SQLite, put back in the same transaction that lifted it: no other
# connection ever sees the audit log without it (SQLite has one writer at a time).
SQLITE_NO_DELETE = """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END"""


class SqlRetention:
    def __init__(self, session: AsyncSession, sealer: Sealer) -> None:
        self._session = session
        self._sealer = sealer

    async def candidates(self, changed_before: datetime) -> list[int]:
        """Closed cases not purged whose last change is before ``changed_before``."""
        query = (
            select(CaseRow.id)
            .where(
                CaseRow.status == "closed",
                CaseRow.purged_at.is_(None),
                CaseRow.updated_at < changed_before,
            )
            .order_by(CaseRow.id)
        )
        return list(await self._session.scalars(query))

    async def is_purged(self, case_id: int) -> bool:
        purged = await self._session.scalar(select(CaseRow.purged_at).where(CaseRow.id == case_id))
        return purged is not None

    async def state(self, case_id: int) -> RetentionState:
        row = await self._session.get(CaseRetentionRow, case_id)
        if row is None:
            return RetentionState()
        unseal = self._sealer.unseal
        return RetentionState(
            warned_due=row.warned_due,
            extended_at=row.extended_at,
            reason=unseal(row.reason_sealed),
            extended_by=unseal(row.extended_by_sealed),
        )

    async def warned(self, case_id: int, due_at: datetime) -> None:
        await self._keep(case_id, warned_due=due_at)

    async def extend(self, case_id: int, reason: str, by: str, now: datetime) -> None:
        seal = self._sealer.seal
        await self._keep(
            case_id, extended_at=now, reason_sealed=seal(reason), extended_by_sealed=seal(by)
        )

    async def _keep(self, case_id: int, **values: object) -> None:
        statement = upsert(self._session)(CaseRetentionRow).values(case_id=case_id, **values)
        await self._session.execute(
            statement.on_conflict_do_update(index_elements=["case_id"], set_=values)
        )

    async def purge(self, case_id: int, now: datetime) -> None:
        """The case becomes its tombstone: everything that names or tells goes."""
        contact, reaction = await self._trend_moments(case_id)
        measures = select(MeasureRow.id).where(MeasureRow.case_id == case_id)
        receipt_id = await self._session.scalar(
            select(CaseRow.receipt_id).where(CaseRow.id == case_id)
        )
        for statement in (
            delete(OutboxRow).where(OutboxRow.case_id == case_id),
            delete(TimerRow).where(TimerRow.case_id == case_id),
            delete(AttachmentRow).where(AttachmentRow.case_id == case_id),
            delete(CaseWordRow).where(CaseWordRow.case_id == case_id),
            delete(CaseRestrictionRow).where(CaseRestrictionRow.case_id == case_id),
            delete(ManagerLetterRow).where(ManagerLetterRow.case_id == case_id),
            delete(ManagerInvitationRow).where(ManagerInvitationRow.case_id == case_id),
            delete(ProposalRow).where(ProposalRow.case_id == case_id),
            delete(MeasureStepRow).where(MeasureStepRow.measure_id.in_(measures)),
            delete(BanRecordRow).where(BanRecordRow.measure_id.in_(measures)),
            delete(CaseEventRow).where(CaseEventRow.case_id == case_id),
            delete(CaseRetentionRow).where(CaseRetentionRow.case_id == case_id),
            # The consultation it grew from (its entries and outbox rows cascade).
            delete(ConsultationRow).where(ConsultationRow.case_id == case_id),
        ):
            await self._session.execute(statement)
        blank = self._sealer.seal("")
        # Measures keep their kind, step and dates (the registry counts them), not who.
        await self._session.execute(
            update(MeasureRow)
            .where(MeasureRow.case_id == case_id)
            .values(carried_out_by_sealed=blank)
        )
        # The aangifte and external reports keep that and when, not the number or who.
        await self._session.execute(
            update(AangifteRow)
            .where(AangifteRow.case_id == case_id)
            .values(number_sealed=blank, recorded_by_sealed=None)
        )
        await self._session.execute(
            update(ExternalReportRow)
            .where(ExternalReportRow.case_id == case_id)
            .values(made_by_sealed=blank, recorded_by_sealed=None)
        )
        await self._session.execute(
            update(CaseRow)
            .where(CaseRow.id == case_id)
            .values(
                occurred=None,
                location_sealed=None,
                narrative_sealed=blank,
                danger_now=None,
                wants_feedback=False,
                manager_consent=None,
                reporter_hash=None,
                reporter_sealed=None,
                reporter_name_sealed=None,
                handler_hash=None,
                handler_sealed=None,
                handler_name_sealed=None,
                alert_conversation=None,
                alert_message_id=None,
                receipt_id=None,
                aftercare=False,
                category_source=None,
                self_harm=False,
                restricted=False,
                due_at=NOTHING_DUE,
                updated_at=now,
                version=CaseRow.version + 1,
                purged_at=now,
                purged_contact_at=contact,
                purged_reaction_at=reaction,
            )
        )
        if receipt_id is not None:
            still_used = select(ConsultationRow.id).where(ConsultationRow.receipt_id == receipt_id)
            await self._session.execute(
                delete(ReceiptRow).where(ReceiptRow.id == receipt_id, ~still_used.exists())
            )

    async def _trend_moments(self, case_id: int) -> tuple[datetime | None, datetime | None]:
        """The first contact and first reaction exactly as ``facts_between`` counts them."""
        kinds = [EventKind.CLAIMED.value, EventKind.CALLED_BACK.value]
        first = select(func.min(CaseEventRow.created_at))
        mine = CaseEventRow.case_id == case_id
        contact = await self._session.scalar(first.where(mine, CaseEventRow.kind.in_(kinds)))
        reaction = await self._session.scalar(first.where(mine, reaction_met()))
        return _aware(contact), _aware(reaction)

    async def record_destroyed(self, entry: Destroyed) -> None:
        self._session.add(
            DestroyedCaseRow(
                reference=entry.reference,
                category=entry.category,
                month=entry.month,
                outcome=entry.outcome,
                rule=entry.rule,
                due_at=entry.due_at,
                purged_at=entry.purged_at,
            )
        )

    async def destroyed_between(self, start: datetime, end: datetime) -> list[Destroyed]:
        rows = await self._session.scalars(
            select(DestroyedCaseRow)
            .where(DestroyedCaseRow.purged_at >= start, DestroyedCaseRow.purged_at < end)
            .order_by(DestroyedCaseRow.purged_at, DestroyedCaseRow.id)
        )
        return [
            Destroyed(r.reference, r.category, r.month, r.outcome, r.rule, r.due_at, r.purged_at)
            for r in rows
        ]

    async def forget_audit(self, before: datetime) -> int:
        """Deletes the audit entries older than ``before``; the only delete the log allows."""
        sqlite = self._session.get_bind().dialect.name == "sqlite"
        if sqlite:
            await self._session.execute(text("DROP TRIGGER audit_log_no_delete"))
        else:
            await self._session.execute(
                text("SELECT set_config('meldbot.audit_before', :before, true)"),
                {"before": before.isoformat()},
            )
        result = await self._session.execute(
            delete(AuditRow).where(AuditRow.at < before),
            execution_options={"synchronize_session": False},
        )
        if sqlite:
            await self._session.execute(text(SQLITE_NO_DELETE))
        return int(result.rowcount)  # type: ignore[attr-defined]
