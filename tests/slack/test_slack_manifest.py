"""The app manifest asks for exactly what the adapter uses."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from adapters.slack.adapter import EVENTS_PATH
from adapters.slack.listeners import REPORT_COMMAND, REPORT_SHORTCUT

ROOT = Path(__file__).resolve().parents[2]
ADAPTER = ROOT / "adapters" / "slack"

# Web API methods (as slack_sdk names them) and the bot scopes they need.
SCOPES = {
    "chat_postMessage": {"chat:write"},
    "chat_postEphemeral": {"chat:write"},
    "chat_update": {"chat:write"},
    "chat_delete": {"chat:write"},  # a bot deletes its own messages with chat:write
    "conversations_open": {"im:write"},
    "conversations_members": {"channels:read", "groups:read"},
    "files_upload_v2": {"files:write"},
    "files_delete": {"files:write"},
    "files_info": {"files:read"},
    "users_info": {"users:read"},
    "views_open": set(),
    "views_update": set(),
    "views_publish": set(),
    "auth_test": set(),  # who the bot is, asked at start (bolt asks it too)
}
# Scopes for what Slack sends rather than what the code calls (files:read: downloading
# the private URL of a file someone shared in their DM).
INBOUND_SCOPES = {"commands", "im:history", "files:read"}
# The events the listeners subscribe to, and the scopes Slack requires for each.
EVENTS = {
    "message.im": {"im:history"},
    "app_home_opened": set(),
    "team_join": {"users:read"},
    "member_joined_channel": {"channels:read", "groups:read"},
}


def manifest() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "manifest" / "slack.yaml").read_text())
    return loaded


def called_methods() -> set[str]:
    source = "\n".join(path.read_text() for path in ADAPTER.glob("*.py"))
    return set(re.findall(r"\bclient\.([a-z]+_[A-Za-z0-9_]+)\(", source))


def test_scopes_are_exactly_the_ones_used() -> None:
    methods = called_methods()
    assert methods, "no Web API calls found in the adapter"
    assert methods <= SCOPES.keys(), f"scope unknown for {methods - SCOPES.keys()}"
    needed = set().union(*(SCOPES[m] for m in methods), *EVENTS.values()) | INBOUND_SCOPES
    assert set(manifest()["oauth_config"]["scopes"]["bot"]) == needed


def test_command_shortcut_events_and_urls_match_the_code() -> None:
    features, settings = manifest()["features"], manifest()["settings"]
    [command] = features["slash_commands"]
    [shortcut] = features["shortcuts"]
    assert command["command"] == REPORT_COMMAND
    assert (shortcut["type"], shortcut["callback_id"]) == ("global", REPORT_SHORTCUT)
    assert set(settings["event_subscriptions"]["bot_events"]) == EVENTS.keys()
    urls = [
        command["url"],
        settings["event_subscriptions"]["request_url"],
        settings["interactivity"]["request_url"],
    ]
    assert urls == [f"https://meldbot.example.org{EVENTS_PATH}"] * 3
    assert settings["interactivity"]["is_enabled"] is True
    assert features["app_home"]["home_tab_enabled"] is True
    assert features["app_home"]["messages_tab_enabled"] is True
    assert features["bot_user"]["display_name"] == "meldbot"


def test_shortcut_and_command_descriptions_fit() -> None:
    features = manifest()["features"]
    assert len(features["shortcuts"][0]["description"]) <= 150
    assert len(features["slash_commands"][0]["description"]) <= 100
    assert len(manifest()["display_information"]["description"]) <= 140
    assert 175 <= len(manifest()["display_information"]["long_description"]) <= 4000
