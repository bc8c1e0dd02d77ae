"""Guidance per measure for the person who carries it out, from a file the organisation
can replace (``measure_guidance``; the default is ``guidance.toml`` beside this module).

The file is checked when meldbot starts, as the awareness library is: a broken file stops
start-up with one sentence naming it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.awareness.library import Localized
from bot.case.models import MeasureKind
from bot.settings import ConfigError

DEFAULT_GUIDANCE = Path(__file__).with_name("guidance.toml")


class Advice(BaseModel):
    """What one measure is for, when it fits, what to prepare, what to say and avoid."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    purpose: Localized
    fits: Localized
    prepare: Localized
    say: Localized
    avoid: Localized
    source: str = Field(default="", description="where in the seeds it comes from")


class GuidanceFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    order_talk: Advice | None = None
    warning_letter: Advice | None = None
    call_ban: Advice | None = None
    building_ban: Advice | None = None
    office_talk: Advice | None = None
    police_report: Advice | None = None


@dataclass(frozen=True, slots=True)
class Guidance:
    """The advice per measure this organisation gives (a measure may have none)."""

    advice: dict[MeasureKind, Advice]

    def of(self, kind: MeasureKind) -> Advice | None:
        return self.advice.get(kind)


def load(path: Path | None) -> Guidance:
    """Reads and checks a guidance file; any fault is one ``ConfigError`` naming the file."""
    path = path or DEFAULT_GUIDANCE
    try:
        with path.open("rb") as source:
            read = GuidanceFile.model_validate(tomllib.load(source))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"The measure guidance {path} cannot be read: {error}.") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise ConfigError(
            f"The measure guidance {path} is invalid at {where or 'the top'}: {first['msg']}."
        ) from None
    found = {
        kind: getattr(read, kind.value) for kind in MeasureKind if kind is not MeasureKind.NONE
    }
    return Guidance({kind: advice for kind, advice in found.items() if advice is not None})
