"""The registry file's cells: formulas made text, hours with a decimal comma, the BOM and
the Dutch separator — pure functions, no database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from bot.registry.models import RegistryFacts
from bot.registry.sheet import COLUMNS, cell, row_of, rows_of, to_csv

REPORTED = datetime(2026, 3, 31, 22, 30, tzinfo=UTC)  # 1 April, 00:30 in Amsterdam


def _facts(**changed: object) -> RegistryFacts:
    fields: dict[str, object] = {
        "case_id": 7,
        "created_at": REPORTED,
        "category": "threat",
        "platform": "teams",
        "department": "Belastingen",
        "urgent": False,
        "status": "closed",
        "measures": ("warning_letter", "police_report"),
        "aangifte_by": None,
        "first_contact_at": REPORTED + timedelta(minutes=95),
        "restricted": False,
        "for_confidant": False,
    }
    return RegistryFacts(**(fields | changed))  # type: ignore[arg-type]


@pytest.mark.parametrize("typed", ["=SUM(A1)", "+31 6", "-1", "@cmd", "\tx", "\rx"])
def test_a_cell_that_could_run_as_a_formula_is_text(typed: str) -> None:
    assert cell(typed) == "'" + typed


def test_a_plain_cell_is_left_as_it_is() -> None:
    assert [cell(v) for v in ("Burgerzaken", "", "a=b", "2,5")] == ["Burgerzaken", "", "a=b", "2,5"]


def test_a_row_in_the_registry_words() -> None:
    assert row_of(_facts()) == [
        "2026-04",  # the Amsterdam month, not the UTC one
        "threat",
        "teams",
        "Belastingen",
        "normaal",
        "warning_letter, police_report",
        "ja",  # the measure police_report taken counts as aangifte
        "",
        "1,6",
        "afgesloten",
    ]
    purged = _facts(department=None, category=None, measures=(), first_contact_at=None)
    assert row_of(purged)[1:9] == ["", "teams", "", "normaal", "", "nee", "", ""]
    assert row_of(_facts(aangifte_by="reporter", urgent=True))[4:8] == [
        "spoed",
        "warning_letter, police_report",
        "ja",
        "melder",
    ]


def test_the_file_is_for_excel_in_a_dutch_locale() -> None:
    text = to_csv(rows_of([_facts(department="Wijk; Noord")]))
    assert text.startswith("\ufeff" + ";".join(COLUMNS) + "\r\n")
    [header, row] = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert header == list(COLUMNS) and row[3] == "Wijk; Noord", "a ; in a cell is quoted"
