"""The registry file: stable Dutch column names, one row per case, for Excel in a Dutch
locale — ``;`` between cells (Dutch Excel's list separator; the decimal is a comma), a
UTF-8 byte order mark (without it Excel reads UTF-8 as Windows-1252), and every cell
that could run as a formula made text."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bot.registry.models import RegistryFacts
from bot.schedule.calendar import AMSTERDAM

COLUMNS = (
    "maand",
    "categorie",
    "kanaal",
    "afdeling",
    "urgentie",
    "maatregelen",
    "aangifte",
    "aangifte_door",
    "uren_tot_eerste_contact",
    "status",
)
STATUS = {
    "new": "nieuw",
    "in_progress": "in_behandeling",
    "measure": "maatregel",
    "closed": "afgesloten",
}
FILED_BY = {"reporter": "melder", "employer": "werkgever"}
BOM = "\ufeff"
FORMULA = frozenset("=+-@\t\r")


def cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading =, +, - or @ would run as a formula."""
    return f"'{value}" if value[:1] in FORMULA else value


def _hours(facts: RegistryFacts) -> str:
    if facts.first_contact_at is None:
        return ""
    hours = (facts.first_contact_at - facts.created_at).total_seconds() / 3600
    return f"{hours:.1f}".replace(".", ",")


def _month(moment: datetime) -> str:
    return f"{moment.astimezone(AMSTERDAM):%Y-%m}"


def row_of(facts: RegistryFacts) -> list[str]:
    aangifte = facts.aangifte_by is not None or "police_report" in facts.measures
    values = (
        _month(facts.created_at),
        facts.category or "",
        facts.platform,
        facts.department or "",
        "spoed" if facts.urgent else "normaal",
        ", ".join(facts.measures),
        "ja" if aangifte else "nee",
        FILED_BY.get(facts.aangifte_by or "", facts.aangifte_by or ""),
        _hours(facts),
        STATUS.get(facts.status, facts.status),
    )
    return [cell(value) for value in values]


def rows_of(facts: list[RegistryFacts]) -> list[list[str]]:
    """The header and one row per case."""
    return [list(COLUMNS), *(row_of(one) for one in facts)]


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    out.write(BOM)
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
    return out.getvalue()
