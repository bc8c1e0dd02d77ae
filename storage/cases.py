"""The case repository: cases and their events, sealed at rest."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy import case as sql_case
from sqlalchemy.ext.asyncio import AsyncSession

from bot.case.models import (
    Addressee,
    Case,
    CaseEvent,
    Category,
    CategorySource,
    EventKind,
    MeasureKind,
    NewReport,
    Reporter,
    Status,
    Urgency,
    When,
    format_reference,
)
from bot.consultation.models import Receipt
from bot.events import MessageRef, Platform
from bot.i18n import TIMEZONE
from bot.measures.models import LADDER
from bot.schedule.models import CaseFacts
from storage.models import NOTHING_DUE, CaseEventRow, CaseNumberRow, CaseRow, ReceiptRow
from storage.receipts import to_receipt
from storage.restrictions import Restrictions
from storage.sealing import Sealer
from storage.search_index import Hashes, SearchIndex, searchable_event
from storage.upsert import upsert

E = TypeVar("E", bound=StrEnum)


def _enum_or_none(kind: type[E], value: str | None) -> E | None:
    return kind(value) if value is not None else None


def _aware(moment: datetime | None) -> datetime | None:
    """A bare aggregate skips the column type, so SQLite hands it back without a zone."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def _rank(urgency: Urgency) -> int:
    return 0 if urgency is Urgency.URGENT else 1


def stored_due(due_at: datetime | None) -> datetime:
    return NOTHING_DUE if due_at is None else due_at


def read_due(due_at: datetime) -> datetime | None:
    return None if due_at >= NOTHING_DUE else due_at


class SqlCaseRepository:
    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes
        self.index = SearchIndex(session, sealer, hashes)
        self.restrictions = Restrictions(session, sealer, hashes)

    async def create(
        self,
        report: NewReport,
        reporter: Reporter | None,
        platform: Platform,
        now: datetime,
        receipt: Receipt | None = None,
    ) -> Case:
        # The year as the organisation counts it: at 00:30 on 1 January in Amsterdam the
        # UTC year is still the old one.
        year = now.astimezone(TIMEZONE).year
        row = self._new_row(report, reporter, platform, now, year, await self._next_number(year))
        row.receipt_id = receipt.id if receipt else None
        self._session.add(row)
        await self._session.flush()
        await self.index.add(row.id, [report.narrative, report.location])
        return self._to_case(row, receipt)

    async def _next_number(self, year: int) -> int:
        """Claims the year's next number in one statement. The row stays locked until the
        report commits, so concurrent reports (on any instance) queue for a moment and each
        gets its own number; a report that rolls back gives its number back."""
        statement = (
            upsert(self._session)(CaseNumberRow)
            .values(year=year, last=1)
            .on_conflict_do_update(
                index_elements=[CaseNumberRow.year], set_={"last": CaseNumberRow.last + 1}
            )
            .returning(CaseNumberRow.last)
        )
        return int(await self._session.scalar(statement))

    def _new_row(
        self,
        report: NewReport,
        reporter: Reporter | None,
        platform: Platform,
        now: datetime,
        year: int,
        sequence: int,
    ) -> CaseRow:
        seal = self._sealer.seal
        key = reporter_key(reporter) if reporter else None
        return CaseRow(
            reference=format_reference(year, sequence),
            year=year,
            sequence=sequence,
            status=Status.NEW.value,
            urgency=report.urgency.value,
            urgency_rank=_rank(report.urgency),
            due_at=NOTHING_DUE,
            restricted=False,
            category=report.category.value if report.category else None,
            occurred=report.when.value if report.when else None,
            location_sealed=seal(report.location),
            narrative_sealed=seal(report.narrative),
            danger_now=report.danger_now,
            wants_feedback=report.wants_feedback,
            manager_consent=report.manager_consent,
            language=report.language,
            reporter_hash=self._hashes.person(key) if key else None,
            reporter_sealed=seal(key),
            reporter_name_sealed=seal(reporter.name) if reporter else None,
            coordination_platform=platform,
            department=report.department,
            aftercare=report.aftercare,
            category_source=report.category_source.value if report.category_source else None,
            self_harm=report.self_harm,
            addressee=report.addressee.value,
            created_at=now,
            updated_at=now,
            version=1,
        )

    async def get(self, case_id: int, *, for_update: bool = False) -> Case | None:
        return await self._one(select(CaseRow).where(CaseRow.id == case_id), for_update)

    async def of_receipt(self, receipt_id: int, *, for_update: bool = False) -> Case | None:
        query = select(CaseRow).where(CaseRow.receipt_id == receipt_id)
        return await self._one(query, for_update)

    async def by_reference(self, reference: str) -> Case | None:
        query = select(CaseRow).where(CaseRow.reference == reference.strip().upper())
        return await self._one(query, False)

    async def _one(self, query: Select[CaseRow], for_update: bool) -> Case | None:
        row = await self._session.scalar(query.with_for_update(of=CaseRow) if for_update else query)
        if row is None:
            return None
        receipt = None
        if row.receipt_id is not None:
            receipt_row = await self._session.get(ReceiptRow, row.receipt_id)
            receipt = to_receipt(receipt_row) if receipt_row else None
        case = self._to_case(row, receipt)
        if row.restricted:
            case.restricted_to = await self.restrictions.of(row.id)
        return case

    async def restrict(self, case_id: int, keys: frozenset[str]) -> None:
        await self.restrictions.set(case_id, keys)

    async def open_for_reporter(self, reporter: Reporter) -> list[Case]:
        rows = await self._session.scalars(
            select(CaseRow)
            .where(
                CaseRow.reporter_hash.in_(self._hashes.people(reporter_key(reporter))),
                CaseRow.status != Status.CLOSED.value,
            )
            .order_by(CaseRow.id.desc())
        )
        return [self._to_case(row) for row in rows]

    async def set_alert(self, case_id: int, alert: MessageRef) -> None:
        row = await self._session.get_one(CaseRow, case_id, with_for_update=True)
        row.alert_conversation, row.alert_message_id = alert.conversation, alert.message_id
        await self._session.flush()

    async def save(self, case: Case) -> None:
        row = await self._session.get_one(CaseRow, case.id)
        row.status = case.status.value
        row.addressee = case.report.addressee.value
        row.urgency = case.urgency.value
        row.urgency_rank = _rank(case.urgency)
        row.due_at = stored_due(case.due_at)
        row.first_contact_at = case.first_contact_at
        row.category = case.report.category.value if case.report.category else None
        source = case.report.category_source
        row.category_source = source.value if source else None
        if case.handler_id != self._sealer.unseal(row.handler_sealed):
            handler = case.handler_id
            row.handler_hash = self._hashes.person(handler) if handler else None
            row.handler_sealed = self._sealer.seal(handler)
        if case.handler_name != self._sealer.unseal(row.handler_name_sealed):
            row.handler_name_sealed = self._sealer.seal(case.handler_name)
        row.measure = case.measure.value if case.measure else None
        row.closed_at = case.closed_at
        row.alert_conversation = case.alert.conversation if case.alert else None
        row.alert_message_id = case.alert.message_id if case.alert else None
        row.updated_at = case.updated_at
        row.version = row.version + 1
        case.version = row.version
        await self._session.flush()

    async def add_event(
        self, case: Case, kind: EventKind, now: datetime, **fields: Any
    ) -> CaseEvent:
        status: Status | None = fields.get("status")
        measure: MeasureKind | None = fields.get("measure")
        category: Category | None = fields.get("category")
        urgency: Urgency | None = fields.get("urgency")
        row = CaseEventRow(
            case_id=case.id,
            kind=kind.value,
            actor_name_sealed=self._sealer.seal(fields.get("actor_name")),
            text_sealed=self._sealer.seal(fields.get("text")),
            note_sealed=self._sealer.seal(fields.get("note")),
            status=status.value if status else None,
            measure=measure.value if measure else None,
            reporter_informed=bool(fields.get("reporter_informed", False)),
            category=category.value if category else None,
            urgency=urgency.value if urgency else None,
            created_at=now,
        )
        self._session.add(row)
        await self._session.flush()
        await self.index.add(
            case.id, searchable_event(kind.value, fields.get("text"), fields.get("note"))
        )
        return self._to_event(row)

    async def event(self, event_id: int) -> CaseEvent | None:
        row = await self._session.get(CaseEventRow, event_id)
        return self._to_event(row) if row else None

    async def events(self, case_id: int) -> list[CaseEvent]:
        rows = await self._session.scalars(
            select(CaseEventRow).where(CaseEventRow.case_id == case_id).order_by(CaseEventRow.id)
        )
        return [self._to_event(row) for row in rows]

    async def facts_between(self, start: datetime, end: datetime) -> list[CaseFacts]:
        contact = (
            select(func.min(CaseEventRow.created_at))
            .where(
                CaseEventRow.case_id == CaseRow.id,
                CaseEventRow.kind.in_([EventKind.CLAIMED.value, EventKind.CALLED_BACK.value]),
            )
            .scalar_subquery()
        )
        informed = (
            select(CaseEventRow.id)
            .where(CaseEventRow.case_id == CaseRow.id, CaseEventRow.reporter_informed)
            .exists()
        )
        reaction = (
            select(func.min(CaseEventRow.created_at))
            .where(CaseEventRow.case_id == CaseRow.id, reaction_met())
            .scalar_subquery()
        )
        # A tombstone (bot/retention) has no events left: it kept these two moments.
        live = CaseRow.purged_at.is_(None)
        rows = await self._session.execute(
            select(
                CaseRow.created_at,
                CaseRow.category,
                CaseRow.department,
                CaseRow.urgency,
                CaseRow.status,
                CaseRow.measure,
                sql_case((live, contact), else_=CaseRow.purged_contact_at),
                CaseRow.closed_at,
                informed,
                sql_case((live, reaction), else_=CaseRow.purged_reaction_at),
            ).where(CaseRow.created_at >= start, CaseRow.created_at < end)
        )
        return [
            CaseFacts(
                created_at=created,
                category=category,
                department=department,
                urgent=urgency == Urgency.URGENT.value,
                status=status,
                measure=measure,
                first_contact_at=_aware(first_contact),
                closed_at=closed,
                followed_up=bool(was_informed) or closed is not None,
                reaction_at=_aware(reacted),
            )
            for (
                created,
                category,
                department,
                urgency,
                status,
                measure,
                first_contact,
                closed,
                was_informed,
                reacted,
            ) in rows
        ]

    def _to_case(self, row: CaseRow, receipt: Receipt | None = None) -> Case:
        unseal = self._sealer.unseal
        report = NewReport(
            narrative=unseal(row.narrative_sealed) or "",
            category=_enum_or_none(Category, row.category),
            when=_enum_or_none(When, row.occurred),
            location=unseal(row.location_sealed),
            danger_now=row.danger_now,
            wants_feedback=row.wants_feedback,
            manager_consent=row.manager_consent,
            language=row.language,
            department=row.department,
            aftercare=row.aftercare,
            category_source=_enum_or_none(CategorySource, row.category_source),
            self_harm=row.self_harm,
            addressee=Addressee(row.addressee),
        )
        reporter = None
        key = unseal(row.reporter_sealed)
        if key:
            platform, _, user_id = key.partition(":")
            reporter = Reporter(
                platform,  # type: ignore[arg-type]
                user_id,
                unseal(row.reporter_name_sealed),
            )
        alert = None
        if row.alert_conversation and row.alert_message_id:
            alert = MessageRef(
                row.coordination_platform,  # type: ignore[arg-type]
                row.alert_conversation,
                row.alert_message_id,
            )
        return Case(
            id=row.id,
            reference=row.reference,
            status=Status(row.status),
            urgency=Urgency(row.urgency),
            report=report,
            reporter=reporter,
            coordination_platform=row.coordination_platform,  # type: ignore[arg-type]
            created_at=row.created_at,
            updated_at=row.updated_at,
            handler_id=unseal(row.handler_sealed),
            handler_name=unseal(row.handler_name_sealed),
            measure=_enum_or_none(MeasureKind, row.measure),
            alert=alert,
            closed_at=row.closed_at,
            version=row.version,
            receipt=receipt,
            due_at=read_due(row.due_at),
            first_contact_at=row.first_contact_at,
        )

    def _to_event(self, row: CaseEventRow) -> CaseEvent:
        return CaseEvent(
            id=row.id,
            case_id=row.case_id,
            kind=EventKind(row.kind),
            created_at=row.created_at,
            actor_name=self._sealer.unseal(row.actor_name_sealed),
            text=self._sealer.unseal(row.text_sealed),
            note=self._sealer.unseal(row.note_sealed),
            status=_enum_or_none(Status, row.status),
            measure=_enum_or_none(MeasureKind, row.measure),
            reporter_informed=row.reporter_informed,
            category=_enum_or_none(Category, row.category),
            urgency=_enum_or_none(Urgency, row.urgency),
        )


def reporter_key(reporter: Reporter) -> str:
    """The reporter as a person's key (``slack:U1``): what is sealed and hashed."""
    return f"{reporter.platform}:{reporter.user_id}"


def reaction_met() -> ColumnElement[bool]:
    """The events that meet the reaction clock, as ``bot.measures.reaction.meets`` says."""
    ladder = [kind.value for kind in LADDER]
    return or_(
        and_(
            CaseEventRow.kind == EventKind.MEASURE_CARRIED_OUT.value,
            CaseEventRow.measure.in_(ladder),
        ),
        CaseEventRow.measure == MeasureKind.NONE.value,
    )
