"""The answers of a form as the page received them, checked before the core sees them.

The limits are the form's own (the core's), never the browser's: nothing is cut, a text
over its limit is refused with the text kept in the box.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import Translator
from bot.text import clean
from bot.ui import Form, TextInput


def typed(form: Form, posted: Mapping[str, object]) -> dict[str, str]:
    """What was typed in each field of ``form`` (files and unknown fields left out)."""
    return {f.id: v for f in form.fields if isinstance(v := posted.get(f.id, ""), str)}


def check(
    form: Form, answers: Mapping[str, str], t: Translator
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The answers as the core expects them (empty → None) and a message per field."""
    values: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for field in form.fields:
        text = answers.get(field.id, "")
        if isinstance(field, TextInput):
            visible = clean(text, len(text))
            if len(text) > field.max_length:
                errors[field.id] = t(
                    "This text has {length} characters; at most {limit} fit. Make it "
                    "shorter: your text is still in the box.",
                    length=len(text),
                    limit=field.max_length,
                )
            elif not visible and not field.optional:
                errors[field.id] = t(
                    "Please fill this in. There is nothing in it that can be read."
                )
            values[field.id] = text if visible else None
            continue
        allowed = {option.value for option in field.options}
        unknown = bool(text) and text not in allowed
        if unknown or (not text and not field.optional):
            errors[field.id] = t("Please choose one of the options.")
        values[field.id] = text or None
    return values, errors
