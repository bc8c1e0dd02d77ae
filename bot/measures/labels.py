"""Human labels for a measure's steps, marked for translation."""

from __future__ import annotations

from bot.case.models import EventKind
from bot.i18n import N_, Translator
from bot.measures.models import Step

STEP_LABELS: dict[Step, str] = {
    Step.ADVISED: N_("Advised"),
    Step.AGREED: N_("Agreed"),
    Step.CARRIED_OUT: N_("Carried out"),
    Step.EVALUATED: N_("Evaluated"),
    Step.DROPPED: N_("Dropped"),
}

# The case event each step records (its thread line and its place on the timeline).
EVENT_OF: dict[Step, EventKind] = {
    Step.ADVISED: EventKind.MEASURE_ADVISED,
    Step.AGREED: EventKind.MEASURE_AGREED,
    Step.CARRIED_OUT: EventKind.MEASURE_CARRIED_OUT,
    Step.EVALUATED: EventKind.MEASURE_EVALUATED,
    Step.DROPPED: EventKind.MEASURE_DROPPED,
}
STEP_OF: dict[EventKind, Step] = {kind: step for step, kind in EVENT_OF.items()}


def step_label(t: Translator, step: Step) -> str:
    return t(STEP_LABELS[step])
