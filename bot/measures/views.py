"""Neutral views of measures: the thread line for each step, and the measures as the case
page lists them (ladder order, with their history and guidance)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date

from bot.case.detail import Detail
from bot.case.labels import measure_label
from bot.case.models import CaseEvent
from bot.i18n import Translator
from bot.measures.guidance import Advice, Guidance
from bot.measures.labels import STEP_OF, step_label
from bot.measures.models import Measure, Step, in_ladder_order
from bot.ui import Block, Quote, Text

# The case events written here (``bot.case.views.thread_note`` asks).
KINDS = frozenset(STEP_OF)


def step_note(event: CaseEvent, t: Translator, detail: Detail) -> list[Block]:
    """Without ``detail.content`` the line names the measure and the step, never the note."""
    line = t(
        "{actor} recorded a step in the measure {measure}: {step}.",
        actor=event.actor_name or t("someone"),
        measure=measure_label(t, event.measure) if event.measure else "",
        step=step_label(t, STEP_OF[event.kind]),
    )
    if not event.note:
        return [Text.of(line)]
    if not detail.content:
        return [Text.of(line), Text.of(t("With a note — read it in meldbot."))]
    return [Text.of(line), Quote(event.note)]


@dataclass(frozen=True, slots=True)
class Entry:
    """A step of the history, as the case page says it."""

    step: str
    when: str
    actor: str
    note: str | None


@dataclass(frozen=True, slots=True)
class Shown:
    """One measure on the case page."""

    measure: Measure
    label: str
    step: str
    facts: list[tuple[str, str]]  # who carries it out, its dates
    history: list[Entry]
    advice: Advice | None
    next_steps: list[tuple[str, str]]  # (value, label) of the steps that may follow


def _day(t: Translator, day: date) -> str:
    return format_date(day, "d MMMM y", locale=t.language)


def _facts(measure: Measure, t: Translator) -> list[tuple[str, str]]:
    found = [(t("Carried out by"), measure.carried_out_by)]
    dated = (
        (t("Planned for"), measure.planned_on),
        (t("From"), measure.starts_on),
        (t("Until"), measure.ends_on),
    )
    return found + [(label, _day(t, day)) for label, day in dated if day is not None]


def shown(measures: list[Measure], t: Translator, guidance: Guidance) -> list[Shown]:
    return [
        Shown(
            measure,
            measure_label(t, measure.kind),
            step_label(t, measure.step),
            _facts(measure, t),
            [
                Entry(step_label(t, one.step), t.datetime(one.at), one.actor_name or "", one.note)
                for one in measure.history
            ],
            guidance.of(measure.kind),
            [(step.value, step_label(t, step)) for step in Step if step in measure.next_steps],
        )
        for measure in in_ladder_order(measures)
    ]
