"""Checking cards as Teams would take them: the official Adaptive Card 1.5 schema, plus
the ``msteams`` extension Teams documents (width, mention entities), which the schema
itself forbids (``additionalProperties: false``), and what the schema cannot say."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from importlib.resources import files
from typing import Any

from jsonschema import Draft6Validator  # type: ignore[import-untyped]

from adapters.teams import render

OFFICIAL: dict[str, Any] = json.loads(
    (files("adaptive_cards") / "schemas" / "schema-1.5.json").read_text(encoding="utf-8")
)

# Teams' card extension, as narrow as we use it: anything else in it is a mistake.
MSTEAMS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "width": {"enum": ["Full"]},
        "entities": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["type", "text", "mentioned"],
                "properties": {
                    "type": {"enum": ["mention"]},
                    "text": {"type": "string", "pattern": "^<at>[^<>]+</at>$"},
                    "mentioned": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["id", "name"],
                        "properties": {
                            "id": {"type": "string", "minLength": 1},
                            "name": {"type": "string", "minLength": 1},
                        },
                    },
                },
            },
        },
    },
}


def _teams_schema() -> dict[str, Any]:
    schema = copy.deepcopy(OFFICIAL)
    schema["definitions"]["AdaptiveCard"]["properties"]["msteams"] = MSTEAMS
    return schema


VALIDATOR = Draft6Validator(_teams_schema(), format_checker=Draft6Validator.FORMAT_CHECKER)


def schema_errors(card: dict[str, Any]) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(card)]


def nodes(card: Any) -> Iterator[dict[str, Any]]:
    """Every object in the card, depth first."""
    if isinstance(card, dict):
        yield card
        for value in card.values():
            yield from nodes(value)
    elif isinstance(card, list):
        for value in card:
            yield from nodes(value)


def of_type(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [node for node in nodes(card) if node.get("type") == kind]


def markdown_texts(card: dict[str, Any]) -> list[str]:
    """Every text Teams reads as markdown: TextBlocks and both sides of Facts."""
    texts = [block["text"] for block in of_type(card, "TextBlock")]
    for fact_set in of_type(card, "FactSet"):
        texts += [part for fact in fact_set["facts"] for part in (fact["title"], fact["value"])]
    return texts


def assert_valid(card: dict[str, Any]) -> None:
    """Valid for the schema, and for what Teams needs that the schema does not say."""
    errors = schema_errors(card)
    assert not errors, errors
    assert card["version"] == "1.5"
    assert render.card_size(card) <= render.CARD_MAX
    assert all(block["wrap"] is True for block in of_type(card, "TextBlock"))
    ids = [node["id"] for node in nodes(card) if str(node.get("type", "")).startswith("Input.")]
    assert len(ids) == len(set(ids)), ids
    for action in of_type(card, "Action.Execute"):
        fallback = action["fallback"]
        assert fallback["type"] == "Action.Submit"
        assert (fallback["title"], fallback["data"]) == (action["title"], action["data"])
        assert fallback["associatedInputs"] == action["associatedInputs"]
    _assert_mentions(card)


def _assert_mentions(card: dict[str, Any]) -> None:
    entities = card["msteams"].get("entities", [])
    texts = [entity["text"] for entity in entities]
    assert len(texts) == len(set(texts)), "mention texts must be unique in a card"
    shown = "\n".join(markdown_texts(card))
    for entity in entities:
        assert entity["text"] in shown
        assert entity["text"] == f"<at>{entity['mentioned']['name']}</at>"
    # No tag in the card that is not one of our mentions.
    assert shown.count("<at>") == sum(shown.count(text) for text in set(texts))
