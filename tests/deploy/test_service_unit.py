"""deploy/meldbot.service: systemd accepts it without a warning, and its hardening holds.

``systemd-analyze verify`` needs the ExecStart program to exist, so the unit is checked
as shipped with only that path pointed at this checkout's meldbot (what deploy/install made).
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import _require

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "deploy" / "meldbot.service"
INSTALLED = "/opt/meldbot/.venv/bin/meldbot"
# systemd-analyze security rates exposure from 0 (locked down) to 10, "OK" below 2; its
# --threshold counts in tenths.
EXPOSURE_THRESHOLD = 2.0


def _systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if found is None:
        _require("systemd-analyze (Debian package systemd), to check the unit,")
    assert found is not None
    return found


def _unit_here(tmp_path: Path, text: str | None = None) -> Path:
    meldbot = Path(sys.executable).with_name("meldbot")
    assert meldbot.is_file(), "deploy/install puts meldbot next to the environment's python"
    unit = tmp_path / "meldbot.service"
    unit.write_text((text or UNIT.read_text()).replace(INSTALLED, str(meldbot)))
    return unit


def _verify(unit: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_systemd_analyze(), "verify", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _service() -> configparser.SectionProxy:
    # Keys that systemd allows twice (SystemCallFilter, Environment) are read as the last.
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(UNIT.read_text())
    return parser["Service"]


def test_systemd_accepts_the_unit_without_a_warning(tmp_path: Path) -> None:
    result = _verify(_unit_here(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == "", result.stderr


def test_a_misspelt_setting_is_a_warning_the_check_sees(tmp_path: Path) -> None:
    """The check above can fail: systemd ignores an unknown key with a warning."""
    broken = UNIT.read_text().replace("ProtectSystem=strict", "ProtectSytem=strict")
    result = _verify(_unit_here(tmp_path, broken))
    assert "Unknown key" in result.stderr and "ProtectSytem" in result.stderr


def test_the_unit_is_locked_down_by_systemds_own_measure(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            _systemd_analyze(),
            "security",
            "--offline=yes",
            f"--threshold={round(EXPOSURE_THRESHOLD * 10)}",
            str(_unit_here(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    overall = [line for line in result.stdout.splitlines() if "Overall exposure level" in line]
    print(overall[0] if overall else result.stdout)
    assert overall, result.stdout + result.stderr
    assert result.returncode == 0, f"exposure above {EXPOSURE_THRESHOLD}: {overall[0]}"


def test_the_hardening_an_it_department_looks_for() -> None:
    service = _service()
    expected = {
        "DynamicUser": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "NoNewPrivileges": "yes",
        "StateDirectory": "meldbot",
        "CapabilityBoundingSet": "",
        "SystemCallArchitectures": "native",
        "Restart": "on-failure",
        # meldbot sends no sd_notify; Type=notify would hang the start.
        "Type": "exec",
        "WorkingDirectory": "/var/lib/meldbot",
    }
    assert {key: service.get(key) for key in expected} == expected
    filters = [
        line.partition("=")[2]
        for line in UNIT.read_text().splitlines()
        if line.startswith("SystemCallFilter=")
    ]
    assert filters == ["@system-service", "~@privileged @resources"]
    assert service["EnvironmentFile"] == "/etc/meldbot/meldbot.env"


def test_no_secret_is_written_in_the_unit() -> None:
    """Secrets belong in the EnvironmentFile (root only), never in the unit, which anyone
    on the machine may read (systemctl show)."""
    assignments = [
        line.partition("=")[2]
        for line in UNIT.read_text().splitlines()
        if line.startswith("Environment=")
    ]
    names = {part.partition("=")[0] for line in assignments for part in line.split()}
    assert names == {
        "MELDBOT_CONFIG",
        "PYTHONUNBUFFERED",
        "PYTHONDONTWRITEBYTECODE",
        "MPLCONFIGDIR",
    }


def test_it_serves_on_this_machine_for_the_reverse_proxy() -> None:
    command = _service()["ExecStart"].split()
    assert command[0] == INSTALLED
    assert command[1:] == ["serve", "--host", "127.0.0.1", "--port", "3978"]
