"""The "Brief opstellen" form under each measure that has a letter, filled in beforehand:
the report's narrative to cut down to what happened, and the incident's date."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from bot.case.models import Case, When
from bot.i18n import N_
from bot.letters.fields import LETTER_OF, LetterKind
from bot.measures.models import Measure, Step
from bot.schedule.calendar import local

LABELS: dict[LetterKind, str] = {
    LetterKind.WARNING: N_("Warning letter"),
    LetterKind.CALL_BAN: N_("Call ban letter"),
    LetterKind.BUILDING_BAN: N_("Building ban letter"),
    LetterKind.INVITATION: N_("Invitation to a talk at the office"),
}
# How long ago the report said it happened, in days (``earlier``: the coordinator fills it in).
DAYS_AGO = {None: 0, When.JUST_NOW: 0, When.EARLIER_TODAY: 0, When.YESTERDAY: 1}


@dataclass(frozen=True, slots=True)
class LetterForm:
    """The "Brief opstellen" form of one measure, filled in beforehand."""

    kind: LetterKind
    label: str
    excerpt: str  # the report's narrative, for the coordinator to cut to what happened
    incident_on: str  # YYYY-MM-DD, or empty when the report said "earlier"
    # One per page load: sending twice with it sends once (bot/letters/sending.py).
    request_key: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def invitation(self) -> bool:
        return self.kind is LetterKind.INVITATION


def letter_forms(case: Case, measures: list[Measure]) -> dict[int, LetterForm]:
    """Per measure that has a letter (and was not dropped), its form."""
    when = case.report.when
    ago = DAYS_AGO.get(when)
    reported = local(case.created_at).date()
    incident = (reported - timedelta(days=ago)).isoformat() if ago is not None else ""
    forms: dict[int, LetterForm] = {}
    for measure in measures:
        kind = LETTER_OF.get(measure.kind)
        if kind is not None and measure.step is not Step.DROPPED:
            forms[measure.id] = LetterForm(kind, LABELS[kind], case.report.narrative, incident)
    return forms
