"""Configuration: environment plus TOML, and one clear sentence when something is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "meldbot.example.toml"


def test_defaults_need_no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert settings.language == "nl"
    assert settings.database_url.startswith("sqlite+aiosqlite")
    assert settings.web_chat_enabled and not settings.slack_enabled


def test_the_example_file_loads_and_the_environment_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDBOT_CONFIG", str(EXAMPLE))
    monkeypatch.setenv("MELDBOT_LANGUAGE", "en")
    monkeypatch.setenv("MELDBOT_SLACK_COORDINATORS", "U01, U02")
    settings = load_settings()
    assert settings.language == "en"
    assert settings.slack_coordinators == ["U01", "U02"]
    assert settings.coordinator_contact.name
    assert settings.support_contacts, "the example names a vertrouwenspersoon"


def test_slack_without_a_signing_secret_is_refused_by_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("MELDBOT_SLACK_COORDINATOR_CHANNEL", "C0COORD")
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        load_settings()
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.delenv("MELDBOT_SLACK_COORDINATOR_CHANNEL")
    with pytest.raises(ConfigError, match="MELDBOT_SLACK_COORDINATOR_CHANNEL"):
        load_settings()
    monkeypatch.setenv("MELDBOT_SLACK_COORDINATOR_CHANNEL", "C0COORD")
    settings = load_settings()
    assert settings.slack_enabled and not settings.web_chat_enabled
    monkeypatch.setenv("MELDBOT_WEB_CHAT", "on")
    assert load_settings().web_chat_enabled


def test_postgresql_needs_a_seal_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MELDBOT_DATABASE_URL", "postgresql+asyncpg://meldbot@db/meldbot")
    with pytest.raises(ConfigError, match="MELDBOT_SEAL_KEY"):
        load_settings()


def test_a_wrong_value_stops_the_cli_with_one_sentence(tmp_path: Path) -> None:
    env = {**os.environ, "MELDBOT_LANGUAGE": "fr", "MELDBOT_DATA_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "serve", "--port", "0"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "MELDBOT_LANGUAGE" in lines[0], result.stderr


def test_a_missing_config_file_is_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MELDBOT_CONFIG", str(tmp_path / "nope.toml"))
    with pytest.raises(ConfigError, match=r"nope\.toml"):
        load_settings()


def test_a_post_for_a_platform_that_is_not_configured_stops_start_up() -> None:
    reminder = {"platform": "slack", "channel": "C0TEAM", "schedule": "0 9 * * 1"}
    with pytest.raises(ConfigError, match=r"\[\[reminders\]\] names platform slack"):
        load_settings(reminders=[reminder], web_chat="on")
    web = {"platform": "web", "channel": "team", "schedule": "0 9 * * 1"}
    assert load_settings(reminders=[web], web_chat="on").reminders[0].channel == "team"


def test_departments_are_short_and_listed_once() -> None:
    with pytest.raises(ConfigError, match="twice"):
        load_settings(departments=["Burgerzaken", "Burgerzaken"])
    with pytest.raises(ConfigError, match="departments #1 is invalid"):
        load_settings(departments=["x" * 101])
