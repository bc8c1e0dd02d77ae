"""What card actions carry: our data out, and the same data back with the inputs merged in.

Teams merges a card's input values into the action's data at the top level (in the
``adaptiveCard/action`` invoke's ``action.data``, and in a message's ``value`` for the
Action.Submit fallback), so every input id starts with a prefix none of our keys has.
Everything that comes back is input: ``parse`` checks every key, type and size.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from bot import ui

MARKER = "meldbot"
VERSION = 1
FIELD_PREFIX = "field."
BUTTON, FORM, CANCEL = "button", "form", "cancel"

ID_MAX = 200  # action, form and field ids
VALUE_MAX = 2000  # a button's value
STATE_MAX = 2000  # a form's state
FIELDS_MAX = 100
INPUT_MAX = 50_000  # one input value; the core refuses long texts itself, with a message
KEYS_MAX = 2 * FIELDS_MAX + 20  # our keys, the inputs, and what Teams adds ("msteams")


class PayloadError(ValueError):
    """Data too large (or ids unusable) to travel in a card and come back."""


@dataclass(frozen=True, slots=True)
class ButtonPressed:
    action_id: str
    value: str


@dataclass(frozen=True, slots=True)
class FormSent:
    form_id: str
    state: str
    values: dict[str, str | None]
    rendering: str | None = None  # this rendering of the form: the same when sent again


@dataclass(frozen=True, slots=True)
class FormCancelled:
    form_id: str


CardAction = ButtonPressed | FormSent | FormCancelled


def button_data(button: ui.Button) -> dict[str, Any]:
    _check_id(button.action_id, "action id")
    _check_size(button.value, VALUE_MAX, "button value")
    return {MARKER: VERSION, "kind": BUTTON, "action": button.action_id, "value": button.value}


def submit_data(form: ui.Form, rendering: str | None = None) -> dict[str, Any]:
    """Also lists the field ids: Teams leaves out inputs that were left empty.
    ``rendering`` names this rendering of the form (new unless it is the same form shown
    again with errors): a card can show the same form twice, for two submissions."""
    _check_id(form.form_id, "form id")
    _check_size(form.state, STATE_MAX, "form state")
    fields = [field.id for field in form.fields]
    if len(fields) > FIELDS_MAX:
        raise PayloadError(f"form {form.form_id!r} has more than {FIELDS_MAX} fields")
    if len(set(fields)) != len(fields):
        raise PayloadError(f"form {form.form_id!r} has two fields with the same id")
    for field_id in fields:
        _check_id(field_id, "field id")
    return {
        MARKER: VERSION,
        "kind": FORM,
        "form": form.form_id,
        "state": form.state,
        "fields": fields,
        "rendering": rendering or secrets.token_urlsafe(12),
    }


def cancel_data(form: ui.Form) -> dict[str, Any]:
    _check_id(form.form_id, "form id")
    return {MARKER: VERSION, "kind": CANCEL, "form": form.form_id}


def input_id(field_id: str) -> str:
    """The Adaptive Card input id of a form field."""
    return FIELD_PREFIX + field_id


def parse(data: object) -> CardAction | None:
    """Our action from the data Teams sends back; None for anything else. Never raises."""
    if not isinstance(data, dict) or len(data) > KEYS_MAX:
        return None
    marker = data.get(MARKER)
    if type(marker) is not int or marker != VERSION:  # True == 1, but is not ours
        return None
    kind = data.get("kind")
    if kind == BUTTON:
        action, value = data.get("action"), data.get("value", "")
        if _is_id(action) and _is_text(value, VALUE_MAX):
            return ButtonPressed(action, value)
        return None
    form_id = data.get("form")
    if not _is_id(form_id):
        return None
    if kind == CANCEL:
        return FormCancelled(form_id)
    if kind != FORM:
        return None
    state = data.get("state", "")
    values = _values(data)
    if not _is_text(state, STATE_MAX) or values is None:
        return None
    rendering = data.get("rendering")
    return FormSent(form_id, state, values, rendering if _is_id(rendering) else None)


def _values(data: Mapping[Any, Any]) -> dict[str, str | None] | None:
    """Input values by field id; listed fields that Teams left out are None."""
    fields = data.get("fields", [])
    if not isinstance(fields, list) or len(fields) > FIELDS_MAX:
        return None
    if not all(_is_id(field_id) for field_id in fields):
        return None
    values: dict[str, str | None] = dict.fromkeys(fields)
    for key, raw in data.items():
        if not isinstance(key, str) or not key.startswith(FIELD_PREFIX):
            continue
        field_id = key[len(FIELD_PREFIX) :]
        if not _is_id(field_id) or not isinstance(raw, str):
            continue  # not a value we can use: as if it were not there
        if len(raw) > INPUT_MAX:
            return None
        values[field_id] = raw or None
    return values if len(values) <= FIELDS_MAX else None


def _is_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= ID_MAX


def _is_text(value: object, limit: int) -> TypeGuard[str]:
    return isinstance(value, str) and len(value) <= limit


def _check_id(value: str, what: str) -> None:
    if not _is_id(value):
        raise PayloadError(f"{what} {value[:20]!r} must have 1 to {ID_MAX} characters")


def _check_size(value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        raise PayloadError(f"{what} has {len(value)} characters; a card carries at most {limit}")
