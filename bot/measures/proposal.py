"""The reporter's say: a coordinator proposes an advised measure to the reporter first
(*Wat vind je van dit voorstel?*), and the answer lands on the case (seed 002: the
reporter has influence on the follow-up).

The buttons carry ``<case id>:<event id>`` of the proposal; a button payload is input, not
proof: the answer counts only from the case's own reporter, for a proposal of that case
that is still open.
"""

from __future__ import annotations

from bot.access.models import Acting
from bot.case.errors import CaseError, NotAllowed
from bot.case.handling import ALERT, THREAD, CaseHandling
from bot.case.models import Case, EventKind
from bot.events import Actor
from bot.i18n import N_
from bot.ids import record_id
from bot.measures.models import Step
from bot.measures.proposal_models import (
    ANSWER_EVENT,
    NOT_YOURS,
    UNREACHABLE,
    Answer,
    Proposal,
    reachable,
)
from bot.text import MESSAGE_MAX, TooLong, clean


def _parsed(value: str) -> tuple[int, int]:
    case_text, _, event_text = value.partition(":")
    case_id, event_id = record_id(case_text), record_id(event_text)
    if case_id is None or event_id is None:
        raise NotAllowed(NOT_YOURS)
    return case_id, event_id


def _words(message: str | None) -> str | None:
    try:
        return clean(message or "", MESSAGE_MAX) or None
    except TooLong:
        raise CaseError(
            "Please keep it under {limit} characters.", limit=str(MESSAGE_MAX)
        ) from None


class ReporterSay(CaseHandling):
    """Proposing a measure to the reporter, and their answer."""

    __slots__ = ()

    async def propose(
        self, by: Acting, case_id: int, measure_id: int, message: str | None = None
    ) -> Proposal:
        """Sends the advised measure to the reporter as a proposal, with optional words
        of the coordinator's own."""
        words = _words(message)
        async with self._coordinator_change(by, case_id, "measure.propose") as (tx, case):
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to ask the reporter.")
            if not reachable(case):
                raise CaseError(UNREACHABLE)
            measure = await tx.measures.get(measure_id, for_update=True)
            if measure is None or measure.case_id != case.id:
                raise CaseError(N_("This measure is not with this case. Nothing was changed."))
            if measure.step in {Step.DROPPED, Step.EVALUATED}:
                raise CaseError(
                    "This measure is dropped or evaluated already. Propose a measure that is "
                    "still to come."
                )
            earlier = await tx.proposals.of_case(case.id)
            if any(p.measure_id == measure.id and p.answer is None for p in earlier):
                raise CaseError(
                    "The reporter has not answered the proposal of this measure yet. Wait for "
                    "the answer, or call them."
                )
            event = await self._record(
                tx,
                case,
                EventKind.MEASURE_PROPOSED,
                by,
                text=words,
                measure=measure.kind,
                always=True,
            )
            return await tx.proposals.add(
                case.id, measure.id, event.id, by.display, event.created_at
            )

    async def answer(self, reporter: Actor, value: str, answer: Answer) -> Case:
        """The reporter's answer from the buttons under the question."""
        case_id, event_id = _parsed(value)
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None or not _reported_by(case, reporter):
                raise NotAllowed(NOT_YOURS)
            proposal = await tx.proposals.of_event(event_id, for_update=True)
            if proposal is None or proposal.case_id != case.id:
                raise NotAllowed(NOT_YOURS)
            if proposal.answer is not None:
                raise CaseError("This question has been answered already.")
            if not case.is_open:
                raise CaseError("Your report is closed, so this question has expired.")
            measure = await tx.measures.get(proposal.measure_id)
            assert measure is not None  # a measure goes only with its case
            now = self.clock()
            await tx.proposals.answer(proposal.id, answer, now)
            await self._audit(tx, reporter, "proposal.answer", case, answer.value)
            case.updated_at = now
            await tx.cases.save(case)
            event = await tx.cases.add_event(
                case, ANSWER_EVENT[answer], now, actor_name=reporter.name, measure=measure.kind
            )
            await self._keep_clocks(tx, case)
            await tx.outbox.enqueue(ALERT, case_id=case.id)
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
            for watcher in self.watchers:
                await watcher.changed(tx, case, event, now)
        self.wake_outbox()
        return case

    async def of_case(self, by: Acting, case_id: int) -> list[Proposal]:
        """The case's proposals and their answers, for whoever may read the case."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id)
            if case is None or not await self.rights.may_read(by, case, tx):
                raise await self._refuse(by, case, tx)
            return await tx.proposals.of_case(case.id)


def _reported_by(case: Case, reporter: Actor) -> bool:
    named = case.reporter
    return named is not None and (named.platform, named.user_id) == (
        reporter.platform,
        reporter.user_id,
    )
