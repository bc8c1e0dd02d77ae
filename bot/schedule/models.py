"""Timers: one piece of due work each, stored so that it survives restarts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Timer:
    """Work due at ``due_at``. ``key`` is unique: setting the same key twice is a no-op,
    which is what makes a recurring occurrence or a once-only welcome happen once.

    ``job`` groups the occurrences of one recurring job (or one kind of case clock);
    ``payload`` is small JSON the handler needs, cleared once it has served.
    """

    id: int
    kind: str
    key: str
    due_at: datetime
    job: str | None = None
    case_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    done_at: datetime | None = None
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What trends and results count about one case: no text, no person."""

    created_at: datetime
    category: str | None
    department: str | None
    urgent: bool
    status: str
    measure: str | None
    first_contact_at: datetime | None  # first claim or call back
    closed_at: datetime | None
    followed_up: bool  # the reporter heard back (an event informed them), or it was closed
    reaction_at: datetime | None = None  # the first reaction to the offender (measures/reaction)
