"""The Containerfile, read as a build would read it (no container engine runs here): a slim
Python 3.11 base, the install script, a user that is not root, a health check on /readyz,
the port and the data volume, and no setting or secret baked in."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = ROOT / "Containerfile"
# What a working copy may hold that must never reach an image: settings, the local seal
# key and database (var/), environment files with tokens, the developer's environment.
NEVER_COPIED = ("meldbot.toml", "var", ".env", ".venv", ".cache", ".git")
SECRET_NAMES = re.compile(r"SECRET|TOKEN|PASSWORD|SEAL_KEY|CLIENTSECRET", re.IGNORECASE)


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in CONTAINERFILE.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    assert not pending, "the Containerfile ends inside a continued line"
    parsed = []
    for line in logical:
        instruction, _, arguments = line.partition(" ")
        parsed.append((instruction.upper(), arguments.strip()))
    return parsed


def _all(name: str) -> list[str]:
    return [arguments for instruction, arguments in _instructions() if instruction == name]


def test_a_slim_python_3_11_base() -> None:
    (base,) = _all("FROM")
    assert re.fullmatch(r"(docker\.io/library/)?python:3\.11-slim(-\w+)?", base), base


def test_the_image_is_built_with_the_install_script() -> None:
    assert "deploy/install" in _all("RUN")[0], "deploy/install is the first build step"
    assert all("pip install" not in step for step in _all("RUN")), "no steps of its own"


def test_it_runs_as_a_user_of_its_own() -> None:
    instructions = _instructions()
    users = [(i, arguments) for i, (name, arguments) in enumerate(instructions) if name == "USER"]
    assert users, "no USER: the image would run as root"
    last_user, user = users[-1]
    assert user.partition(":")[0] not in {"root", "0"}
    later = [name for name, _ in instructions[last_user:]]
    assert "RUN" not in later, "every build step as root comes before USER"
    made = " ".join(_all("RUN"))
    assert "useradd --system --uid 10001 --user-group" in made and user == "meldbot:meldbot"


def test_health_is_asked_of_readyz_on_the_exposed_port() -> None:
    (healthcheck,) = _all("HEALTHCHECK")
    options, _, command = healthcheck.partition("CMD ")
    assert {"--interval=30s", "--timeout=10s", "--retries=3"} <= set(options.split())
    assert json.loads(command) == [
        "/opt/meldbot/.venv/bin/python",
        "/opt/meldbot/deploy/healthcheck",
    ]
    assert _all("EXPOSE") == ["3978"]
    assert "MELDBOT_PORT=3978" in " ".join(_all("ENV"))
    serve = json.loads(_all("CMD")[-1])
    assert serve == [
        "/opt/meldbot/.venv/bin/meldbot",
        "serve",
        "--host",
        "0.0.0.0",  # noqa: S104 (inside the container; meldbot then requires a [signin])
        "--port",
        "3978",
    ]


def test_the_cases_live_in_a_volume() -> None:
    assert json.loads(_all("VOLUME")[0]) == ["/var/lib/meldbot"]
    assert _all("WORKDIR")[-1] == "/var/lib/meldbot", "the relative var/ lands in the volume"


def test_no_setting_or_secret_is_baked_in() -> None:
    copied = [shlex.split(arguments)[:-1] for arguments in _all("COPY")]
    sources = [source.rstrip("/") for sources in copied for source in sources]
    assert "." not in sources, "copying the whole working copy could take var/seal.key along"
    assert not set(sources) & set(NEVER_COPIED), sources
    assert set(sources) >= {"pyproject.toml", "bot", "adapters", "storage", "dialogs", "deploy"}
    for name in ("ENV", "ARG", "LABEL"):
        for arguments in _all(name):
            names = [part.partition("=")[0] for part in shlex.split(arguments)]
            assert not [n for n in names if SECRET_NAMES.search(n)], (name, arguments)
    assert not _all("ADD"), "ADD could fetch from anywhere; COPY takes files from here only"
