"""``meldbot retention run [--dry-run]`` and ``meldbot retention destroyed``: CSV out,
one sentence and exit 2 on bad input, audited as ``cli``."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.cli import main
from bot.schedule.calendar import AMSTERDAM
from tests.core.conftest import Harness
from tests.core.console import BEA
from tests.core.retention import NARRATIVE, closed_case


async def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


async def test_the_command_lists_purges_and_gives_the_destruction_list(
    bot: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = bot.runtime.settings
    monkeypatch.delenv("MELDBOT_CONFIG", raising=False)
    monkeypatch.setenv("MELDBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MELDBOT_SEAL_KEY", settings.seal_key or "")
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(settings.data_dir))
    bot.clock.now = datetime.now(UTC) - timedelta(days=3 * 366)  # the command's clock is real
    case = await closed_case(bot)
    capsys.readouterr()

    code, out, err = await _cli(capsys, "retention", "run", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "reference,category,due_on,outcome,rule"
    assert lines[1].startswith(f"{case.reference},threat,") and lines[1].endswith(
        "without_measures,without_measures 2y"
    )
    assert "would be deleted" in err
    async with bot.runtime.database.transaction() as tx:
        kept = await tx.cases.get(case.id)
    assert kept is not None and kept.report.narrative == NARRATIVE

    code, out, _err = await _cli(capsys, "retention", "run")
    assert code == 0 and case.reference in out
    today = datetime.now(UTC).astimezone(AMSTERDAM).date().isoformat()
    code, out, _err = await _cli(capsys, "retention", "destroyed", "--from", today, "--to", today)
    assert code == 0
    header, row = out.splitlines()
    assert header == "reference,category,month,outcome,rule,due_on,purged_at"
    assert row.startswith(f"{case.reference},threat,{case.created_at:%Y-%m},without_measures,")
    log = await bot.runtime.audit.of_case(BEA, case.reference)
    assert [(e.actor, e.action) for e in log if e.action == "retention.purge"] == [
        ("cli", "retention.purge")
    ]


@pytest.mark.parametrize(
    ("first", "last", "said"),
    [
        ("2026-13-01", "2026-12-31", "--from must be a day"),
        ("2026-01-01", "31-12-2026", "--to must be a day"),
        ("2026-02-01", "2026-01-31", "--to must be on or after --from."),
    ],
)
def test_a_bad_period_is_one_sentence_and_exit_2(
    first: str, last: str, said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["retention", "destroyed", "--from", first, "--to", last]) == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err and err.count("\n") == 1
