"""Measures as things with a life: advised, agreed, carried out, evaluated (or dropped).

A case has many; each keeps its history of steps. Bans (belverbod, pandverbod) run from
a start date to an end date; the other measures have none (seed 004).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from bot.case.models import MeasureKind

# The ladder, lightest first: the enum order without "no measure needed".
LADDER: tuple[MeasureKind, ...] = tuple(
    kind for kind in MeasureKind if kind is not MeasureKind.NONE
)
BANS = frozenset({MeasureKind.CALL_BAN, MeasureKind.BUILDING_BAN})


class Step(StrEnum):
    ADVISED = "advised"
    AGREED = "agreed"
    CARRIED_OUT = "carried_out"
    EVALUATED = "evaluated"
    DROPPED = "dropped"


# Which step may follow which; dropping is possible until the measure is evaluated.
NEXT: dict[Step, frozenset[Step]] = {
    Step.ADVISED: frozenset({Step.AGREED, Step.DROPPED}),
    Step.AGREED: frozenset({Step.CARRIED_OUT, Step.DROPPED}),
    Step.CARRIED_OUT: frozenset({Step.EVALUATED, Step.DROPPED}),
    Step.EVALUATED: frozenset(),
    Step.DROPPED: frozenset(),
}


@dataclass(frozen=True, slots=True)
class Plan:
    """What a coordinator advises: the measure, who carries it out, and its dates."""

    kind: MeasureKind
    carried_out_by: str
    planned_on: date | None = None
    starts_on: date | None = None  # bans only
    ends_on: date | None = None  # bans only
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MeasureStep:
    step: Step
    at: datetime
    actor_name: str | None = None
    note: str | None = None  # sealed at rest; a drop's reason


@dataclass(slots=True)
class Measure:
    id: int
    case_id: int
    kind: MeasureKind
    carried_out_by: str
    step: Step
    created_at: datetime
    planned_on: date | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    history: list[MeasureStep] = field(default_factory=list)

    @property
    def is_ban(self) -> bool:
        return self.kind in BANS

    @property
    def history_steps(self) -> frozenset[Step]:
        return frozenset(one.step for one in self.history)

    @property
    def next_steps(self) -> frozenset[Step]:
        return NEXT[self.step]


def in_ladder_order(measures: list[Measure]) -> list[Measure]:
    """The ladder's order (lightest first), the oldest first within a rung."""
    return sorted(measures, key=lambda m: (LADDER.index(m.kind), m.created_at, m.id))
