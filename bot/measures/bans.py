"""Bans that end (seed 004): a belverbod or pandverbod runs until its end date.

Before the end the coordinators re-evaluate it and record the outcome: it ends on its
date, it ends now (early), or it is extended to a later date with a reason. Once it has
ended the reporter hears so. Informing the police of a pandverbod is a step of its own.
Each of these is a record in the ban's history, next to the measure's steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.case.models import MeasureKind
from bot.measures.models import Measure, Step


class BanRecordKind(StrEnum):
    EXTENDED = "extended"  # ``ends_on``: the new end date, ``note``: why
    ENDING = "ending"  # re-evaluated: it ends on its end date (``ends_on``)
    ENDED = "ended"  # no longer in force: ended early, or its end date passed
    POLICE_INFORMED = "police_informed"  # ``ends_on``: the end date the police heard


@dataclass(frozen=True, slots=True)
class BanRecord:
    kind: BanRecordKind
    at: datetime
    ends_on: date | None = None
    actor_name: str | None = None  # None: meldbot itself (the end date passed)
    note: str | None = None  # sealed at rest


@dataclass(frozen=True, slots=True)
class Ban:
    """A ban with what happened to it since it was advised."""

    measure: Measure
    records: list[BanRecord] = field(default_factory=list)

    def of(self, kind: BanRecordKind) -> list[BanRecord]:
        return [one for one in self.records if one.kind is kind]

    def ended(self, today: date) -> bool:
        """Ended (early, or recorded once its date passed), or its last day is behind us
        (the morning after, before meldbot recorded it)."""
        ends_on = self.measure.ends_on
        return bool(self.of(BanRecordKind.ENDED)) or (ends_on is not None and ends_on < today)

    @property
    def imposed(self) -> bool:
        """Carried out: the citizen was told. Only then is its end news for the reporter."""
        return Step.CARRIED_OUT in self.measure.history_steps

    @property
    def police_told(self) -> BanRecord | None:
        """The police informed of the current end date (again after an extension)."""
        told = self.of(BanRecordKind.POLICE_INFORMED)
        return next((r for r in reversed(told) if r.ends_on == self.measure.ends_on), None)

    @property
    def is_building_ban(self) -> bool:
        return self.measure.kind is MeasureKind.BUILDING_BAN
