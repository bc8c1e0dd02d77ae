"""publiccode.yml, the Standard for Public Code's metadata: valid against the 0.4 standard
(no validator of it is published for Python or npm, so its schema is written here from the
standard's text), and true to the repository: its licence, version and languages."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from bot.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((Path(__file__).with_name("publiccode-0.4.schema.json")).read_text())


def _publiccode() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "publiccode.yml").read_text(encoding="utf-8"))
    return data


def _errors(document: dict[str, Any]) -> list[str]:
    validator = Draft202012Validator(SCHEMA)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def test_the_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(SCHEMA)


def test_publiccode_yml_follows_the_standard() -> None:
    assert _errors(_publiccode()) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.pop("developmentStatus"), "developmentStatus"),
        (lambda d: d.update(softwareType="webapp"), "softwareType"),
        (lambda d: d.update(categories=["chatbots"]), "categories/0"),
        (
            lambda d: d["description"]["nl"].update(shortDescription="x" * 151),
            "nl/shortDescription",
        ),
        (
            lambda d: d["description"]["en"].update(longDescription="Too short."),
            "en/longDescription",
        ),
        (lambda d: d["maintenance"].update(type="internal"), "maintenance"),
        (lambda d: d["localisation"].update(localisationReady="yes"), "localisationReady"),
        (lambda d: d.update(url="code.example.org/meldbot"), "url"),
    ],
)
def test_the_schema_refuses_what_the_standard_refuses(change: Any, named: str) -> None:
    document = _publiccode()
    change(document)
    errors = _errors(document)
    assert any(named in error for error in errors), errors


def test_both_descriptions_dutch_first() -> None:
    description = _publiccode()["description"]
    assert list(description) == ["nl", "en"]
    assert len(description["nl"]["features"]) == len(description["en"]["features"])


def test_it_says_what_the_repository_says() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    publiccode = _publiccode()
    assert publiccode["legal"]["license"] == project["license"]["text"] == "EUPL-1.2"
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.splitlines()[0] == "# EUROPEAN UNION PUBLIC LICENCE v. 1.2"
    assert publiccode["softwareVersion"] == project["version"]
    shipped = {"en"} | {path.name for path in LOCALE_DIR.iterdir() if path.is_dir()}
    assert set(publiccode["localisation"]["availableLanguages"]) == shipped
