"""Case handling: every change is one transaction that also records its notifications.

A report is confirmed only after the transaction commits; messages to Slack, Teams
or the web chat leave through the outbox after that, so a platform outage never
loses a case or blocks the reporter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from bot.attachments.service import Attachments
from bot.case.models import (
    Case,
    CaseEvent,
    EventKind,
    MeasureKind,
    NewReport,
    Reporter,
    Status,
    can_transition,
)
from bot.consultation.models import Receipt
from bot.events import Actor, Platform
from bot.i18n import N_
from bot.oncall.page import end_page, page_of
from bot.ports import CaseWatcher, Messenger, Storage, Transaction

ALERT = "case.alert"
THREAD = "case.thread"
REPORTER = "reporter.notice"
UNDELIVERED = "reporter.undelivered"  # tells the thread that feedback did not arrive
RECEIPT_NOTICE = "receipt.notice"  # "there is news": to an anonymous person who asked for it


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
    watchers: list[CaseWatcher] = field(default_factory=list)
    attachments: Attachments | None = None

    async def report(self, report: NewReport, reporter: Reporter) -> Case:
        """A named report; feedback will go to the reporter's personal chat."""
        async with self.storage.transaction() as tx:
            case = await self.open_in(tx, report, reporter, reporter.platform)
        await self.keep_in_touch(reporter)
        self.wake_outbox()
        return case

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
        now = self.clock()
        case = await tx.cases.create(report, reporter, platform, now, receipt)
        event = await tx.cases.add_event(case, EventKind.REPORTED, now)
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        if report.attachments:
            if self.attachments is None:
                raise RuntimeError("a report with files, but no attachments service")
            await self.attachments.attach(tx, case.id, report.attachments)
        for watcher in self.watchers:
            await watcher.opened(tx, case, now)
        return case

    async def keep_in_touch(self, reporter: Reporter) -> None:
        messenger = self.messengers.get(reporter.platform)
        if messenger is not None:
            await messenger.keep_address(reporter.user_id)

    async def claim(self, actor: Actor, case_id: int) -> Case:
        async with self._coordinator_change(actor, case_id, "claim") as (tx, case):
            if case.handler_id is not None:
                raise CaseError(
                    "This case has already been claimed by {handler}.",
                    handler=case.handler_name or "",
                )
            case.handler_id, case.handler_name = actor.user_id, actor.name or actor.user_id
            if case.status is Status.NEW:
                case.status = Status.IN_PROGRESS
            await self._record(tx, case, EventKind.CLAIMED, actor)
        return case

    async def on_it(self, actor: Actor, case_id: int) -> Case:
        """“Ik bel nu”: someone calls the urgent reporter back now. The page stops
        escalating, and whoever answers handles the case if nobody does yet."""
        async with self._responder_change(actor, case_id, EventKind.ON_IT) as (tx, case):
            await self._answer_page(tx, case, actor)
            await self._record(tx, case, EventKind.ON_IT, actor)
        return case

    async def called_back(self, actor: Actor, case_id: int) -> Case:
        """“Teruggebeld”: the reporter was called back (the event's time is when). It also
        answers the page; the reporter needs no message about their own call."""
        async with self._responder_change(actor, case_id, EventKind.CALLED_BACK) as (tx, case):
            await self._answer_page(tx, case, actor)
            await self._record(tx, case, EventKind.CALLED_BACK, actor, silent=True)
        return case

    async def ask(self, actor: Actor, case_id: int, question: str) -> Case:
        async with self._coordinator_change(actor, case_id, "ask") as (tx, case):
            if case.reporter is None and case.receipt is None:
                raise CaseError("This reporter is anonymous and cannot be asked anything.")
            await self._record(tx, case, EventKind.QUESTION, actor, text=question, always=True)
        return case

    async def change_status(
        self,
        actor: Actor,
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

    async def close(self, actor: Actor, case_id: int, summary: str, message: str | None) -> Case:
        return await self.change_status(actor, case_id, Status.CLOSED, None, message, note=summary)

    async def reopen(self, actor: Actor, case_id: int) -> Case:
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
            if (
                case is None
                or case.reporter is None
                or (
                    (case.reporter.platform, case.reporter.user_id)
                    != (reporter.platform, reporter.user_id)
                )
            ):
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

    async def cases_of(self, reporter: Reporter) -> list[Case]:
        async with self.storage.transaction() as tx:
            return await tx.cases.open_for_reporter(reporter)

    async def is_coordinator(self, actor: Actor) -> bool:
        messenger = self.messengers.get(actor.platform)
        return messenger is not None and await messenger.is_coordinator(actor.user_id)

    def _default_platform(self) -> Platform:
        return next(iter(self.messengers))

    @asynccontextmanager
    async def _coordinator_change(
        self, actor: Actor, case_id: int, action: str
    ) -> AsyncIterator[tuple[Transaction, Case]]:
        """One coordinator action: role checked on the server, case locked, audit written."""
        if not await self.is_coordinator(actor):
            raise NotAllowed("Only coordinators can handle reports. Nothing was changed.")
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None:
                raise CaseError("This case no longer exists.")
            await tx.audit.record(
                f"{actor.platform}:{actor.user_id}", action, self.clock(), case_id=case.id
            )
            yield tx, case
        self.wake_outbox()

    @asynccontextmanager
    async def _responder_change(
        self, actor: Actor, case_id: int, kind: EventKind
    ) -> AsyncIterator[tuple[Transaction, Case]]:
        """Like ``_coordinator_change``, for answering a page: the person it reached may
        answer too, even when not on the coordinators' list; doing it twice changes nothing."""
        coordinator = await self.is_coordinator(actor)
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None:
                raise CaseError("This case no longer exists.")
            events = await tx.cases.events(case.id)
            earlier = next((e for e in events if e.kind in SETTLED_BY[kind]), None)
            if earlier is not None:
                raise CaseError(ALREADY[earlier.kind], name=earlier.actor_name or "")
            if not coordinator:
                page = await page_of(tx, case.id)
                if page is None or not page.reached(actor):
                    raise NotAllowed(
                        "Only coordinators and the person on call can answer a page. "
                        "Nothing was changed."
                    )
            if not case.is_open:
                raise CaseError("This case is closed.")
            await tx.audit.record(
                f"{actor.platform}:{actor.user_id}", kind.value, self.clock(), case_id=case.id
            )
            yield tx, case
        self.wake_outbox()

    async def _answer_page(self, tx: Transaction, case: Case, actor: Actor) -> None:
        await end_page(tx, case.id, self.clock())
        if case.handler_id is None:
            case.handler_id, case.handler_name = actor.user_id, actor.name or actor.user_id
            if case.status is Status.NEW:
                case.status = Status.IN_PROGRESS

    async def _record(
        self,
        tx: Transaction,
        case: Case,
        kind: EventKind,
        actor: Actor,
        *,
        text: str | None = None,
        note: str | None = None,
        status: Status | None = None,
        measure: MeasureKind | None = None,
        always: bool = False,
        silent: bool = False,
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
            actor_name=actor.name or actor.user_id,
            text=text,
            note=note,
            status=status,
            measure=measure,
            reporter_informed=informs,
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
