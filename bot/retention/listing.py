"""The destruction list (vernietigingslijst) and the dry run as CSV: codes and dates only,
nothing a person wrote."""

from __future__ import annotations

from collections.abc import Sequence

from bot.audit.service import to_csv
from bot.retention.models import Destroyed, DueCase
from bot.schedule.calendar import AMSTERDAM

DESTROYED = ("reference", "category", "month", "outcome", "rule", "due_on", "purged_at")
DUE = ("reference", "category", "due_on", "outcome", "rule")


def destroyed_csv(entries: Sequence[Destroyed]) -> str:
    rows = [list(DESTROYED)]
    for e in entries:
        due_on = e.due_at.astimezone(AMSTERDAM).date().isoformat()
        rows.append(
            [
                e.reference,
                e.category or "",
                e.month,
                e.outcome,
                e.rule,
                due_on,
                e.purged_at.isoformat(),
            ]
        )
    return to_csv(rows)


def due_csv(cases: Sequence[DueCase]) -> str:
    rows = [list(DUE)]
    for c in cases:
        due_on = c.due_at.astimezone(AMSTERDAM).date().isoformat()
        rows.append([c.reference, c.category or "", due_on, c.outcome, c.rule])
    return to_csv(rows)
