"""``meldbot privacy export|erase`` as an operator runs it: the files it writes, what it
prints, its exit codes, and the audit entries with the actor ``cli``."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.case.models import NewReport, Reporter
from bot.cli import main
from tests.core.conftest import JAN, Harness

SANNE = Reporter("slack", "U7SANNE", "Sanne de Vries")
STORY = "Een bezoeker dreigde bij loket Vuurtoren."


@pytest.fixture
async def seeded(bot: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Harness:
    """A named report, one open and one closed, and the CLI pointed at the same database."""
    cases = bot.runtime.cases
    closed = await cases.report(NewReport(STORY), SANNE)
    await cases.report(NewReport("Gescholden bij de ingang."), SANNE)
    await cases.close(JAN, closed.id, "Afgerond.", None)
    await bot.settle()
    settings = bot.runtime.settings
    monkeypatch.delenv("MELDBOT_CONFIG", raising=False)
    monkeypatch.setenv("MELDBOT_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MELDBOT_SEAL_KEY", settings.seal_key or "")
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MELDBOT_ORGANISATION", "Gemeente Ergens")
    return bot


async def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = await asyncio.to_thread(main, list(argv))
    return code, capsys.readouterr().out


async def test_export_writes_the_json_and_the_summary(
    seeded: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder = tmp_path / "verzoek-12"
    code, out = await _cli(
        capsys, "privacy", "export", "--reporter", "slack:U7SANNE", "--output", str(folder)
    )
    assert code == 0
    [data_file] = folder.glob("meldbot-inzage-*.json")
    [text_file] = folder.glob("meldbot-inzage-*-samenvatting.txt")
    assert str(data_file) in out and str(text_file) in out
    document = json.loads(data_file.read_text("utf-8"))
    assert document["person"] == {"role": "reporter", "key": "slack:U7SANNE"}
    assert STORY in [case["narrative"] for case in document["cases"]]
    assert "2 melding(en)" in text_file.read_text("utf-8")


async def test_erase_shows_first_then_erases_and_names_what_it_keeps(
    seeded: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    who = ("--reporter", "slack:U7SANNE")
    code, out = await _cli(capsys, "privacy", "erase", *who)
    assert code == 0
    assert "would erase 1 case(s)" in out and "run again with --confirm" in out
    assert "still in handling (AVG art. 17(3)); ask again after it is closed" in out
    code, out = await _cli(capsys, "privacy", "erase", *who, "--confirm")
    assert code == 0 and "erased 1 case(s)" in out and "--confirm" not in out
    async with seeded.runtime.database.transaction() as tx:
        entries = await tx.audit.between(
            seeded.clock().replace(year=2000), seeded.clock().replace(year=2100)
        )
    done = [e for e in entries if e.action.startswith("privacy.")]
    assert [(e.actor, e.action) for e in done] == [("cli", "privacy.erase")], "a dry run is not"
    assert done[0].detail == "reporter: cases 1, refused 1, states 0"


async def test_unknown_people_and_bad_input_get_one_sentence(
    seeded: Harness, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = await _cli(capsys, "privacy", "erase", "--coordinator", "slack:U-NIEMAND")
    assert (code, out) == (0, "meldbot: nothing is held about slack:U-NIEMAND as coordinator.\n")
    folder = tmp_path / "leeg"
    code, out = await _cli(
        capsys,
        "privacy",
        "export",
        "--manager",
        "email:niemand@example.org",
        "--output",
        str(folder),
    )
    assert code == 0 and "nothing is held" in out and list(folder.iterdir()) == []
    code, out = await _cli(
        capsys, "privacy", "export", "--reporter", "U7SANNE", "--output", str(folder)
    )
    assert code == 2 and out.startswith("meldbot: Give the person as platform:id")
    a_file = tmp_path / "bestand"
    a_file.write_text("")
    code, out = await _cli(
        capsys, "privacy", "export", "--reporter", "slack:U7SANNE", "--output", str(a_file)
    )
    assert code == 2 and "is not a folder" in out
