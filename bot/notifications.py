"""The outbox dispatcher: delivers what the case service recorded, retrying until it lands.

Delivery is at least once: a message is marked sent after the platform accepted it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime, timedelta

from bot.background import Loop
from bot.case import action_views, card, reporter_views, views
from bot.case.detail import detail_on
from bot.case.handling import HANDED_TO, MOVED
from bot.case.models import Case, CaseEvent, EventKind
from bot.case.policy import RESTRICTED_CHANNEL, alert_place
from bot.case.service import ALERT, PASSED_ON, RECEIPT, REPORTER, THREAD, UNDELIVERED
from bot.consultation import delivery as consultation
from bot.events import Address, MessageRef, Platform
from bot.i18n import translator
from bot.observability.metrics import Metrics
from bot.ports import DeliveryError, Messenger, Notification, Storage
from bot.retraction.delivery import Retraction
from bot.retraction.models import RETRACT
from bot.retraction.recording import Watched, recording, remember
from bot.settings import Settings

log = logging.getLogger(__name__)

BATCH = 20
MAX_BACKOFF = 300.0
POLL_SECONDS = 2.0

Sender = Callable[[Notification], Awaitable[None]]
"""Delivers one kind of notification; raises ``DeliveryError`` to have it retried."""


class NoPlace(DeliveryError):
    """A restricted case has no place on this platform: it is in meldbot only."""

    def __init__(self) -> None:
        super().__init__("a restricted case with no place on this platform", permanent=True)


def case_thread(case: Case) -> Address:
    """Where replies about a case go; not yet, while its alert waits to be posted. A
    restricted case whose alert was not posted has no thread: nothing goes anywhere else."""
    if case.alert is None:
        if case.restricted:
            raise NoPlace()
        raise DeliveryError("the case alert is not posted yet")
    return case.alert.thread()


class OutboxDispatcher(Loop):
    def __init__(
        self,
        storage: Storage,
        messengers: dict[Platform, Messenger],
        settings: Settings,
        clock: Callable[[], datetime],
        *,
        metrics: Metrics | None = None,
    ) -> None:
        super().__init__("meldbot-outbox", retry_pause=POLL_SECONDS)
        self._metrics = metrics or Metrics()
        self._storage = storage
        self._messengers = messengers
        self._settings = settings
        self._clock = clock
        # One batch at a time per instance: ``settle`` then also waits for a batch the loop
        # is delivering (other instances are kept apart by the lease).
        self._pumping = asyncio.Lock()
        consultations = consultation.ConsultationDelivery(storage, self.messenger, settings)
        self._senders: dict[str, Sender] = dict.fromkeys(consultation.KINDS, consultations.send)
        self._senders[RECEIPT] = self._receipt
        self._senders[PASSED_ON] = self._passed_on
        self._senders[MOVED] = self._moved
        self._senders[HANDED_TO] = self._handed_to
        retraction = Retraction(self.messenger, translator(settings.language), clock)
        self._senders[RETRACT] = retraction.send

    def register(self, kinds: Iterable[str], sender: Sender) -> None:
        """Scheduled posts and pages bring their own delivery, through the same outbox."""
        for kind in kinds:
            self._senders[kind] = sender

    async def step(self) -> float:
        return 0.0 if await self.pump() else POLL_SECONDS

    async def pump(self) -> int:
        """Deliver one batch of due notifications; returns how many were handled."""
        async with self._pumping:
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
        # What it posts is recorded with its case, so that retention can take it down.
        with recording() as posted:
            try:
                await self._send(notification)
            except NoPlace:
                # Not a failure: a restricted case is told only where its people are.
                log.info(
                    "%s #%s stays in meldbot: no place for it", notification.kind, notification.id
                )
            except DeliveryError as error:
                await self._failed(notification, error, posted)
                return
        async with self._storage.transaction() as tx:
            await tx.outbox.delivered(notification.id, self._clock())
            await remember(tx, notification, posted, self._clock())
        self._metrics.delivered.labels(notification.kind).inc()
        log.info("delivered %s #%s", notification.kind, notification.id)

    async def _failed(
        self, notification: Notification, error: DeliveryError, posted: list[MessageRef]
    ) -> None:
        retry_at = None
        if not error.permanent:
            delay = error.retry_after or min(2.0**notification.attempts, MAX_BACKOFF)
            retry_at = self._clock() + timedelta(seconds=delay)
        counter = self._metrics.abandoned if retry_at is None else self._metrics.retried
        counter.labels(notification.kind).inc()
        log.warning(
            "delivery of %s #%s failed (%s); %s",
            notification.kind,
            notification.id,
            error,
            "abandoned" if retry_at is None else f"retry at {retry_at:%H:%M:%S}",
        )
        async with self._storage.transaction() as tx:
            await tx.outbox.failed(notification.id, str(error), retry_at)
            await remember(tx, notification, posted, self._clock())  # what did land
            if retry_at is None and notification.kind in {REPORTER, RECEIPT}:
                # The reporter never heard it: the coordinators must, and call instead.
                case_id = notification.case_id or (notification.payload or {}).get("case")
                await tx.outbox.enqueue(UNDELIVERED, case_id=case_id)

    async def _load(self, notification: Notification) -> tuple[Case, CaseEvent | None]:
        assert notification.case_id is not None
        async with self._storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id)
            event = await tx.cases.event(notification.event_id) if notification.event_id else None
        if case is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        return case, event

    async def _receipt(self, notification: Notification) -> None:
        """The named reporter's receipt, in place of the draft it was sent from when the
        platform still has it, else as a new message in their personal chat."""
        payload = notification.payload or {}
        async with self._storage.transaction() as tx:
            case = await tx.cases.get(int(payload.get("case", 0)))
            files = len(await tx.attachments.of_case(case.id)) if case else 0
        if case is None or case.reporter is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        t = translator(case.report.language)
        message = reporter_views.receipt_for(case, t, self._settings, files)
        messenger = self.messenger(case.reporter.platform)
        replace = payload.get("replace")
        if isinstance(replace, dict) and replace.get("platform") == messenger.platform:
            draft = MessageRef(messenger.platform, replace["conversation"], replace["message"])
            try:
                await messenger.update(draft, message)
                return
            except DeliveryError as error:
                if not error.permanent:
                    raise
                log.info("the draft could not be replaced (%s); sending the receipt anew", error)
        address = await messenger.personal_address(case.reporter.user_id)
        await messenger.send(address, message)

    async def _before_handover(self, case: Case, event: CaseEvent) -> bool:
        if case.for_confidant or event.kind is EventKind.HANDED_OVER:
            return False
        async with self._storage.transaction() as tx:
            events = await tx.cases.events(case.id)
        handed = [e.id for e in events if e.kind is EventKind.HANDED_OVER]
        return bool(handed) and event.id < handed[-1]

    async def _alert_place(self, case: Case, coordination: Messenger) -> Address:
        """The coordinator channel; for a report to the vertrouwenspersoon, theirs; for a
        restricted case the restricted channel, or the first named person's chat."""
        if not case.for_confidant:
            platform = coordination.platform
            policy = self._settings.case_policy()
            where = alert_place(case.restricted_to, platform, policy)
            if where == "":
                return coordination.coordinator_channel()
            if where == RESTRICTED_CHANNEL:
                return Address(platform, policy.restricted_channels[platform])
            if where is None:
                raise NoPlace()
            return await coordination.personal_address(where.partition(":")[2])
        confidant = self._settings.confidant
        place = confidant.place(coordination.platform) if confidant else None
        if place is None:
            raise DeliveryError("no vertrouwenspersoon on this platform", permanent=True)
        if place.channel:
            return Address(coordination.platform, place.channel)
        return await coordination.personal_address(place.people[0])

    async def _passed_on(self, notification: Notification) -> None:
        """The vertrouwenspersoon's card once the meldpunt has the case: no content, no
        buttons, only where it went."""
        payload = notification.payload or {}
        messenger = self.messenger(payload["platform"])
        card = MessageRef(messenger.platform, payload["conversation"], payload["message"])
        async with self._storage.transaction() as tx:
            case = await tx.cases.get(int(payload.get("case", 0)))
        reference = case.reference if case else ""
        await messenger.update(
            card, views.passed_on_card(reference, translator(self._settings.language))
        )

    async def _moved(self, notification: Notification) -> None:
        """The old root card once the alert moved (restricted, or lifted): no content left."""
        payload = notification.payload or {}
        messenger = self.messenger(payload["platform"])
        card = MessageRef(messenger.platform, payload["conversation"], payload["message"])
        async with self._storage.transaction() as tx:
            case = await tx.cases.get(int(payload.get("case", 0)))
        t = translator(self._settings.language)
        moved = action_views.moved_card(case.reference if case else "", t)
        await messenger.update(card, moved)

    async def _handed_to(self, notification: Notification) -> None:
        """To whom a case was handed over, in their personal chat: which case, not what."""
        to = str((notification.payload or {}).get("to", ""))
        async with self._storage.transaction() as tx:
            event = await tx.cases.event(notification.event_id or 0)
            case = await tx.cases.get(event.case_id) if event else None
        if case is None or event is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        if case.handler_id != to:
            return  # handed on again meanwhile: the newer note says so
        platform, _, user_id = to.partition(":")
        if platform not in self._messengers:
            return  # a console identity: the case is in their list in meldbot
        messenger = self.messenger(platform)
        message = action_views.handed_to_you(case, event, translator(self._settings.language))
        await messenger.send(await messenger.personal_address(user_id), message)

    def messenger(self, platform: Platform) -> Messenger:
        """The platform's messenger; a platform not configured is a permanent failure.
        What it posts during a delivery is noted for the case (``recording``)."""
        messenger = self._messengers.get(platform)
        if messenger is None:
            raise DeliveryError(f"{platform} is not configured", permanent=True)
        return Watched(messenger)

    async def _send(self, notification: Notification) -> None:
        sender = self._senders.get(notification.kind)
        if sender is not None:
            await sender(notification)
            return
        case, event = await self._load(notification)
        t = translator(self._settings.language)
        coordination = self.messenger(case.coordination_platform)
        detail = detail_on(coordination.platform, self._settings)
        if notification.kind == ALERT:
            root = card.case_card(case, t, detail)
            if case.alert is None:
                ref = await coordination.send(await self._alert_place(case, coordination), root)
                async with self._storage.transaction() as tx:
                    await tx.cases.set_alert(case.id, ref)
            else:
                await coordination.update(case.alert, root)
        elif notification.kind == THREAD and event is not None:
            if await self._before_handover(case, event):
                # Said while the vertrouwenspersoon had it, delivered after it moved on:
                # it belongs in their channel, never in the meldpunt's thread.
                log.info("thread note #%s skipped: the case was passed on meanwhile", event.id)
                return
            crisis = self._settings.crisis_contacts
            note = views.thread_note(case, event, t, detail, crisis=crisis)
            await coordination.send(case_thread(case), note)
        elif notification.kind == UNDELIVERED:
            await coordination.send(case_thread(case), views.delivery_failed_note(case, t, detail))
        elif notification.kind == REPORTER and event is not None and case.reporter:
            reporter_t = translator(case.report.language)
            message = reporter_views.reporter_notice(
                case, event, reporter_t, self._settings.support_contacts
            )
            if message is None:
                return
            messenger = self.messenger(case.reporter.platform)
            address = await messenger.personal_address(case.reporter.user_id)
            await messenger.send(address, message)
        else:
            raise DeliveryError(f"unknown notification {notification.kind}", permanent=True)
