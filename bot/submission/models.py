"""What a form submission produced, so that the same submission again produces nothing."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Produced(StrEnum):
    REPORT = "report"  # a named report: a case with a reporter
    ANONYMOUS_REPORT = "anonymous_report"  # a case followed with a receipt code
    CONSULTATION = "consultation"  # an anonymous consultation, with its receipt code
    CHANGE = "change"  # an answer, an addition, a coordinator's form: a change to ``target``

    @property
    def anonymous(self) -> bool:
        return self in (Produced.ANONYMOUS_REPORT, Produced.CONSULTATION)


@dataclass(frozen=True, slots=True)
class Submitted:
    """The first submission of a key: what kind of thing it made and which one."""

    kind: Produced
    target: int | None


class AlreadySubmitted(Exception):
    """The form was submitted (and stored) before: nothing is stored again."""

    def __init__(self, earlier: Submitted) -> None:
        super().__init__(earlier.kind.value)
        self.earlier = earlier
