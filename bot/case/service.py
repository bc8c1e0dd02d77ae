"""Case handling: every change is one transaction that also records its notifications.

A report is confirmed only after the transaction commits; messages to Slack, Teams
or the web chat leave through the outbox after that, so a platform outage never
loses a case or blocks the reporter.
"""

from __future__ import annotations

from dataclasses import replace

from bot.access.models import Acting
from bot.case.actions import CaseActions
from bot.case.errors import CaseError as CaseError
from bot.case.errors import CaseNotFound as CaseNotFound
from bot.case.errors import NotAllowed as NotAllowed
from bot.case.handling import ALERT as ALERT
from bot.case.handling import RECEIPT_NOTICE as RECEIPT_NOTICE
from bot.case.handling import REPORTER as REPORTER
from bot.case.handling import THREAD as THREAD
from bot.case.handling import message_ref
from bot.case.models import (
    Addressee,
    Case,
    CaseEvent,
    Category,
    CategorySource,
    EventKind,
    MeasureKind,
    NewReport,
    Reporter,
    Status,
    Urgency,
    can_transition,
)
from bot.case.reading import CaseReading
from bot.consultation.models import Receipt
from bot.events import MessageRef, Platform
from bot.ports import Transaction
from bot.submission import once
from bot.submission.models import Produced

UNDELIVERED = "reporter.undelivered"  # tells the thread that feedback did not arrive
RECEIPT = "reporter.receipt"  # the confirmation in the reporter's chat, once it is stored
PASSED_ON = "case.passed_on"  # the vertrouwenspersoon's card, once the meldpunt has the case


class CaseService(CaseActions, CaseReading):
    """Intake and the chat's case actions; the console's own actions and its reads come
    from ``CaseActions`` and ``CaseReading``, on the same base (``bot/case/handling.py``)."""

    __slots__ = ()

    async def report(
        self, report: NewReport, reporter: Reporter, *, replacing: MessageRef | None = None
    ) -> Case:
        """A named report; feedback will go to the reporter's personal chat. The receipt
        goes there through the outbox (in place of ``replacing``, the draft it was sent
        from), so a platform that fails right now delays it but cannot lose it."""
        async with self.storage.transaction() as tx:
            case = await self.open_in(tx, report, reporter, reporter.platform)
            await self.confirm(tx, case, replacing)
        await self.keep_in_touch(reporter)
        self.wake_outbox()
        return case

    @staticmethod
    async def confirm(tx: Transaction, case: Case, replacing: MessageRef | None = None) -> None:
        """Queues the named reporter's receipt. Not behind the case's own messages: a
        coordinator channel that is being retried must not hold up the reporter."""
        payload: dict[str, object] = {"case": case.id}
        if replacing is not None:
            payload["replace"] = message_ref(replacing)
        await tx.outbox.enqueue(RECEIPT, payload=payload)

    async def open_in(
        self,
        tx: Transaction,
        report: NewReport,
        reporter: Reporter | None,
        platform: Platform,
        receipt: Receipt | None = None,
    ) -> Case:
        """Opens the case inside ``tx``: anonymous reports commit it with their receipt.
        A form submitted before opens nothing: ``AlreadySubmitted`` says which case it made."""
        platform = self.coordination(platform)
        report = self._heard(report)
        now = self.clock()
        kind = Produced.REPORT if reporter is not None else Produced.ANONYMOUS_REPORT
        claimed = await once.claim(tx, kind, now)
        case = await tx.cases.create(report, reporter, platform, now, receipt)
        if claimed is not None:
            await claimed.produced(case.id)
        event = await tx.cases.add_event(
            case, EventKind.REPORTED, now, category=report.category, urgency=case.urgency
        )
        await self._keep_clocks(tx, case)
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        if not case.for_confidant:
            await self._restrict_by_policy(tx, case)
        if report.attachments:
            if self.attachments is None:
                raise RuntimeError("a report with files, but no attachments service")
            await self.attachments.attach(tx, case.id, report.attachments)
        for watcher in self.watchers:
            await watcher.opened(tx, case, now)
        return case

    def _heard(self, report: NewReport) -> NewReport:
        """What the words tell, without taking a decision away: a threat of self-harm is
        flagged for the coordinators, and a category suggested only when none was chosen.
        The urgency is the reporter's answer alone; the dialogs ask when words hint at it."""
        signals = self.intake.read(report.narrative)
        heard = replace(report, self_harm=report.self_harm or bool(signals.self_harm))
        if report.category is None and signals.suggested_category is not None:
            heard.category = signals.suggested_category
            heard.category_source = CategorySource.MELDBOT
        return heard

    async def keep_in_touch(self, reporter: Reporter) -> None:
        messenger = self.messengers.get(reporter.platform)
        if messenger is not None:
            await messenger.keep_address(reporter.user_id)

    async def claim(self, actor: Acting, case_id: int) -> Case:
        async with self._coordinator_change(actor, case_id, "claim") as (tx, case):
            if case.handler_id is not None:
                raise CaseError(
                    "This case has already been claimed by {handler}.",
                    handler=case.handler_name or "",
                )
            case.handler_id, case.handler_name = actor.key, actor.display
            if case.status is Status.NEW:
                case.status = Status.IN_PROGRESS
            await self._record(tx, case, EventKind.CLAIMED, actor)
        return case

    async def on_it(self, actor: Acting, case_id: int) -> Case:
        """“Ik bel nu”: someone calls the urgent reporter back now. The page stops
        escalating, and whoever answers handles the case if nobody does yet."""
        async with self._responder_change(actor, case_id, EventKind.ON_IT) as (tx, case):
            await self._answer_page(tx, case, actor)
            await self._record(tx, case, EventKind.ON_IT, actor)
        return case

    async def called_back(self, actor: Acting, case_id: int) -> Case:
        """“Teruggebeld”: the reporter was called back (the event's time is when). It also
        answers the page; the reporter needs no message about their own call."""
        async with self._responder_change(actor, case_id, EventKind.CALLED_BACK) as (tx, case):
            await self._answer_page(tx, case, actor)
            await self._record(tx, case, EventKind.CALLED_BACK, actor, silent=True)
        return case

    async def ask(self, actor: Acting, case_id: int, question: str) -> Case:
        async with self._coordinator_change(actor, case_id, "ask") as (tx, case):
            if case.reporter is None and case.receipt is None:
                raise CaseError("This reporter is anonymous and cannot be asked anything.")
            await self._record(tx, case, EventKind.QUESTION, actor, text=question, always=True)
        return case

    async def change_status(
        self,
        actor: Acting,
        case_id: int,
        status: Status,
        measure: MeasureKind | None,
        message: str | None,
        note: str | None = None,
    ) -> Case:
        detail = status.value + (f" {measure.value}" if measure else "")
        async with self._coordinator_change(actor, case_id, "status", detail) as (tx, case):
            if status is not case.status and not can_transition(case.status, status):
                raise CaseError("That status change is not possible.")
            case.status = status
            if measure:
                case.measure = measure
            kind = EventKind.CLOSED if status is Status.CLOSED else EventKind.STATUS
            case.closed_at = self.clock() if status is Status.CLOSED else None
            if case.closed_at and case.receipt and case.receipt.notify:
                # "Tell me when there is news" ends with the case; the code still works.
                await tx.receipts.forget_contact(case.receipt.id)
            await self._record(
                tx, case, kind, actor, text=message, note=note, status=status, measure=measure
            )
        return case

    async def correct(
        self, actor: Acting, case_id: int, category: Category | None, urgency: Urgency
    ) -> Case:
        """A coordinator sets what kind of case it is and how urgent. Raising the urgency
        runs the urgent line (on-call is paged); a category with legal clocks starts them."""
        detail = f"{category.value if category else '-'} {urgency.value}"
        async with self._coordinator_change(actor, case_id, "correct", detail) as (tx, case):
            if not case.is_open:
                raise CaseError("This case is closed.")
            new_category = category if category is not case.report.category else None
            new_urgency = urgency if urgency is not case.urgency else None
            if new_category is None and new_urgency is None:
                raise CaseError("Nothing was changed: the category and urgency were already so.")
            if new_category is not None:
                case.report.category = new_category
                case.report.category_source = CategorySource.COORDINATOR
            case.urgency = urgency
            await self._record(
                tx,
                case,
                EventKind.CORRECTED,
                actor,
                silent=True,
                category=new_category,
                urgency=new_urgency,
            )
            if new_category is not None and not case.restricted:
                await self._restrict_by_policy(tx, case)
        return case

    async def ask_handover(self, actor: Acting, case_id: int) -> Case:
        """The vertrouwenspersoon asks the reporter whether the meldpunt may have the case;
        only the reporter's yes passes it on."""
        async with self._coordinator_change(actor, case_id, "handover") as (tx, case):
            if not case.for_confidant:
                raise CaseError("This case is with the meldpunt already.")
            if case.reporter is None:
                raise CaseError("This reporter is anonymous and cannot be asked anything.")
            await self._record(tx, case, EventKind.HANDOVER_ASKED, actor, always=True)
        return case

    async def answer_handover(self, reporter: Reporter, case_id: int, agree: bool) -> Case:
        """The reporter's answer. Yes: the case leaves the vertrouwenspersoon's channel
        (their card says so) and arrives at the meldpunt as a new alert; their own
        conversations about it stay where they were."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None or not _reported_by(case, reporter):
                raise NotAllowed("This report is not yours, or it no longer exists.")
            events = await tx.cases.events(case.id)
            asked = [e for e in events if e.kind in HANDOVER_STEPS]
            if (
                not case.for_confidant
                or not asked
                or asked[-1].kind is not EventKind.HANDOVER_ASKED
            ):
                raise CaseError("This question has been answered already.")
            now = self.clock()
            case.updated_at = now
            kind = EventKind.HANDED_OVER if agree else EventKind.HANDOVER_DECLINED
            if agree:
                if case.alert is not None:
                    await tx.outbox.enqueue(
                        PASSED_ON, payload={"case": case.id, **message_ref(case.alert)}
                    )
                case.report.addressee, case.alert = Addressee.MELDPUNT, None
            await tx.cases.save(case)
            event = await tx.cases.add_event(case, kind, now, actor_name=reporter.name)
            await self._keep_clocks(tx, case)
            await tx.outbox.enqueue(ALERT, case_id=case.id)
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
            if agree:
                await self._restrict_by_policy(tx, case)
            for watcher in self.watchers:
                await watcher.changed(tx, case, event, now)
        self.wake_outbox()
        return case

    async def close(self, actor: Acting, case_id: int, summary: str, message: str | None) -> Case:
        return await self.change_status(actor, case_id, Status.CLOSED, None, message, note=summary)

    async def reopen(self, actor: Acting, case_id: int) -> Case:
        async with self._coordinator_change(actor, case_id, "reopen") as (tx, case):
            if case.is_open:
                raise CaseError("This case is already open.")
            case.status, case.closed_at = Status.IN_PROGRESS, None
            await self._record(tx, case, EventKind.REOPENED, actor, silent=True)
        return case

    async def reporter_adds(
        self,
        reporter: Reporter,
        case_id: int,
        text: str,
        kind: EventKind,
        settles: str | None = None,
    ) -> Case:
        """An answer or an addition from the reporter; only the case's own reporter may.
        ``settles``: the dialog state (an open question) that this answer closes, in the
        same transaction, so a next message is never taken for a second answer."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None or not _reported_by(case, reporter):
                raise NotAllowed("This report is not yours, or it no longer exists.")
            await once.claim(tx, Produced.CHANGE, self.clock(), case.id)
            if settles is not None:
                await tx.dialogs.delete(settles)
            event = await tx.cases.add_event(
                case, kind, self.clock(), text=text, actor_name=reporter.name
            )
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        await self.keep_in_touch(reporter)
        self.wake_outbox()
        return case

    async def anonymous_adds(self, receipt_id: int, text: str) -> Case:
        """The anonymous reporter writes, through the receipt: an answer to the last
        question if one is open, otherwise an addition."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.of_receipt(receipt_id, for_update=True)
            if case is None:
                raise NotAllowed("This report is not yours, or it no longer exists.")
            await once.claim(tx, Produced.CHANGE, self.clock(), case.id)
            kind = _reply_kind(await tx.cases.events(case.id))
            event = await tx.cases.add_event(case, kind, self.clock(), text=text)
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        self.wake_outbox()
        return case

    async def get_for(self, actor: Acting, case_id: int) -> Case:
        """A case as the people who handle it read it to act on it (a form filled in)."""
        async with self.storage.transaction() as tx:
            case = await self._handled_by(tx, actor, case_id, for_update=False)
            await self._audit(tx, actor, "read", case, "form")
        return case

    async def opened_by_submission(self, case_id: int) -> Case | None:
        """The case a form submitted before opened, to answer the same form again as it
        was answered then (the reporter's own receipt, like ``report``'s, is not audited)."""
        async with self.storage.transaction() as tx:
            return await tx.cases.get(case_id)

    async def cases_of(self, reporter: Reporter) -> list[Case]:
        async with self.storage.transaction() as tx:
            return await tx.cases.open_for_reporter(reporter)

    def coordination(self, platform: Platform) -> Platform:
        """Where a report from ``platform`` is coordinated: there when coordinators watch
        it, else on the first platform they do (the web chat's alone if none)."""
        coordinating = [p for p in self.messengers if p not in self.policy.unwatched]
        if platform in coordinating:
            return platform
        return next(iter(coordinating or self.messengers))


_CONVERSATION = frozenset({EventKind.QUESTION, EventKind.ANSWER, EventKind.ADDITION})


def _reply_kind(events: list[CaseEvent]) -> EventKind:
    last = next((e for e in reversed(events) if e.kind in _CONVERSATION), None)
    return EventKind.ANSWER if last and last.kind is EventKind.QUESTION else EventKind.ADDITION


HANDOVER_STEPS = frozenset(
    {EventKind.HANDOVER_ASKED, EventKind.HANDED_OVER, EventKind.HANDOVER_DECLINED}
)


def _reported_by(case: Case, reporter: Reporter) -> bool:
    return case.reporter is not None and (case.reporter.platform, case.reporter.user_id) == (
        reporter.platform,
        reporter.user_id,
    )
