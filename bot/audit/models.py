"""The audit log's entries: who did or read what, on which case, when.

An entry never carries the narrative or a message: ``detail`` is a short fact (a status,
how many people, which file). ``reference`` stays when the case itself is deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str  # the acting key: "slack:U1", "console:<subject>"
    actor_name: str | None
    action: str
    case_id: int | None = None  # None once the case is deleted
    reference: str | None = None
    consultation_id: int | None = None
    detail: str | None = None
