"""The awareness library: short messages that keep reporting on the team's agenda.

The default library (``library.toml`` beside this module) holds Dutch and English texts
grounded in the seeds; an organisation can point ``awareness_library`` at its own file.
The file is checked when meldbot starts, so a broken library stops start-up instead of
failing quietly at nine on a Monday morning.
"""

from __future__ import annotations

import string
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.settings import ConfigError, Contact, Settings

DEFAULT_LIBRARY = Path(__file__).with_name("library.toml")
# What a text may fill in from the settings; anything else is a typo in the file.
PLACEHOLDERS = frozenset({"organisation", "coordinator", "first_contact_hours", "urgent_minutes"})
URL_PATTERN = r"^https?://\S+$"


class Localized(BaseModel):
    """One text in both languages: Dutch first, English for those who chose it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nl: str = Field(min_length=1, max_length=600)
    en: str = Field(min_length=1, max_length=600)

    def pick(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class Item(BaseModel):
    """One awareness message: a heading, two to four calm sentences, and optionally the
    coordinator or the support contacts (``person``) or a link."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=40)
    heading: Localized
    text: Localized
    person: Literal["coordinator", "support"] | None = None
    link: str | None = Field(default=None, description="a name in settings.awareness_links")
    url: str | None = Field(default=None, pattern=URL_PATTERN)
    link_label: Localized | None = None
    source: str = Field(default="", description="where in the seeds the idea comes from")

    @model_validator(mode="after")
    def _check(self) -> Item:
        for text in (self.heading.nl, self.heading.en, self.text.nl, self.text.en):
            unknown = _placeholders(text) - PLACEHOLDERS
            if unknown:
                raise ValueError(f"item {self.id} uses unknown placeholders {sorted(unknown)}")
        if (self.link or self.url) and self.link_label is None:
            raise ValueError(f"item {self.id} has a link but no link_label")
        return self


class Library(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Library:
        ids = [item.id for item in self.items]
        doubles = sorted({one for one in ids if ids.count(one) > 1})
        if doubles:
            raise ValueError(f"item ids must be unique: {doubles}")
        return self


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def load(path: Path) -> Library:
    """Reads and checks a library file; any fault is one ``ConfigError`` naming the file."""
    try:
        with path.open("rb") as source:
            return Library.model_validate(tomllib.load(source))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"The awareness library {path} cannot be read: {error}.") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"The awareness library {path} is invalid at {where or 'the top'}: {first['msg']}."
        ) from None


def url_of(item: Item, links: dict[str, str]) -> str | None:
    """The item's own URL, or the organisation's link by that name."""
    return item.url or (links.get(item.link) if item.link else None)


def usable(library: Library, settings: Settings) -> tuple[Item, ...]:
    """The items this organisation can show: one whose link is not configured drops out
    (a dead link teaches people that the reminders are not worth reading)."""
    links = settings.awareness_links
    return tuple(
        item
        for item in library.items
        if url_of(item, links) is not None or not (item.link or item.url)
    )


def fill(text: str, settings: Settings) -> str:
    values: dict[str, object] = {
        "organisation": settings.organisation,
        "coordinator": settings.coordinator_contact.name,
        "first_contact_hours": settings.first_contact_hours,
        "urgent_minutes": settings.urgent_contact_minutes,
    }
    return text.format(**values)


def people(item: Item, settings: Settings) -> list[Contact]:
    if item.person == "coordinator":
        return [settings.coordinator_contact]
    if item.person == "support":
        return list(settings.support_contacts)
    return []
