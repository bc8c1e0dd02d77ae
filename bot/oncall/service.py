"""Urgent cases: page the on-call coordinator, escalate when nobody answers.

An urgent report pages the person the rota names (a personal message and a mention in
the case thread) and sets a timer. Unless someone answers with “Ik bel nu” (or records
the call back) before it is due, the timer pages the backup and the whole coordinator
channel, once. With nobody on the rota, the whole channel is paged at once. A personal
page that cannot be delivered is said in the thread at once, and escalates at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.case.detail import detail_on
from bot.case.models import Case, CaseEvent, EventKind, Urgency
from bot.case.page_notes import Paging
from bot.case.views import thread_note
from bot.i18n import translator
from bot.notifications import Sender, case_thread
from bot.observability.metrics import Metrics
from bot.oncall.page import (
    ESCALATE,
    Page,
    end_page,
    escalation_key,
    page_job,
    page_of,
    since_last_page,
)
from bot.oncall.rota import OnCallPerson
from bot.oncall.views import page_message, unreachable_note
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.feature import Feature, FeatureContext
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, TimerHandler
from bot.ui import Mention

PAGE_DM = "oncall.dm"  # the page (or its escalation) in a person's personal chat
PAGE_THREAD = "oncall.thread"  # the page (or its escalation) in the case thread
PAGE_FAILED = "oncall.failed"  # in the case thread: a personal page could not be delivered
ANSWERED = frozenset({EventKind.ON_IT, EventKind.CALLED_BACK})


class OnCall(Feature):
    def __init__(self, context: FeatureContext, metrics: Metrics | None = None) -> None:
        super().__init__(context)
        self._metrics = metrics or Metrics()

    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {ESCALATE: self._escalate}

    def senders(self) -> dict[str, Sender]:
        return {
            PAGE_DM: self._send_dm,
            PAGE_THREAD: self._send_thread,
            PAGE_FAILED: self._send_unreachable,
        }

    async def opened(self, tx: Transaction, case: Case, now: datetime) -> None:
        # A report to the vertrouwenspersoon stays theirs: the meldpunt's piket is not paged.
        if case.urgency is Urgency.URGENT and not case.for_confidant:
            await self._page(tx, case, now, round_=0)

    async def changed(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        if event.kind in ANSWERED:
            self._metrics.page("acknowledged")
        if event.kind is EventKind.CLOSED or event.urgency is Urgency.NORMAL:
            await end_page(tx, case.id, now)  # a closed or calmed case pages nobody
        elif case.is_open and not case.for_confidant and _newly_urgent(case, event):
            await self._page(tx, case, now, round_=event.id)  # the urgent line, now

    async def _page(self, tx: Transaction, case: Case, now: datetime, round_: int) -> None:
        rota = self.context.settings.oncall
        on_call = rota.who_is_on_call(now)
        page = Page(rota.platform or case.coordination_platform, on_call, rota.backup)
        name = on_call.shown if on_call else None
        event = await tx.cases.add_event(case, EventKind.PAGED, now, actor_name=name)
        timer = await tx.timers.set(
            ESCALATE,
            escalation_key(case.id, round_),
            now + timedelta(minutes=rota.escalate_after_minutes),
            job=page_job(case.id),
            case_id=case.id,
            payload=page.payload(),
        )
        timer_id = timer.id if timer else None
        if on_call is not None:
            await self._enqueue_dm(tx, event, timer_id)
        await tx.outbox.enqueue(PAGE_THREAD, case_id=case.id, event_id=event.id, timer_id=timer_id)

    async def _escalate(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        case = await tx.cases.get(timer.case_id, for_update=True) if timer.case_id else None
        if case is None:
            return "skipped: the case no longer exists"
        if not case.is_open:
            return "skipped: closed"
        since = since_last_page(await tx.cases.events(case.id))
        if any(e.kind in ANSWERED for e in since):
            return "skipped: acknowledged"
        if any(e.kind is EventKind.ESCALATED for e in since):
            return "skipped: escalated already (the page could not be delivered)"
        page = Page.of(timer.payload)
        backup = page.backup if page else None
        name = backup.shown if backup else None
        event = await tx.cases.add_event(case, EventKind.ESCALATED, now, actor_name=name)
        if backup is not None:
            await self._enqueue_dm(tx, event, timer.id)
        await tx.outbox.enqueue(PAGE_THREAD, case_id=case.id, event_id=event.id, timer_id=timer.id)
        self._metrics.page("escalated")
        return SENT

    @staticmethod
    async def _enqueue_dm(tx: Transaction, event: CaseEvent, timer_id: int | None) -> None:
        """Without the case id on the row: the outbox sends a case's messages one at a
        time, and a page must not wait behind a channel post that is being retried."""
        await tx.outbox.enqueue(PAGE_DM, event_id=event.id, timer_id=timer_id)

    async def _load(self, notification: Notification) -> tuple[Case, CaseEvent, Page | None, bool]:
        """The case, the page's event, who the page reached, and whether it was answered."""
        if notification.event_id is None:
            raise DeliveryError("a page without its case", permanent=True)
        async with self.context.storage.transaction() as tx:
            event = await tx.cases.event(notification.event_id)
            case = await tx.cases.get(event.case_id) if event else None
            if case is None or event is None:
                raise DeliveryError("the case no longer exists", permanent=True)
            events = since_last_page(await tx.cases.events(case.id))
            answered = any(e.kind in ANSWERED for e in events)
            timer = await tx.timers.get(notification.timer_id) if notification.timer_id else None
            page = Page.of(timer.payload) if timer else await page_of(tx, case.id)
        return case, event, page, answered

    def _paging(self, case: Case, event: CaseEvent, person: Mention | str | None) -> Paging:
        settings = self.context.settings
        return Paging(
            person,
            call_back_by=case.created_at + timedelta(minutes=settings.urgent_contact_minutes),
            escalates_at=event.created_at
            + timedelta(minutes=settings.oncall.escalate_after_minutes),
        )

    async def _send_dm(self, notification: Notification) -> None:
        case, event, page, answered = await self._load(notification)
        escalated = event.kind is EventKind.ESCALATED
        person = None if page is None else page.backup if escalated else page.on_call
        if person is None or answered or page is None:
            return  # someone answered meanwhile: nobody needs waking any more
        if case.restricted and f"{page.platform}:{person.id}" not in case.restricted_to:
            return  # a restricted case is told only to the people named on it
        t = translator(self.context.settings.language)
        paging = self._paging(case, event, None)
        messenger = self.context.messenger(page.platform)
        detail = detail_on(messenger.platform, self.context.settings)
        message = page_message(case, t, detail, paging.call_back_by, backup=escalated)
        try:
            address = await messenger.personal_address(person.id)
            await messenger.send(address, message)
        except DeliveryError as error:
            if error.permanent:
                await self._unreachable(notification, event, escalated)
            raise
        self._metrics.page("sent")

    async def _unreachable(
        self, notification: Notification, event: CaseEvent, escalated: bool
    ) -> None:
        """Nobody is woken by a page that cannot be delivered: the thread hears it now,
        and the first page escalates now instead of when its timer is due."""
        self._metrics.page("failed")
        now = self.context.clock()
        async with self.context.storage.transaction() as tx:
            await tx.outbox.enqueue(
                PAGE_FAILED,
                case_id=event.case_id,
                event_id=event.id,
                timer_id=notification.timer_id,
            )
            timer = await tx.timers.get(notification.timer_id) if notification.timer_id else None
            if not escalated and timer is not None and timer.done_at is None:
                # The timer stays: when due, it finds the escalation and skips.
                await self._escalate(tx, timer, now)
        self.context.wake_outbox()

    async def _send_thread(self, notification: Notification) -> None:
        case, event, page, _ = await self._load(notification)
        thread = case_thread(case)
        escalated = event.kind is EventKind.ESCALATED
        person = None if page is None else page.backup if escalated else page.on_call
        shown = _shown(case, page, person, event.actor_name)
        t = translator(self.context.settings.language)
        messenger = self.context.messenger(case.coordination_platform)
        detail = detail_on(messenger.platform, self.context.settings)
        note = thread_note(case, event, t, detail, self._paging(case, event, shown))
        await messenger.send(thread, note)

    async def _send_unreachable(self, notification: Notification) -> None:
        case, event, page, _ = await self._load(notification)
        thread = case_thread(case)
        escalated = event.kind is EventKind.ESCALATED
        person = None if page is None else page.backup if escalated else page.on_call
        t = translator(self.context.settings.language)
        shown = _shown(case, page, person, event.actor_name) or t("the person on call")
        platform = page.platform if page else case.coordination_platform
        note = unreachable_note(shown, platform, t, backup=escalated)
        await self.context.messenger(case.coordination_platform).send(thread, note)


def _shown(
    case: Case, page: Page | None, person: OnCallPerson | None, fallback: str | None
) -> Mention | str | None:
    """The paged person in the thread: a mention where it would call them into it (the
    same platform, and named on a restricted case), else their name; once the page's
    record is gone, the name its event kept."""
    if person is None or page is None:
        return fallback
    same_platform = page.platform == case.coordination_platform
    named = not case.restricted or f"{page.platform}:{person.id}" in case.restricted_to
    return Mention(person.id, person.name) if same_platform and named else person.shown


def _newly_urgent(case: Case, event: CaseEvent) -> bool:
    """Raised by a coordinator, or an urgent case the vertrouwenspersoon passed on."""
    if event.kind is EventKind.HANDED_OVER:
        return case.urgency is Urgency.URGENT
    return event.urgency is Urgency.URGENT
