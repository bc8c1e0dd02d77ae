"""The case lists as SQL: one query per page, on the indexes in storage/models.py.

Keyset pagination: the page after a position is ``(sort key) > position`` (or ``id <``)
as one row-value comparison, so PostgreSQL walks the index from there. Every filter is an
indexed column; the text search is a semi-join per word on the blind index.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    Select,
    and_,
    exists,
    false,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncSession

from bot.case.models import Addressee, Category, Status, Urgency
from bot.case.queries import CaseSummary, Order, Position, Search, View
from bot.case.search import reference_range
from bot.case.views import summarise
from storage.cases import read_due, stored_due
from storage.models import CaseRestrictionRow, CaseRow, CaseWordRow
from storage.sealing import Sealer
from storage.search_index import Hashes

SUMMARY = 140  # characters of the narrative a list shows

_COLUMNS = (
    CaseRow.id,
    CaseRow.reference,
    CaseRow.status,
    CaseRow.urgency,
    CaseRow.category,
    CaseRow.handler_sealed,
    CaseRow.handler_name_sealed,
    CaseRow.created_at,
    CaseRow.due_at,
    CaseRow.coordination_platform,
    CaseRow.department,
    CaseRow.restricted,
    CaseRow.self_harm,
    CaseRow.narrative_sealed,
)


class SqlCaseQueries:
    def __init__(self, session: AsyncSession, sealer: Sealer, hashes: Hashes) -> None:
        self._session = session
        self._sealer = sealer
        self._hashes = hashes

    async def search(self, search: Search) -> list[CaseSummary]:
        rows = await self._session.execute(self.statement(search))
        return [self._summary(row, search) for row in rows]

    def statement(self, search: Search) -> Select[*tuple[Any, ...]]:
        """The one query for ``search`` (the benchmark EXPLAINs it)."""
        conditions = self._conditions(search)
        if search.after is not None:
            conditions.append(_after(search.filter.order, search.after))
        query = select(*_COLUMNS).where(*conditions).order_by(*_ORDER[search.filter.order])
        return query.limit(search.limit)

    def _conditions(self, search: Search) -> list[ColumnElement[bool]]:
        wanted = search.filter
        # A purged case is a tombstone: counted in the figures, never listed.
        conditions = [
            self._visible(search),
            *_view(search, self._handlers(search)),
            CaseRow.purged_at.is_(None),
        ]
        if wanted.category is not None:
            conditions.append(CaseRow.category == wanted.category.value)
        if wanted.status is not None:
            conditions.append(CaseRow.status == wanted.status.value)
        if wanted.platform is not None:
            conditions.append(CaseRow.coordination_platform == wanted.platform)
        if wanted.department is not None:
            conditions.append(CaseRow.department == wanted.department)
        if search.reference is not None:
            conditions.append(_reference(search.reference))
        for word in search.words:
            # Inline, not a parameter: PostgreSQL plans each search for how common its
            # words are (a generic plan would treat a rare and a common word alike).
            # Each configured key's hash: during a rotation a case may be indexed under either.
            hashed = [
                literal(h, BigInteger, literal_execute=True) for h in self._hashes.words(word)
            ]
            conditions.append(
                exists().where(CaseWordRow.word.in_(hashed), CaseWordRow.case_id == CaseRow.id)
            )
        return conditions

    def _handlers(self, search: Search) -> list[str]:
        """The keyed hashes of the asker's keys, under every configured key."""
        return sorted({one for key in search.handlers for one in self._hashes.people(key)})

    def _visible(self, search: Search) -> ColumnElement[bool]:
        """``Access.may_handle`` as SQL: the meldpunt's cases (restricted ones only when
        one of the asker's keys is named), and the vertrouwenspersoon's."""
        seen = search.visibility
        allowed: list[ColumnElement[bool]] = []
        if seen.meldpunt:
            hashes = sorted({one for key in seen.keys for one in self._hashes.people(key)})
            named = exists().where(
                CaseRestrictionRow.case_id == CaseRow.id, CaseRestrictionRow.person.in_(hashes)
            )
            allowed.append(
                and_(
                    CaseRow.addressee == Addressee.MELDPUNT.value,
                    or_(CaseRow.restricted.is_(False), named),
                )
            )
        if seen.confidant:
            allowed.append(CaseRow.addressee == Addressee.CONFIDANT.value)
        return or_(*allowed) if allowed else false()

    def _summary(self, row: Any, search: Search) -> CaseSummary:
        (
            case_id,
            reference,
            status,
            urgency,
            category,
            handler_sealed,
            handler_name_sealed,
            created_at,
            due_at,
            platform,
            department,
            restricted,
            self_harm,
            narrative,
        ) = row
        due = read_due(due_at)
        return CaseSummary(
            id=case_id,
            reference=reference,
            status=Status(status),
            urgency=Urgency(urgency),
            category=Category(category) if category else None,
            handler_name=self._sealer.unseal(handler_name_sealed),
            created_at=created_at,
            due_at=due,
            overdue=due is not None and due < search.now,
            platform=platform,
            department=department,
            restricted=restricted,
            summary=summarise(self._sealer.unseal(narrative) or "", SUMMARY),
            handler_id=self._sealer.unseal(handler_sealed),
            self_harm=self_harm,
        )


def _view(search: Search, handlers: list[str]) -> list[ColumnElement[bool]]:
    is_open = CaseRow.status != Status.CLOSED.value
    match search.filter.view:
        case View.OPEN:
            return [is_open]
        case View.MINE:
            return [is_open, CaseRow.handler_hash.in_(handlers)]
        case View.UNCLAIMED:
            return [is_open, CaseRow.handler_hash.is_(None)]
        case View.URGENT:
            return [is_open, CaseRow.urgency == Urgency.URGENT.value]
        case View.OVERDUE:
            return [is_open, CaseRow.due_at < search.now]
        case View.CLOSED:
            return [CaseRow.status == Status.CLOSED.value]
        case View.ALL:
            return []


def _reference(prefix: str) -> ColumnElement[bool]:
    """The start of a reference as ranges of (year, sequence): the unique index on them
    finds the cases, where a LIKE on the text would scan."""
    wanted = reference_range(prefix)
    first, last = wanted.years
    if first == last:  # one year: its index gives its cases newest first
        year = CaseRow.year == _inline(first)
    else:
        year = CaseRow.year.between(_inline(first), _inline(last))
    if wanted.sequences is None:
        return year
    ranges = (
        CaseRow.sequence.between(_inline(low), _inline(high)) for low, high in wanted.sequences
    )
    return and_(year, or_(false(), *ranges))


def _inline(number: int) -> ColumnElement[int]:
    """A number the planner sees (it plans a reference search for how many it finds)."""
    return literal(number, Integer, literal_execute=True)


# Newest first is the order the cases arrived in: the id, which every index ends with.
_ORDER = {
    Order.NEWEST: (CaseRow.id.desc(),),
    Order.MOST_URGENT: (CaseRow.urgency_rank, CaseRow.due_at, CaseRow.id),
}


def _after(order: Order, after: Position) -> ColumnElement[bool]:
    """The cases after ``after`` in ``order``: one row-value comparison on the sort key."""
    if order is Order.NEWEST:
        return CaseRow.id < after.id
    key = (0 if after.urgent else 1, stored_due(after.due_at), after.id)
    return tuple_(CaseRow.urgency_rank, CaseRow.due_at, CaseRow.id) > key
