"""An external report of a trafficking or exploitation signal, as the case records it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from bot.i18n import N_

# The organisation's decision (seed 000): who makes the external reports.
ReportsMadeBy = Literal["organisation", "individual"]


class Body(StrEnum):
    """Where a signal is reported outside the organisation (seed 000)."""

    POLICE = (
        "police"  # politie, AVIM (Afdeling Vreemdelingenpolitie, Identificatie en Mensenhandel)
    )
    LABOUR_INSPECTORATE = "labour_inspectorate"  # Nederlandse Arbeidsinspectie
    COMENSHA = "comensha"
    CARE_COORDINATOR = "care_coordinator"  # de regionale zorgcoördinator mensenhandel
    CRIME_STOPPERS = "crime_stoppers"  # Meld Misdaad Anoniem


BODY_LABELS: dict[Body, str] = {
    Body.POLICE: N_("Police (AVIM)"),
    Body.LABOUR_INSPECTORATE: N_("Nederlandse Arbeidsinspectie"),
    Body.COMENSHA: N_("CoMensha"),
    Body.CARE_COORDINATOR: N_("Regional care coordinator for human trafficking"),
    Body.CRIME_STOPPERS: N_("Meld Misdaad Anoniem"),
}


@dataclass(frozen=True, slots=True)
class ExternalReport:
    id: int
    case_id: int
    body: Body
    reported_on: date
    made_by: str  # who made it: sealed at rest, as names are
    recorded_at: datetime
    recorded_by: str | None = None
