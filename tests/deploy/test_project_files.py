"""CHANGELOG.md keeps Keep a Changelog's shape, SECURITY.md gives a disclosure route, and
the README tells an IT department how to deploy what deploy/ holds."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Keep a Changelog 1.1.0: the kinds of change, under a version or [Unreleased].
KINDS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
VERSION = re.compile(r"^## \[(Unreleased|\d+\.\d+\.\d+)\]( - \d{4}-\d{2}-\d{2})?$")


def _headings(path: Path, level: str) -> list[str]:
    return [line for line in path.read_text().splitlines() if line.startswith(level + " ")]


def test_the_changelog_has_versions_and_kinds_of_change_only() -> None:
    changelog = ROOT / "CHANGELOG.md"
    assert _headings(changelog, "#") == ["# Changelog"]
    versions = _headings(changelog, "##")
    assert versions and versions[0] == "## [Unreleased]"
    assert all(VERSION.match(line) for line in versions), versions
    kinds = {line.removeprefix("### ") for line in _headings(changelog, "###")}
    assert kinds and kinds <= KINDS, kinds - KINDS


def test_security_says_where_what_and_how_soon() -> None:
    text = (ROOT / "SECURITY.md").read_text()
    for heading in ("## Waar meld je het", "## Wat zet je erin", "## Geen persoonsgegevens"):
        assert heading in text
    assert "Report a vulnerability" in text, "a private route, not a public issue"
    assert re.search(r"binnen 3 werkdagen", text) and re.search(r"within 3 working days", text)


def test_the_readme_names_every_deployment_file() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Uitrollen", 1)[1].split("\n## ", 1)[0]
    for name in (
        "deploy/install",
        "deploy/meldbot.service",
        "Containerfile",
        "deploy/healthcheck",
        "/etc/meldbot/meldbot.env",
    ):
        assert name in section, name
    for path in ("deploy/install", "deploy/meldbot.service", "deploy/healthcheck"):
        assert (ROOT / path).is_file(), path
