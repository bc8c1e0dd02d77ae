"""``[letters]``: what the letters say about the organisation, and where its own templates are.

The organisation's name is the ``organisation`` setting. An empty value is refused when a
letter that uses it is drafted, with a sentence that says what to fill in.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class LetterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    templates: Path | None = Field(
        default=None,
        description="A folder with the organisation's own letter templates (.docx); a letter "
        "without its own file, or no folder, uses the shipped one.",
    )
    address: str = Field(
        default="", max_length=500, description="The postal address, one line per line."
    )
    logo: Path | None = Field(default=None, description="A PNG or JPEG shown on top.")
    house_rules: str = Field(
        default="", max_length=4000, description="The norm from the huisregels, as quoted."
    )
    objection: str = Field(
        default="", max_length=4000, description="How a citizen objects to a ban."
    )
