"""What an administrator sees of the configuration: every setting as meldbot uses it,
secrets only as "set" or "not set".

Built from the settings model itself, so a new setting shows without anyone adding it
here; a name that sounds like a secret (a token, a key, a password) is never shown, nor
the password inside a database URL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import Settings

SECRET_ENDINGS = ("secret", "token", "password", "_key")


@dataclass(frozen=True, slots=True)
class SettingRow:
    name: str  # the dotted name, as in meldbot.toml
    value: str  # empty when it is a secret, or not set
    secret: bool
    is_set: bool


def overview(settings: Settings) -> list[SettingRow]:
    rows: list[SettingRow] = []
    _walk(settings, "", rows)
    return rows


def _walk(model: BaseModel, prefix: str, rows: list[SettingRow]) -> None:
    shown = model.model_dump(mode="json")  # paths, times and enums as the file writes them
    for name in type(model).model_fields:
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            _walk(value, f"{prefix}{name}.", rows)
        else:
            rows.append(_row(f"{prefix}{name}", shown[name]))


def _row(name: str, value: Any) -> SettingRow:
    is_set = value not in (None, "", [], {})
    if name.lower().endswith(SECRET_ENDINGS):
        return SettingRow(name, "", True, is_set)
    if name == "database_url":
        value = _without_password(str(value))
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return SettingRow(name, text if is_set else "", False, is_set)


def _without_password(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return ""  # not a URL meldbot could use either; nothing of it is shown
