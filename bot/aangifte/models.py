"""The aangifte as the case records it: whether and when, by whom, and the police's
registration number (sealed at rest; shown only on the case page, to its coordinators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.i18n import N_


class FiledBy(StrEnum):
    REPORTER = "reporter"
    EMPLOYER = "employer"  # the organisation filed; the reporter is then a witness


FILED_BY_LABELS: dict[FiledBy, str] = {
    FiledBy.REPORTER: N_("The reporter"),
    FiledBy.EMPLOYER: N_("The employer (the reporter is a witness)"),
}
NUMBER_MAX = 40  # a police registration number is short; more is a mistake


@dataclass(frozen=True, slots=True)
class AangifteRecord:
    case_id: int
    done_on: date
    filed_by: FiledBy
    number: str
    recorded_at: datetime
    recorded_by: str | None = None
