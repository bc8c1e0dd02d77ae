"""What every case action shares: the role check, the lock, the audit entry, the event,
the clocks kept on the case, and the notifications recorded in the same transaction.

``CaseService`` (intake and the chat's actions), ``CaseActions`` (the console's own) and
``CaseReading`` (lists and the case page) all build on this one base, so a console page
and a chat button pass exactly the same checks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime

from bot.access.models import Acting, Role
from bot.access.service import Access
from bot.attachments.service import Attachments
from bot.case import due
from bot.case.errors import CaseError, CaseNotFound, NotAllowed
from bot.case.linked_news import LINKED_NEWS, on_the_page
from bot.case.models import Case, CaseEvent, Category, EventKind, MeasureKind, Status, Urgency
from bot.case.policy import CasePolicy, alert_place
from bot.events import MessageRef, Platform
from bot.i18n import N_
from bot.intake.signals import Recogniser
from bot.oncall.page import end_page, page_of, since_last_page
from bot.ports import CaseWatcher, Messenger, Storage, Transaction
from bot.submission import once
from bot.submission.models import Produced

ALERT = "case.alert"
THREAD = "case.thread"
REPORTER = "reporter.notice"
RECEIPT_NOTICE = "receipt.notice"  # "there is news": to an anonymous person who asked for it
MOVED = "case.moved"  # the old root card once the case's alert moved to another place
HANDED_TO = "case.handed_to"  # the personal note to whom a case was handed over

# What an anonymous reporter who asked to be told hears about ("there is news"). Not the
# closing: the contact is deleted with it, and the code shows the closing message.
NEWS = frozenset(
    {
        EventKind.CLAIMED,
        EventKind.QUESTION,
        EventKind.STATUS,
        EventKind.MESSAGE,
        EventKind.REASSIGNED,
        EventKind.BAN_ENDED,
        EventKind.MEASURE_PROPOSED,
        EventKind.MEASURE_CARRIED_OUT,
        EventKind.AANGIFTE_GUIDANCE,
    }
)

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
HANDLING_ROLES = frozenset({Role.COORDINATOR, Role.CONFIDANT})


async def inform_reporter(tx: Transaction, case: Case, event: CaseEvent) -> None:
    """The reporter hears of ``event``; one who reported on the staff page also hears in
    the chats they linked that there is news."""
    await tx.outbox.enqueue(REPORTER, case_id=case.id, event_id=event.id)
    if on_the_page(case):
        await tx.outbox.enqueue(LINKED_NEWS, case_id=case.id, event_id=event.id)


@dataclass(slots=True)
class CaseHandling:
    storage: Storage
    messengers: dict[Platform, Messenger]
    clock: Callable[[], datetime]
    wake_outbox: Callable[[], None]
    intake: Recogniser
    watchers: list[CaseWatcher] = field(default_factory=list)
    access: Access | None = None  # who may handle what; by default from the messengers
    attachments: Attachments | None = None
    policy: CasePolicy = field(default_factory=CasePolicy)

    @property
    def rights(self) -> Access:
        return self.access or Access(self.messengers)

    async def may_handle(self, by: Acting, case: Case, tx: Transaction | None = None) -> bool:
        """``tx``: the transaction the check happens in (linked identities are read there:
        SQLite has one writer)."""
        return await self.rights.may_handle(by, case, tx)

    async def is_coordinator(self, by: Acting, tx: Transaction | None = None) -> bool:
        return await self.rights.is_coordinator(by, tx)

    async def _refuse(
        self, by: Acting, case: Case | None, tx: Transaction | None = None
    ) -> CaseError:
        """Someone who handles cases hears "not found" for a case that is missing or
        restricted to others (it tells them nothing); anyone else that it is not their
        role."""
        if (case is None or case.restricted) and await self.rights.roles(by, tx) & HANDLING_ROLES:
            return CaseNotFound()
        return NotAllowed("Only coordinators can handle reports. Nothing was changed.")

    async def _handled_by(
        self, tx: Transaction, actor: Acting, case_id: int, *, for_update: bool
    ) -> Case:
        """The case, if ``actor`` may handle it."""
        case = await tx.cases.get(case_id, for_update=for_update)
        if case is None or not await self.may_handle(actor, case, tx):
            raise await self._refuse(actor, case, tx)
        return case

    async def _audit(
        self, tx: Transaction, by: Acting, action: str, case: Case, detail: str | None = None
    ) -> None:
        await tx.audit.record(
            by.key,
            action,
            self.clock(),
            actor_name=by.display,
            case_id=case.id,
            reference=case.reference,
            detail=detail,
        )

    @asynccontextmanager
    async def _coordinator_change(
        self, actor: Acting, case_id: int, action: str, detail: str | None = None
    ) -> AsyncIterator[tuple[Transaction, Case]]:
        """One coordinator action: role checked on the server, case locked, audit written."""
        async with self.storage.transaction() as tx:
            case = await self._handled_by(tx, actor, case_id, for_update=True)
            await once.claim(tx, Produced.CHANGE, self.clock(), case.id)
            await self._audit(tx, actor, action, case, detail)
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
            await self._audit(tx, actor, kind.value, case)
            yield tx, case
        self.wake_outbox()

    async def _answer_page(self, tx: Transaction, case: Case, actor: Acting) -> None:
        await end_page(tx, case.id, self.clock())
        if case.handler_id is None:
            case.handler_id, case.handler_name = actor.key, actor.display
            if case.status is Status.NEW:
                case.status = Status.IN_PROGRESS

    async def _set_restriction(self, tx: Transaction, case: Case, keys: frozenset[str]) -> None:
        """Restricts the case to ``keys`` (empty: lifts it). When that changes where its
        alert belongs, the old card is cleared and a new alert goes to the new place."""
        platform = case.coordination_platform
        before = alert_place(case.restricted_to, platform, self.policy)
        await tx.cases.restrict(case.id, keys)
        case.restricted_to = keys
        if case.alert is not None and alert_place(keys, platform, self.policy) != before:
            await tx.outbox.enqueue(MOVED, payload={"case": case.id, **message_ref(case.alert)})
            case.alert = None

    async def _restrict_by_policy(self, tx: Transaction, case: Case) -> None:
        """An integrity report is the integrity coordinators' alone, from the moment it is
        one: at intake, when a coordinator sets the category, or once the vertrouwenspersoon
        passed it on. A handler who is not among them lets go of it."""
        keys = self.policy.restricts(case.report.category)
        if not keys or case.restricted:
            return
        await self._set_restriction(tx, case, keys)
        if case.handler_id is not None and case.handler_id not in keys:
            case.handler_id = case.handler_name = None
        now = self.clock()
        case.updated_at = now
        await tx.cases.save(case)
        event = await tx.cases.add_event(case, EventKind.RESTRICTED, now)
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)

    async def _keep_clocks(self, tx: Transaction, case: Case) -> None:
        """Saves the case with its clocks worked out from everything that happened to it."""
        due.refresh(case, await tx.cases.events(case.id), self.policy)
        await tx.cases.save(case)

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
    ) -> CaseEvent:
        now = self.clock()
        case.updated_at = now
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
        await self._keep_clocks(tx, case)
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        if informs:
            await inform_reporter(tx, case, event)
        elif not silent and case.receipt and case.receipt.notify and kind in NEWS:
            await tx.outbox.enqueue(RECEIPT_NOTICE, case_id=case.id)
        for watcher in self.watchers:
            await watcher.changed(tx, case, event, now)
        return event


def message_ref(ref: MessageRef) -> dict[str, str]:
    return {"platform": ref.platform, "conversation": ref.conversation, "message": ref.message_id}
