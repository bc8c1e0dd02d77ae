"""What retention knows of a case, and what it leaves behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class RetentionState:
    """The due moment coordinators were told of, and the one extension."""

    warned_due: datetime | None = None
    extended_at: datetime | None = None
    reason: str | None = None  # sealed at rest
    extended_by: str | None = None  # a person's key, sealed at rest

    @property
    def extended(self) -> bool:
        return self.extended_at is not None


@dataclass(frozen=True, slots=True)
class DueCase:
    """A closed case as the retention list shows it: no narrative, no names."""

    case_id: int
    reference: str
    category: str | None
    due_at: datetime
    outcome: str
    rule: str
    extended: bool


@dataclass(frozen=True, slots=True)
class Destroyed:
    """One line of the destruction list (vernietigingslijst)."""

    reference: str
    category: str | None
    month: str  # the month it was reported, YYYY-MM (Amsterdam)
    outcome: str
    rule: str
    due_at: datetime
    purged_at: datetime


@dataclass(frozen=True, slots=True)
class RunReport:
    """What a retention run did, or (a dry run) would do."""

    purged: list[DueCase]
    warned: int
    audit_forgotten: int
    dry_run: bool
