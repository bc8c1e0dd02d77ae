"""Forms in the web chat: rendering a neutral ``Form`` as an HTML form, and checking answers.

Open forms are remembered on the server under a random token, so the browser only sends
the token and the answers: the form's fields, limits and state never travel as input.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from adapters.web import render
from adapters.web.chrome import Chrome
from adapters.web.personas import Pane
from adapters.web.render import NameOf, e
from bot.ui import Choice, Form, TextInput

MAX_OPEN_FORMS = 200
HOME = "home"  # origin of a form opened from a persona's home buttons
RADIO_LIMIT = 5


@dataclass(frozen=True, slots=True)
class OpenForm:
    token: str
    form: Form
    pane: Pane
    persona: str
    origin: str | None  # the entry (or HOME) whose button opened it, for ``replace``


class OpenForms:
    """The forms currently open in some browser; the oldest are forgotten first."""

    def __init__(self) -> None:
        self._forms: OrderedDict[str, OpenForm] = OrderedDict()

    def open(self, form: Form, pane: Pane, persona: str, origin: str | None) -> OpenForm:
        opened = OpenForm(secrets.token_urlsafe(16), form, pane, persona, origin)
        self._forms[opened.token] = opened
        while len(self._forms) > MAX_OPEN_FORMS:
            self._forms.popitem(last=False)
        return opened

    def get(self, token: str) -> OpenForm | None:
        return self._forms.get(token)

    def take(self, token: str) -> OpenForm | None:
        """Remove and return a form while its submission is handled (no double submit)."""
        return self._forms.pop(token, None)

    def put_back(self, opened: OpenForm) -> None:
        self._forms[opened.token] = opened


def check(
    form: Form, answers: Mapping[str, object], chrome: Chrome
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The answers as the core expects them (empty → None), and per-field errors, in the
    form's language."""
    chrome = chrome.speaking(form.language)
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for field in form.fields:
        raw = answers.get(field.id)
        text = raw if isinstance(raw, str) else ""
        if isinstance(field, TextInput):
            if len(text) > field.max_length:
                errors[field.id] = chrome(
                    "error_field_too_long", limit=field.max_length, length=len(text)
                )
            elif not text.strip() and not field.optional:
                errors[field.id] = chrome("error_required")
            values[field.id] = text if text.strip() else None
        else:
            allowed = {option.value for option in field.options}
            if text and text not in allowed:
                errors[field.id] = chrome("error_choice_unknown")
            elif not text and not field.optional:
                errors[field.id] = chrome("error_choose")
            values[field.id] = text or None
    return values, errors


def _describedby(*ids: str | None) -> str:
    present = [i for i in ids if i]
    return f' aria-describedby="{" ".join(present)}"' if present else ""


def _marker(optional: bool, chrome: Chrome) -> str:
    word = chrome("optional") if optional else chrome("required")
    return f' <span class="field__marker">({e(word)})</span>'


def counter(key: str, limit: int, chrome: Chrome) -> str:
    """Where the page counts the characters near ``limit`` (app.js fills it in). There is
    no ``maxlength``: a browser cuts a paste at it without a word."""
    return (
        f'<p class="count" id="{key}-count" data-count-for="{key}" data-limit="{limit}" '
        f'data-near="{e(chrome("count_near"))}" data-over="{e(chrome("count_over"))}"></p>'
    )


def _text_field(
    field: TextInput, key: str, value: str | None, error: str | None, chrome: Chrome
) -> str:
    hint_id = f"{key}-hint" if field.hint else None
    error_id = f"{key}-error" if error else None
    attributes = (
        f'id="{key}" name="{e(field.id)}"'
        + ("" if field.optional else " required")
        + (f' placeholder="{e(field.placeholder)}"' if field.placeholder else "")
        + (' aria-invalid="true"' if error else "")
        + _describedby(hint_id, f"{key}-count", error_id)
    )
    current = value if value is not None else (field.initial or "")
    control = (
        f'<textarea {attributes} rows="5">{e(current)}</textarea>'
        if field.multiline
        else f'<input type="text" {attributes} value="{e(current)}">'
    )
    return (
        f'<div class="field"><label for="{key}">{e(field.label)}'
        f"{_marker(field.optional, chrome)}</label>"
        + (f'<p class="field__hint" id="{hint_id}">{e(field.hint or "")}</p>' if hint_id else "")
        + control
        + counter(key, field.max_length, chrome)
        + (f'<p class="field__error" id="{error_id}">{e(error or "")}</p>' if error_id else "")
        + "</div>"
    )


def _choice_field(
    field: Choice, key: str, value: str | None, error: str | None, chrome: Chrome
) -> str:
    current = value if value is not None else (field.initial or "")
    error_id = f"{key}-error" if error else None
    error_html = f'<p class="field__error" id="{error_id}">{e(error or "")}</p>' if error else ""
    invalid = ' aria-invalid="true"' if error else ""
    if len(field.options) <= RADIO_LIMIT:
        options = [(option.value, option.label) for option in field.options]
        if field.optional:
            options.insert(0, ("", chrome("no_choice")))
        radios = "".join(
            f'<label class="radio"><input type="radio" name="{e(field.id)}" '
            f'id="{key}-{index}" value="{e(option_value)}"'
            + (" checked" if option_value == current else "")
            + ("" if field.optional else " required")
            + f"{invalid}> {e(label)}</label>"
            for index, (option_value, label) in enumerate(options)
        )
        return (
            f'<fieldset class="field" id="{key}"{_describedby(error_id)}>'
            f"<legend>{e(field.label)}{_marker(field.optional, chrome)}</legend>"
            f"{radios}{error_html}</fieldset>"
        )
    empty = f'<option value="">{e(chrome("no_choice"))}</option>' if field.optional else ""
    if not field.optional and not current:
        empty = '<option value="" disabled selected hidden></option>'
    options_html = "".join(
        f'<option value="{e(option.value)}"'
        + (" selected" if option.value == current else "")
        + f">{e(option.label)}</option>"
        for option in field.options
    )
    return (
        f'<div class="field"><label for="{key}">{e(field.label)}'
        f"{_marker(field.optional, chrome)}</label>"
        f'<select id="{key}" name="{e(field.id)}"'
        + ("" if field.optional else " required")
        + f"{invalid}{_describedby(error_id)}>{empty}{options_html}</select>{error_html}</div>"
    )


def html(
    opened: OpenForm,
    chrome: Chrome,
    name_of: NameOf,
    values: Mapping[str, str | None] | None = None,
    errors: Mapping[str, str] | None = None,
) -> str:
    """The form as HTML for the page's dialog; answers and errors kept after a refusal.

    The words around the form's own (optional, no choice, cancel) are in its language."""
    form, values, errors = opened.form, values or {}, errors or {}
    chrome = chrome.speaking(form.language)
    title_id = f"form-{opened.token}-title"
    known = {field.id for field in form.fields}
    general = [message for field_id, message in errors.items() if field_id not in known]
    if errors and not general:
        general = [chrome("form_errors")]
    parts = [
        f'<form class="form" method="dialog" novalidate data-token="{e(opened.token)}" '
        f'lang="{chrome.language}" aria-labelledby="{title_id}">',
        f'<h2 id="{title_id}">{e(form.title)}</h2>',
    ]
    if form.intro:
        parts.append(f'<div class="form__intro">{render.blocks(form.intro, name_of)}</div>')
    parts.append(
        '<div class="form__error" role="alert">'
        + "".join(f"<p>{e(message)}</p>" for message in general)
        + "</div>"
    )
    for index, field in enumerate(form.fields):
        key = f"f-{opened.token}-{index}"
        value, error = values.get(field.id), errors.get(field.id)
        if isinstance(field, TextInput):
            parts.append(_text_field(field, key, value, error, chrome))
        else:
            parts.append(_choice_field(field, key, value, error, chrome))
    cancel = form.cancel_label or chrome("cancel")
    parts.append(
        '<div class="form__buttons">'
        f'<button type="submit" class="btn btn--primary">{e(form.submit_label)}</button>'
        f'<button type="button" class="btn" data-close>{e(cancel)}</button>'
        "</div></form>"
    )
    return "".join(parts)
