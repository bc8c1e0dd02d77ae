"""Card action data: what our cards carry, and what comes back once Teams merged the inputs."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from adapters.teams import payloads, render
from adapters.teams.payloads import ButtonPressed, FormCancelled, FormSent, parse
from bot.case.models import Category
from bot.i18n import Translator
from bot.ui import Actions, Button, Choice, Form, Message, Option, Text, TextInput
from dialogs.report import report_form
from tests.teams.card_schema import assert_valid


def teams_merge(action: dict[str, Any], typed: dict[str, str]) -> dict[str, Any]:
    """What Teams sends for an action: its data with the card's input values on top level.

    ``typed`` maps input ids to what the person entered; inputs left empty may be left out.
    """
    inputs = typed if action["associatedInputs"] == "auto" else {}
    return {**action["data"], **inputs}


def sample_form() -> Form:
    return Form(
        "case.status",
        "Status",
        "Opslaan",
        [
            Choice("status", "Status", [Option("in_progress", "Bezig")], optional=False),
            TextInput("message", "Bericht", multiline=True, optional=True),
            TextInput("note", "Notitie", optional=True),
            # Field ids equal to our own keys: the input prefix keeps them apart.
            TextInput("kind", "Soort", optional=True),
            TextInput("form", "Formulier", optional=True),
        ],
        state="42",
    )


# -- round trips through rendered cards ------------------------------------------------------


def test_a_button_comes_back_as_pressed() -> None:
    button = Button("Oppakken", "case.claim", "7", style="primary")
    card = render.message_card(Message("x", [Text.of("Zaak"), Actions([button])]))
    assert_valid(card)
    [action] = card["actions"]
    expected = ButtonPressed("case.claim", "7")
    assert parse(teams_merge(action, {"field.note": "ignored"})) == expected
    # The Action.Submit fallback arrives as a message value, with Teams' own key added.
    assert parse({**action["fallback"]["data"], "msteams": {"x": 1}}) == expected


def test_a_button_without_a_value() -> None:
    assert parse(payloads.button_data(Button("Menu", "menu.open"))) == ButtonPressed(
        "menu.open", ""
    )


def test_a_sent_form_comes_back_with_its_values() -> None:
    form = sample_form()
    card = render.form_card(form, cancel_label="Annuleren")
    assert_valid(card)
    submit, cancel = card["actions"]
    typed = {
        "field.status": "in_progress",
        "field.message": "Beste melder,\nwe zijn ermee bezig.",
        "field.note": "",  # cleared: no answer
        "field.kind": "een soort",
        # "field.form" left out, as Teams does with untouched inputs
    }
    sent = parse(teams_merge(submit, typed))
    assert sent == FormSent(
        "case.status",
        "42",
        {
            "status": "in_progress",
            "message": "Beste melder,\nwe zijn ermee bezig.",
            "note": None,
            "kind": "een soort",
            "form": None,
        },
        submit["data"]["rendering"],
    )
    assert parse({**teams_merge(submit["fallback"], typed), "msteams": {}}) == sent
    assert parse(teams_merge(cancel, typed)) == FormCancelled("case.status")


def test_the_real_report_form_round_trips() -> None:
    form = report_form(Translator("nl"), list(Category), "Iets gebeurd")
    card = render.form_card(form, cancel_label="Annuleren")
    assert_valid(card)
    submit = card["actions"][0]
    sent = parse(teams_merge(submit, {"field.narrative": "Iets gebeurd", "field.danger": "no"}))
    assert isinstance(sent, FormSent)
    assert sent.form_id == form.form_id
    assert sent.values["narrative"] == "Iets gebeurd"
    assert sent.values["danger"] == "no"
    assert set(sent.values) == {field.id for field in form.fields}
    assert [key for key, value in sent.values.items() if value is None] == [
        "category",
        "when",
        "location",
        "feedback",
        "manager",
        "aftercare",
    ]


def test_inputs_can_never_overwrite_our_keys() -> None:
    form = sample_form()
    merged = {**payloads.submit_data(form), "field.kind": "cancel", "field.form": "other"}
    sent = parse(merged)
    assert isinstance(sent, FormSent)
    assert (sent.form_id, sent.values["kind"], sent.values["form"]) == (
        "case.status",
        "cancel",
        "other",
    )


# -- shape and size --------------------------------------------------------------------------


def test_payload_shape() -> None:
    form = sample_form()
    assert payloads.button_data(Button("Ok", "case.claim", "7")) == {
        "meldbot": 1,
        "kind": "button",
        "action": "case.claim",
        "value": "7",
    }
    assert payloads.submit_data(form, "R1") == {
        "meldbot": 1,
        "kind": "form",
        "form": "case.status",
        "state": "42",
        "fields": ["status", "message", "note", "kind", "form"],
        "rendering": "R1",
    }
    # Each rendering of a form is named anew, so two sendings of one card are told apart.
    assert payloads.submit_data(form)["rendering"] != payloads.submit_data(form)["rendering"]
    assert payloads.cancel_data(form) == {"meldbot": 1, "kind": "cancel", "form": "case.status"}
    assert payloads.input_id("note") == "field.note"


def test_payloads_stay_small() -> None:
    form = report_form(Translator("nl"), list(Category))
    assert len(json.dumps(payloads.submit_data(form))) < 300
    assert len(json.dumps(payloads.button_data(Button("Ok", "case.claim", "123456")))) < 100


@pytest.mark.parametrize(
    "build",
    [
        lambda: payloads.button_data(Button("Ok", "")),
        lambda: payloads.button_data(Button("Ok", "a" * 201)),
        lambda: payloads.button_data(Button("Ok", "a", "v" * 2001)),
        lambda: payloads.submit_data(Form("f", "T", "S", [], state="s" * 2001)),
        lambda: payloads.submit_data(Form("f", "T", "S", [TextInput("", "A")])),
        lambda: payloads.submit_data(Form("f", "T", "S", [TextInput("a", "A")] * 2)),
        lambda: payloads.submit_data(
            Form("f", "T", "S", [TextInput(str(n), "A") for n in range(101)])
        ),
        lambda: payloads.cancel_data(Form("", "T", "S", [])),
    ],
)
def test_what_could_not_come_back_is_refused(build: Any) -> None:
    with pytest.raises(payloads.PayloadError):
        build()


# -- parse: anything else is None ------------------------------------------------------------

FORM_DATA: dict[str, Any] = {
    "meldbot": 1,
    "kind": "form",
    "form": "f",
    "state": "",
    "fields": ["a"],
}


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        [FORM_DATA],
        "meldbot",
        1,
        True,
        {},
        {"msteams": {"type": "messageBack"}},
        {"action": "case.claim", "value": "7"},  # someone else's card
        {**FORM_DATA, "meldbot": True},  # True == 1, but not our marker
        {**FORM_DATA, "meldbot": 2},
        {**FORM_DATA, "meldbot": "1"},
        {**FORM_DATA, "meldbot": 1.0},
        {**FORM_DATA, "kind": "other"},
        {**FORM_DATA, "kind": None},
        {**FORM_DATA, "form": ""},
        {**FORM_DATA, "form": 7},
        {**FORM_DATA, "form": "f" * 201},
        {**FORM_DATA, "state": None},
        {**FORM_DATA, "state": 42},
        {**FORM_DATA, "state": "s" * 2001},
        {**FORM_DATA, "fields": "a"},
        {**FORM_DATA, "fields": [1]},
        {**FORM_DATA, "fields": ["a"] * 101},
        {**FORM_DATA, "fields": [""]},
        {**FORM_DATA, "field.a": "x" * (payloads.INPUT_MAX + 1)},
        {**FORM_DATA, **{f"field.x{n}": "v" for n in range(payloads.FIELDS_MAX + 1)}},
        {**FORM_DATA, **{f"k{n}": 0 for n in range(payloads.KEYS_MAX)}},
        {"meldbot": 1, "kind": "button"},
        {"meldbot": 1, "kind": "button", "action": ["case.claim"]},
        {"meldbot": 1, "kind": "button", "action": "a", "value": 7},
        {"meldbot": 1, "kind": "button", "action": "a", "value": "v" * 2001},
        {"meldbot": 1, "kind": "button", "action": "a" * 10_000_000},
        {"meldbot": 1, "kind": "cancel"},
        {"meldbot": 1, "kind": "cancel", "form": {"id": "f"}},
    ],
)
def test_parse_refuses_what_is_not_ours(data: object) -> None:
    assert parse(data) is None


def test_unusable_input_values_are_ignored() -> None:
    data: dict[Any, Any] = {
        **FORM_DATA,
        "field.a": 7,  # not text: as if not there
        "field.b": ["x"],
        "field.c": {"x": 1},
        "field.d": None,
        "field.": "no id",
        "field." + "x" * 201: "id too long",
        "fieldless": "no prefix",
        "e": "no prefix",
        1: "not a str key",
        "field.f": "kept",
        "field.g": "",
    }
    assert parse(data) == FormSent("f", "", {"a": None, "f": "kept", "g": None})


def test_parse_never_raises_on_random_data() -> None:
    chance = random.Random(7)
    keys = ["meldbot", "kind", "action", "value", "form", "state", "fields", "field.a", "x"]
    leaves: list[Any] = [None, 0, 1, True, 1.5, "", "a", "button", "form", "cancel", [], {}]

    def anything(depth: int) -> Any:
        roll = chance.random()
        if depth > 2 or roll < 0.5:
            return chance.choice(leaves)
        if roll < 0.7:
            return [anything(depth + 1) for _ in range(chance.randint(0, 3))]
        return {chance.choice(keys): anything(depth + 1) for _ in range(chance.randint(0, 8))}

    seen: set[type] = set()
    for _ in range(5000):
        data = anything(0)
        if isinstance(data, dict) and chance.random() < 0.5:
            data["meldbot"] = 1
        result = parse(data)
        assert result is None or isinstance(result, ButtonPressed | FormSent | FormCancelled)
        seen.add(type(result))
    assert seen > {type(None)}  # the fuzz also reached our own actions
