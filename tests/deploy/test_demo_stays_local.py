"""The demo web chat and the demo sign-in trust a request whose Host is 127.0.0.1. Behind a
reverse proxy on the same machine that does not pass the Host on, every visitor would look
like that; so meldbot refuses to start with a public address while the demo web chat is on,
and offers no demo sign-in there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "https://meldbot.example.org"
SIGNIN = """
[signin]
issuer = "https://login.example.org/realms/gemeente"
client_id = "meldbot"

[signin.roles]
coordinator = ["meldbot-coordinator"]
"""


def _slack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("MELDBOT_SLACK_COORDINATOR_CHANNEL", "C0COORD")


def _signin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "meldbot.toml"
    path.write_text(SIGNIN)
    monkeypatch.setenv("MELDBOT_CONFIG", str(path))


def test_a_public_address_with_the_demo_web_chat_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MELDBOT_PUBLIC_URL", PUBLIC)
    _signin(tmp_path, monkeypatch)  # a real sign-in does not make the web chat's picker safe
    with pytest.raises(ConfigError, match="MELDBOT_WEB_CHAT=off") as refused:
        load_settings()
    assert "meldbot.example.org" in str(refused.value)
    _slack(monkeypatch)
    monkeypatch.setenv("MELDBOT_WEB_CHAT", "on")  # switched on beside Slack: the same
    with pytest.raises(ConfigError, match="demo web chat"):
        load_settings()


def test_a_public_address_without_a_sign_in_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    _slack(monkeypatch)  # the web chat is off beside Slack; the demo sign-in is not offered
    monkeypatch.setenv("MELDBOT_PUBLIC_URL", PUBLIC)
    settings = load_settings()
    assert settings.signin is None and not settings.on_this_machine


def test_a_public_address_with_a_sign_in_and_no_demo_starts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _slack(monkeypatch)
    _signin(tmp_path, monkeypatch)
    monkeypatch.setenv("MELDBOT_PUBLIC_URL", PUBLIC)
    settings = load_settings()
    assert settings.public_url == PUBLIC and not settings.web_chat_enabled
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    monkeypatch.setenv("MELDBOT_WEB_CHAT", "off")  # only the staff page, behind the sign-in
    assert not load_settings().web_chat_enabled


@pytest.mark.parametrize("url", ["http://127.0.0.1:3978", "http://localhost:8080", "http://[::1]"])
def test_the_demo_on_this_machine_starts_as_before(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("MELDBOT_PUBLIC_URL", url)
    settings = load_settings()
    assert settings.web_chat_enabled and settings.signin is None


def test_meldbot_serve_says_so_in_one_sentence_and_never_listens(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if "proxy" not in k.lower()},
        "MELDBOT_DATA_DIR": str(tmp_path),
        "MELDBOT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}",
        "MELDBOT_PUBLIC_URL": PUBLIC,
    }
    env.pop("MELDBOT_CONFIG", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "MELDBOT_WEB_CHAT=off" in lines[0], result.stderr
    assert "meldbot: http://" not in result.stdout, "it must not have started serving"
    assert not (tmp_path / "meldbot.db").exists(), "nothing is made before the refusal"
