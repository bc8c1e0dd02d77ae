"""The aangifte guidance for the reporter, from a file the organisation can replace
(``aangifte_guidance``; the default is ``guidance.toml`` beside this module).

Checked when meldbot starts: a broken file stops start-up with one sentence naming it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.awareness.library import Localized
from bot.settings import ConfigError

DEFAULT_GUIDANCE = Path(__file__).with_name("guidance.toml")


class AangifteGuidance(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    heading: Localized
    intro: Localized
    tips: list[Localized] = Field(min_length=1, max_length=12)
    closing: Localized
    source: str = Field(default="", description="where it comes from")

    def text(self, language: str) -> str:
        """The guidance as the reporter reads it: a paragraph per part, a line per tip."""
        tips = "\n".join(f"• {tip.pick(language)}" for tip in self.tips)
        parts = (self.heading, self.intro)
        return "\n\n".join([*(p.pick(language) for p in parts), tips, self.closing.pick(language)])


def load(path: Path | None) -> AangifteGuidance:
    """Reads and checks a guidance file; any fault is one ``ConfigError`` naming the file."""
    path = path or DEFAULT_GUIDANCE
    try:
        with path.open("rb") as source:
            return AangifteGuidance.model_validate(tomllib.load(source))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"The aangifte guidance {path} cannot be read: {error}.") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"The aangifte guidance {path} is invalid at {where or 'the top'}: {first['msg']}."
        ) from None
