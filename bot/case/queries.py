"""The case lists: what a coordinator asks for, what comes back, and the port storage fills.

Pages are keyset pages: a cursor is the sort position of the last case shown, so a page
never repeats or skips a case when new ones arrive meanwhile, and page 400 costs what page
1 costs. A cursor is opaque to the console; a forged or stale one is an ``InvalidQuery``.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.case.errors import InvalidQuery
from bot.case.models import Category, Status, Urgency
from bot.events import Platform
from bot.i18n import N_


class View(StrEnum):
    OPEN = "open"
    MINE = "mine"  # open, and handled by the asker under any of their identities
    UNCLAIMED = "unclaimed"  # open, and nobody handles it yet
    URGENT = "urgent"  # open, with danger now
    OVERDUE = "overdue"  # open, and a clock ran out (bot/case/due.py)
    CLOSED = "closed"
    ALL = "all"


class Order(StrEnum):
    NEWEST = "newest"  # the latest report first
    MOST_URGENT = "most_urgent"  # danger now first, then the earliest clock, then the oldest


@dataclass(frozen=True, slots=True)
class CaseFilter:
    view: View = View.OPEN
    category: Category | None = None
    status: Status | None = None
    platform: Platform | None = None
    department: str | None = None
    query: str = ""  # a reference or its start ("M-2026-00"), or words to find
    order: Order = Order.NEWEST


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """A case as a list shows it: what a coordinator may see, and no more of the narrative
    than its first words."""

    id: int
    reference: str
    status: Status
    urgency: Urgency
    category: Category | None
    handler_name: str | None
    created_at: datetime
    due_at: datetime | None
    overdue: bool
    platform: Platform
    department: str | None
    restricted: bool
    summary: str
    handler_id: str | None = None
    self_harm: bool = False

    @property
    def urgent(self) -> bool:
        return self.urgency is Urgency.URGENT


@dataclass(frozen=True, slots=True)
class CasePage:
    cases: list[CaseSummary]
    next_cursor: str | None  # None: this was the last page
    words: tuple[str, ...] = ()  # the words searched for, as normalised
    reference: str | None = None  # the reference (start) searched for
    exact: str | None = None  # a whole reference searched for, of a case the asker may see


@dataclass(frozen=True, slots=True)
class Visibility:
    """Which cases someone may see, mirroring ``Access.may_handle``: the meldpunt's (the
    restricted ones only when one of ``keys`` is named), and the vertrouwenspersoon's."""

    meldpunt: bool
    confidant: bool
    keys: frozenset[str]

    @property
    def nothing(self) -> bool:
        return not (self.meldpunt or self.confidant)


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page ended, in the order it was sorted by."""

    id: int
    created_at: datetime
    urgent: bool
    due_at: datetime | None

    @classmethod
    def of(cls, case: CaseSummary) -> Position:
        return cls(case.id, case.created_at, case.urgent, case.due_at)


@dataclass(frozen=True, slots=True)
class Search:
    """A list request as storage answers it: everything resolved, nothing to interpret."""

    filter: CaseFilter
    visibility: Visibility
    now: datetime
    limit: int
    handlers: frozenset[str] = frozenset()  # the asker's keys, for "mine"
    words: tuple[str, ...] = ()
    reference: str | None = None
    after: Position | None = None


class CaseQueries(Protocol):
    async def search(self, search: Search) -> list[CaseSummary]:
        """Up to ``search.limit`` cases in the filter's order, after ``search.after``."""
        ...


BAD_CURSOR = N_("This page of the list no longer exists. Start again from the first page.")


def encode_cursor(order: Order, position: Position) -> str:
    due = position.due_at.isoformat() if position.due_at else None
    raw = [order.value, position.id, position.created_at.isoformat(), position.urgent, due]
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, order: Order) -> Position:
    """The position in ``cursor``; ``InvalidQuery`` when it is not one of meldbot's for this
    order (a link edited by hand, or from another sort)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = json.loads(base64.urlsafe_b64decode(padded.encode()))
        kind, case_id, created, urgent, due = raw
        if kind != order.value or not isinstance(case_id, int) or not isinstance(urgent, bool):
            raise ValueError("another order")
        created_at = datetime.fromisoformat(created)
        due_at = datetime.fromisoformat(due) if due is not None else None
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidQuery(BAD_CURSOR) from None
    if created_at.tzinfo is None or (due_at is not None and due_at.tzinfo is None):
        raise InvalidQuery(BAD_CURSOR)
    return Position(case_id, created_at, urgent, due_at)
