"""Measures on a case: advising one, and each step of its life after that.

The same role check, lock and audit entry as every case action (``CaseHandling``): only
the case's coordinators act, analysts and admins are refused. Each step is a case event in
the same transaction, so the thread hears it through the outbox; the reporter hears only
that a measure was carried out. Bad input is refused with a reason
that says what to change, before anything is saved.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.access.models import Acting
from bot.case.errors import CaseError
from bot.case.handling import CaseHandling
from bot.case.models import MeasureKind
from bot.i18n import N_
from bot.measures.labels import EVENT_OF
from bot.measures.models import BANS, Measure, MeasureStep, Plan, Step
from bot.schedule.calendar import local
from bot.text import MESSAGE_MAX, NAME_MAX, TooLong, clean, clean_line

# What to record first, when a step does not follow yet (each a whole sentence: the
# console translates the reason, not the values put into it).
FIRST: dict[Step, str] = {
    Step.ADVISED: N_("That step does not follow yet. First record that the measure is agreed."),
    Step.AGREED: N_("That step does not follow yet. First record that the measure is carried out."),
}
# Steps that change what the trend report counts as the case's measure.
COUNTED = frozenset({Step.AGREED, Step.CARRIED_OUT})


def cleaned_note(text: str | None) -> str | None:
    """A step's note cleaned, or None when empty; the same refusal for every measure record."""
    try:
        return clean(text or "", MESSAGE_MAX) or None
    except TooLong:
        raise CaseError(
            "Please keep it under {limit} characters.", limit=str(MESSAGE_MAX)
        ) from None


def checked(plan: Plan, today: date) -> Plan:
    """The plan cleaned, or a ``CaseError`` that says what to change."""
    if plan.kind is MeasureKind.NONE:
        raise CaseError("Choose a measure. Nothing was changed.")
    try:
        who = clean_line(plan.carried_out_by, NAME_MAX)
    except TooLong:
        raise CaseError(
            "Please keep the name under {limit} characters.", limit=str(NAME_MAX)
        ) from None
    if not who:
        raise CaseError("Write who carries out the measure, for example the manager.")
    if plan.planned_on is not None and plan.planned_on < today:
        raise CaseError("The planned date is in the past. Choose today or a later date.")
    if plan.kind in BANS:
        if plan.starts_on is None or plan.ends_on is None:
            raise CaseError("A ban needs a start date and an end date. Fill in both.")
        if plan.ends_on < plan.starts_on:
            raise CaseError("The ban ends before it starts. Choose an end date after the start.")
    elif plan.starts_on is not None or plan.ends_on is not None:
        raise CaseError(
            "Only a call ban or a building ban has a start and an end date. Leave them empty."
        )
    return replace(plan, carried_out_by=who, note=cleaned_note(plan.note))


def _still_counted(measures: list[Measure], dropped: Measure) -> MeasureKind | None:
    """The case's measure once ``dropped`` no longer counts: the newest other one that was
    agreed or went further (the trend report counts what was really taken)."""
    taken = [m for m in measures if m.id != dropped.id and m.step in COUNTED | {Step.EVALUATED}]
    return max(taken, key=lambda m: (m.history[-1].at, m.id)).kind if taken else None


def _refusal(measure: Measure, step: Step) -> CaseError:
    if measure.step is Step.DROPPED:
        return CaseError("This measure was dropped. Advise a new measure if one is needed.")
    if measure.step is Step.EVALUATED:
        return CaseError("This measure is evaluated. Advise a new measure if one is needed.")
    if step is Step.ADVISED or step in measure.history_steps:
        return CaseError("This step is recorded already. Nothing was changed.")
    return CaseError(FIRST[measure.step])


class MeasureService(CaseHandling):
    __slots__ = ()

    async def advise(self, by: Acting, case_id: int, plan: Plan) -> Measure:
        """A measure advised for the case, with who carries it out and its dates."""
        plan = checked(plan, local(self.clock()).date())
        async with self._coordinator_change(by, case_id, "measure.advise", plan.kind.value) as (
            tx,
            case,
        ):
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to advise a measure.")
            measure = await tx.measures.advise(case.id, plan, by.display, self.clock())
            kind = EVENT_OF[Step.ADVISED]
            await self._record(tx, case, kind, by, note=plan.note, measure=plan.kind, silent=True)
        return measure

    async def step(
        self, by: Acting, case_id: int, measure_id: int, step: Step, note: str | None = None
    ) -> Measure:
        """The next step in a measure's life; dropping it needs a reason (``note``)."""
        cleaned = cleaned_note(note)
        if step is Step.DROPPED and cleaned is None:
            raise CaseError("Write why the measure is dropped. Nothing was changed.")
        async with self.storage.transaction() as tx:
            case = await self._handled_by(tx, by, case_id, for_update=True)
            measure = await tx.measures.get(measure_id, for_update=True)
            if measure is None or measure.case_id != case.id:
                raise CaseError(N_("This measure is not with this case. Nothing was changed."))
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to record a step.")
            if step not in measure.next_steps:
                raise _refusal(measure, step)
            await self._audit(tx, by, "measure.step", case, f"{measure.kind.value} {step.value}")
            now = self.clock()
            await tx.measures.add_step(measure, MeasureStep(step, now, by.display, cleaned))
            if step in COUNTED:
                case.measure = measure.kind
            elif step is Step.DROPPED and case.measure is measure.kind:
                case.measure = _still_counted(await tx.measures.of_case(case.id), measure)
            # The reporter hears that a measure was carried out (not the other steps).
            silent = step is not Step.CARRIED_OUT
            await self._record(
                tx, case, EVENT_OF[step], by, note=cleaned, measure=measure.kind, silent=silent
            )
        self.wake_outbox()
        return measure

    async def of_case(self, by: Acting, case_id: int) -> list[Measure]:
        """The case's measures with their history, for whoever may read the case (the
        case page's read is audited as ``open``)."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id)
            if case is None or not await self.rights.may_read(by, case, tx):
                raise await self._refuse(by, case, tx)
            return await tx.measures.of_case(case.id)
