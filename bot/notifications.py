"""The outbox dispatcher: delivers what the case service recorded, retrying until it lands.

Delivery is at least once: a message is marked sent after the platform accepted it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from bot.background import Loop
from bot.case import views
from bot.case.models import Case, CaseEvent
from bot.case.service import ALERT, REPORTER, THREAD, UNDELIVERED
from bot.consultation import delivery as consultation
from bot.events import Address, Platform
from bot.i18n import translator
from bot.ports import DeliveryError, Messenger, Notification, Storage
from bot.settings import Settings

log = logging.getLogger(__name__)

BATCH = 20
MAX_BACKOFF = 300.0
POLL_SECONDS = 2.0

Sender = Callable[[Notification], Awaitable[None]]
"""Delivers one kind of notification; raises ``DeliveryError`` to have it retried."""


def case_thread(case: Case) -> Address:
    """Where replies about a case go; not yet, while its alert waits to be posted."""
    if case.alert is None:
        raise DeliveryError("the case alert is not posted yet")
    return case.alert.thread()


class OutboxDispatcher(Loop):
    def __init__(
        self,
        storage: Storage,
        messengers: dict[Platform, Messenger],
        settings: Settings,
        clock: Callable[[], datetime],
    ) -> None:
        super().__init__("meldbot-outbox", retry_pause=POLL_SECONDS)
        self._storage = storage
        self._messengers = messengers
        self._settings = settings
        self._clock = clock
        consultations = consultation.ConsultationDelivery(storage, self.messenger, settings)
        self._senders: dict[str, Sender] = dict.fromkeys(consultation.KINDS, consultations.send)

    def register(self, kinds: Iterable[str], sender: Sender) -> None:
        """Scheduled posts and pages bring their own delivery, through the same outbox."""
        for kind in kinds:
            self._senders[kind] = sender

    async def step(self) -> float:
        return 0.0 if await self.pump() else POLL_SECONDS

    async def pump(self) -> int:
        """Deliver one batch of due notifications; returns how many were handled."""
        now = self._clock()
        async with self._storage.transaction() as tx:
            lease = timedelta(seconds=self._settings.outbox_lease_seconds)
            batch = await tx.outbox.claim(now, now + lease, BATCH)
        for notification in batch:
            await self._deliver(notification)
        return len(batch)

    async def settle(self) -> None:
        """Deliver until nothing is due now (tests and shutdown use this)."""
        while await self.pump():
            pass

    async def _deliver(self, notification: Notification) -> None:
        if notification.in_doubt:
            # An instance died between sending and recording it: the platform may have
            # it already. Sending again risks a duplicate; not sending risks a loss.
            log.warning(
                "%s #%s may have landed before; sending again", notification.kind, notification.id
            )
        try:
            await self._send(notification)
        except DeliveryError as error:
            await self._failed(notification, error)
            return
        async with self._storage.transaction() as tx:
            await tx.outbox.delivered(notification.id, self._clock())
        log.info("delivered %s #%s", notification.kind, notification.id)

    async def _failed(self, notification: Notification, error: DeliveryError) -> None:
        retry_at = None
        if not error.permanent:
            delay = error.retry_after or min(2.0**notification.attempts, MAX_BACKOFF)
            retry_at = self._clock() + timedelta(seconds=delay)
        log.warning(
            "delivery of %s #%s failed (%s); %s",
            notification.kind,
            notification.id,
            error,
            "abandoned" if retry_at is None else f"retry at {retry_at:%H:%M:%S}",
        )
        async with self._storage.transaction() as tx:
            await tx.outbox.failed(notification.id, str(error), retry_at)
            if retry_at is None and notification.kind == REPORTER:
                await tx.outbox.enqueue(UNDELIVERED, case_id=notification.case_id)

    async def _load(self, notification: Notification) -> tuple[Case, CaseEvent | None]:
        assert notification.case_id is not None
        async with self._storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id)
            event = await tx.cases.event(notification.event_id) if notification.event_id else None
        if case is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        return case, event

    def messenger(self, platform: Platform) -> Messenger:
        """The platform's messenger; a platform not configured is a permanent failure."""
        messenger = self._messengers.get(platform)
        if messenger is None:
            raise DeliveryError(f"{platform} is not configured", permanent=True)
        return messenger

    async def _send(self, notification: Notification) -> None:
        sender = self._senders.get(notification.kind)
        if sender is not None:
            await sender(notification)
            return
        case, event = await self._load(notification)
        t = translator(self._settings.language)
        coordination = self.messenger(case.coordination_platform)
        if notification.kind == ALERT:
            card = views.case_card(case, t)
            if case.alert is None:
                ref = await coordination.send(coordination.coordinator_channel(), card)
                async with self._storage.transaction() as tx:
                    await tx.cases.set_alert(case.id, ref)
            else:
                await coordination.update(case.alert, card)
        elif notification.kind == THREAD and event is not None:
            await coordination.send(case_thread(case), views.thread_note(case, event, t))
        elif notification.kind == UNDELIVERED:
            await coordination.send(case_thread(case), views.delivery_failed_note(t))
        elif notification.kind == REPORTER and event is not None and case.reporter:
            reporter_t = translator(case.report.language)
            message = views.reporter_notice(
                case, event, reporter_t, self._settings.support_contacts
            )
            if message is None:
                return
            messenger = self.messenger(case.reporter.platform)
            address = await messenger.personal_address(case.reporter.user_id)
            await messenger.send(address, message)
        else:
            raise DeliveryError(f"unknown notification {notification.kind}", permanent=True)
