"""Case handling: every change is one transaction that also records its notifications.

A report is confirmed only after the transaction commits; messages to Slack, Teams
or the web chat leave through the outbox after that, so a platform outage never
loses a case or blocks the reporter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.access.models import Acting
from bot.access.service import Access
from bot.attachments.service import Attachments
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
from bot.consultation.models import Receipt
from bot.events import MessageRef, Platform
from bot.i18n import N_
from bot.intake.signals import Recogniser
from bot.oncall.page import end_page, page_of, since_last_page
from bot.ports import CaseWatcher, Messenger, Storage, Transaction

ALERT = "case.alert"
THREAD = "case.thread"
REPORTER = "reporter.notice"
UNDELIVERED = "reporter.undelivered"  # tells the thread that feedback did not arrive
RECEIPT_NOTICE = "receipt.notice"  # "there is news": to an anonymous person who asked for it
RECEIPT = "reporter.receipt"  # the confirmation in the reporter's chat, once it is stored
PASSED_ON = "case.passed_on"  # the vertrouwenspersoon's card, once the meldpunt has the case


class CaseError(Exception):
    """A case action that cannot be done; ``reason`` is a message id for the actor."""

    def __init__(self, reason: str, **values: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


class NotAllowed(CaseError):
    pass


@dataclass(slots=True)
class CaseService:
    storage: Storage
    messengers: dict[Platform, Messenger]
    clock: Callable[[], datetime]
    wake_outbox: Callable[[], None]
    intake: Recogniser
    watchers: list[CaseWatcher] = field(default_factory=list)
    access: Access | None = None  # who may handle what; by default from the messengers
    attachments: Attachments | None = None

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
            payload["replace"] = _ref(replacing)
        await tx.outbox.enqueue(RECEIPT, payload=payload)

    async def open_in(
        self,
        tx: Transaction,
        report: NewReport,
        reporter: Reporter | None,
        platform: Platform,
        receipt: Receipt | None = None,
    ) -> Case:
        """Opens the case inside ``tx``: anonymous reports commit it with their receipt."""
        if platform not in self.messengers:
            platform = self._default_platform()
        report = self._heard(report)
        now = self.clock()
        case = await tx.cases.create(report, reporter, platform, now, receipt)
        event = await tx.cases.add_event(
            case, EventKind.REPORTED, now, category=report.category, urgency=case.urgency
        )
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
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
        async with self._coordinator_change(actor, case_id, "status") as (tx, case):
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
        async with self._coordinator_change(actor, case_id, "correct") as (tx, case):
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
                        PASSED_ON, payload={"case": case.id, **_ref(case.alert)}
                    )
                case.report.addressee, case.alert = Addressee.MELDPUNT, None
            await tx.cases.save(case)
            event = await tx.cases.add_event(case, kind, now, actor_name=reporter.name)
            await tx.outbox.enqueue(ALERT, case_id=case.id)
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
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
        self, reporter: Reporter, case_id: int, text: str, kind: EventKind
    ) -> Case:
        """An answer or an addition from the reporter; only the case's own reporter may."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None or not _reported_by(case, reporter):
                raise NotAllowed("This report is not yours, or it no longer exists.")
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
            kind = _reply_kind(await tx.cases.events(case.id))
            event = await tx.cases.add_event(case, kind, self.clock(), text=text)
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        self.wake_outbox()
        return case

    async def get_for(self, actor: Acting, case_id: int) -> Case:
        """A case as the people who handle it read it to act on it (a form filled in)."""
        async with self.storage.transaction() as tx:
            case = await self._handled_by(tx, actor, case_id, for_update=False)
            await tx.audit.record(actor.key, "read", self.clock(), case_id=case.id)
        return case

    @property
    def rights(self) -> Access:
        return self.access or Access(self.messengers)

    async def may_handle(self, by: Acting, case: Case, tx: Transaction | None = None) -> bool:
        """``tx``: the transaction the check happens in (linked identities are read there)."""
        return await self.rights.may_handle(by, case, tx)

    async def _handled_by(
        self, tx: Transaction, actor: Acting, case_id: int, *, for_update: bool
    ) -> Case:
        """The case, if ``actor`` may handle it. A refusal says the same whether the case
        exists or not, so it tells a stranger nothing."""
        case = await tx.cases.get(case_id, for_update=for_update)
        if case is None or not await self.may_handle(actor, case, tx):
            if case is None and await self.is_coordinator(actor, tx):
                raise CaseError("This case no longer exists.")
            raise NotAllowed("Only coordinators can handle reports. Nothing was changed.")
        return case

    async def cases_of(self, reporter: Reporter) -> list[Case]:
        async with self.storage.transaction() as tx:
            return await tx.cases.open_for_reporter(reporter)

    async def is_coordinator(self, by: Acting, tx: Transaction | None = None) -> bool:
        return await self.rights.is_coordinator(by, tx)

    def _default_platform(self) -> Platform:
        return next(iter(self.messengers))

    @asynccontextmanager
    async def _coordinator_change(
        self, actor: Acting, case_id: int, action: str
    ) -> AsyncIterator[tuple[Transaction, Case]]:
        """One coordinator action: role checked on the server, case locked, audit written."""
        async with self.storage.transaction() as tx:
            case = await self._handled_by(tx, actor, case_id, for_update=True)
            await tx.audit.record(actor.key, action, self.clock(), case_id=case.id)
            yield tx, case
        self.wake_outbox()

    @asynccontextmanager
    async def _responder_change(
        self, actor: Acting, case_id: int, kind: EventKind
    ) -> AsyncIterator[tuple[Transaction, Case]]:
        """Like ``_coordinator_change``, for answering a page: the person it reached may
        answer too, even when not on the coordinators' list; doing it twice changes nothing."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None:
                raise NotAllowed("There is no open page for this. Nothing was changed.")
            # Who may answer first: a refusal must not tell a stranger who handles the case.
            if not await self.may_handle(actor, case, tx):
                page = await page_of(tx, case.id)
                if page is None:  # answered, closed or never paged: nothing to tell
                    raise NotAllowed("There is no open page for this. Nothing was changed.")
                if not page.reached(actor):
                    raise NotAllowed(
                        "Only coordinators and the person on call can answer a page. "
                        "Nothing was changed."
                    )
            events = since_last_page(await tx.cases.events(case.id))
            earlier = next((e for e in events if e.kind in SETTLED_BY[kind]), None)
            if earlier is not None:
                raise CaseError(ALREADY[earlier.kind], name=earlier.actor_name or "")
            if not case.is_open:
                raise CaseError("This case is closed.")
            await tx.audit.record(actor.key, kind.value, self.clock(), case_id=case.id)
            yield tx, case
        self.wake_outbox()

    async def _answer_page(self, tx: Transaction, case: Case, actor: Acting) -> None:
        await end_page(tx, case.id, self.clock())
        if case.handler_id is None:
            case.handler_id, case.handler_name = actor.key, actor.display
            if case.status is Status.NEW:
                case.status = Status.IN_PROGRESS

    async def _record(
        self,
        tx: Transaction,
        case: Case,
        kind: EventKind,
        actor: Acting,
        *,
        text: str | None = None,
        note: str | None = None,
        status: Status | None = None,
        measure: MeasureKind | None = None,
        always: bool = False,
        silent: bool = False,
        category: Category | None = None,
        urgency: Urgency | None = None,
    ) -> None:
        now = self.clock()
        case.updated_at = now
        await tx.cases.save(case)
        informs = (
            not silent and case.reporter is not None and (always or case.report.wants_feedback)
        )
        event = await tx.cases.add_event(
            case,
            kind,
            now,
            actor_name=actor.display,
            text=text,
            note=note,
            status=status,
            measure=measure,
            reporter_informed=informs,
            category=category,
            urgency=urgency,
        )
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        if informs:
            await tx.outbox.enqueue(REPORTER, case_id=case.id, event_id=event.id)
        elif not silent and case.receipt and case.receipt.notify and kind in NEWS:
            await tx.outbox.enqueue(RECEIPT_NOTICE, case_id=case.id)
        for watcher in self.watchers:
            await watcher.changed(tx, case, event, now)


# Answering a page twice is harmless: the second press only hears who was first.
# Once the reporter was called back, “I'm calling now” has nothing left to say.
SETTLED_BY = {
    EventKind.ON_IT: frozenset({EventKind.ON_IT, EventKind.CALLED_BACK}),
    EventKind.CALLED_BACK: frozenset({EventKind.CALLED_BACK}),
}
ALREADY = {
    EventKind.ON_IT: N_("{name} is already calling the reporter back. Nothing else to do."),
    EventKind.CALLED_BACK: N_("{name} already recorded the call back. Nothing else to do."),
}

# What an anonymous reporter who asked to be told hears about ("there is news"). Not the
# closing: the contact is deleted with it, and the code shows the closing message.
NEWS = frozenset({EventKind.CLAIMED, EventKind.QUESTION, EventKind.STATUS})
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


def _ref(ref: MessageRef) -> dict[str, str]:
    return {"platform": ref.platform, "conversation": ref.conversation, "message": ref.message_id}
