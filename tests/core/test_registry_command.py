"""``meldbot export cases|audit`` on SQLite and PostgreSQL: the operator's registry file
(restricted cases in, the vertrouwenspersoon's out), the audit CSV, both audited as
``cli``, and bad input refused in one sentence."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.audit.models import AuditEntry
from bot.case.models import Addressee, Category, NewReport, Reporter
from bot.cli import main
from tests.core.conftest import JAN, Harness, MakeBot

CONFIDANT = {"name": "Els Bakker", "phone": "+31 6 8765 4321", "web": {"people": ["els"]}}
STAFF = Reporter("web", "staff-1", "Sanne de Vries")
MARCH = ("--from", "2026-03-01", "--to", "2026-03-31")


@pytest.fixture
async def desk(
    make_bot: MakeBot, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Harness:
    bot = await make_bot(confidant=CONFIDANT)
    monkeypatch.setenv("MELDBOT_DATABASE_URL", database_url)
    monkeypatch.setenv("MELDBOT_SEAL_KEY", bot.runtime.settings.seal_key or "")
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path))
    cases = bot.runtime.cases
    await cases.report(NewReport("Gescholden.", category=Category.VERBAL_AGGRESSION), STAFF)
    hidden = await cases.report(NewReport("Een collega.", category=Category.INTIMIDATION), STAFF)
    await cases.restrict(JAN, hidden.id, frozenset({JAN.key}))
    to_els = NewReport("Alleen voor Els.", category=Category.DISCRIMINATION)
    to_els.addressee = Addressee.CONFIDANT
    await cases.report(to_els, STAFF)
    await bot.settle()
    return bot


async def _run(*argv: str) -> int:
    return await asyncio.to_thread(main, list(argv))


async def _audit(bot: Harness) -> list[AuditEntry]:
    """Every entry: the command line writes its own at the real time, not the test's."""
    async with bot.runtime.database.transaction() as tx:
        return await tx.audit.between(datetime(2000, 1, 1, tzinfo=UTC), datetime.now(UTC))


async def test_the_operator_exports_the_cases_with_the_restricted_ones(
    desk: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "registratie.csv"
    assert await _run("export", "cases", *MARCH, "--output", str(output)) == 0
    assert capsys.readouterr().err == f"meldbot: 2 rows written to {output}\n"
    assert output.stat().st_mode & 0o777 == 0o600, "the file describes cases"
    rows = list(csv.reader(io.StringIO(output.read_text("utf-8-sig")), delimiter=";"))
    assert [(row[0], row[1], row[9]) for row in rows[1:]] == [
        ("2026-03", "verbal_aggression", "nieuw"),
        ("2026-03", "intimidation", "nieuw"),
    ], "the vertrouwenspersoon's report is never in a registry export"
    [entry] = [e for e in await _audit(desk) if e.action == "registry.export"]
    assert (entry.actor, entry.actor_name) == ("cli", None)
    assert entry.detail == "2026-03-01..2026-03-31: 2 rows"
    assert await _run("export", "cases", "--from", "2026-04-01", "--to", "2026-04-30") == 0
    captured = capsys.readouterr()
    assert captured.out == "\ufeff" + ";".join(rows[0]) + "\r\n", "the header alone, on stdout"
    assert captured.err == "meldbot: 0 rows written to stdout\n"


async def test_the_audit_log_exports_from_the_command_line(
    desk: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    await desk.runtime.cases.read(JAN, 1)
    output = tmp_path / "audit.csv"
    assert await _run("export", "audit", *MARCH, "--output", str(output)) == 0
    assert capsys.readouterr().err == f"meldbot: 2 rows written to {output}\n"
    rows = list(csv.reader(io.StringIO(output.read_text("utf-8"))))
    assert rows[0] == ["at", "actor", "actor_name", "action", "reference", "case_id", "detail"]
    assert [(row[1], row[3]) for row in rows[1:]] == [
        ("web:coord-1", "restrict"),
        ("web:coord-1", "open"),
    ]
    [entry] = [e for e in await _audit(desk) if e.action == "audit.export"]
    assert (entry.actor, entry.actor_name) == ("cli", None)


async def test_bad_input_is_refused_in_one_sentence(
    desk: Harness, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, said in (
        (("--from", "2026-13-01", "--to", "2026-03-31"), "--from needs a day as YYYY-MM-DD"),
        (("--from", "2026-03-01", "--to", "31-03-2026"), "--to needs a day as YYYY-MM-DD"),
        (("--from", "2026-03-31", "--to", "2026-03-01"), "a period of at most a year"),
        (("--from", "2025-01-01", "--to", "2026-03-01"), "a period of at most a year"),
        ((*MARCH, "--output", str(tmp_path / "nowhere" / "x.csv")), "cannot be written"),
    ):
        for what in ("cases", "audit"):
            assert await _run("export", what, *argv) == 2, argv
            err = capsys.readouterr().err
            assert said in err and err.count("\n") == 1 and "Traceback" not in err, argv
    bad = tmp_path / "bad.csv"
    assert (
        await _run(
            "export", "cases", "--from", "2026-03-31", "--to", "2026-03-01", "--output", str(bad)
        )
        == 2
    )
    assert not bad.exists(), "a refused export makes no file"
    capsys.readouterr()
    assert not [e for e in await _audit(desk) if e.action.endswith(".export")]
