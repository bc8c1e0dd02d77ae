"""The clocks on a case: unclaimed after a working day, the whistleblower act's deadlines.

Every case: when nobody has claimed it after ``unclaimed_working_days`` working days, it is
raised again in its thread with the claim button, and again every working day after that
until someone claims it or it is closed.

Reports in ``legal_clock_categories`` (integrity): the thread gets the two legal deadlines
when the case opens, a reminder some days before each, and one at the deadline while the
duty is still open (see ``bot/case/deadlines.py`` for what meets each duty).

Timer keys: ``case:{id}:unclaimed:…`` and ``case:{id}:clock:{duty}:{stage}``. Keys are used
once only, so a reopened case arms new ones with the reopening event's id in the key.
Closing cancels them all; reopening arms what is still open (a deadline that passed while
the case was closed is not announced late).
"""

from __future__ import annotations

from datetime import datetime

from bot.case import clock_views as views
from bot.case import deadlines
from bot.case.detail import Detail, detail_on
from bot.case.models import Case, CaseEvent, EventKind
from bot.i18n import Translator, translator
from bot.notifications import Sender, case_thread
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.calendar import add_working_days
from bot.schedule.feature import Feature
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, TimerHandler
from bot.ui import Message

UNCLAIMED = "clock.unclaimed"  # timer: is anyone on it yet?
LEGAL = "clock.legal"  # timer: a legal deadline coming up or passed
RAISED = "clock.raised"  # outbox: "nobody has picked this up" in the thread
REMINDER = "clock.reminder"  # outbox: a legal deadline reminder in the thread
DEADLINES = "clock.deadlines"  # outbox: both legal deadlines, when the case opens


def unclaimed_prefix(case_id: int) -> str:
    return f"case:{case_id}:unclaimed:"


def legal_prefix(case_id: int, duty: str = "") -> str:
    return f"case:{case_id}:clock:{duty}:" if duty else f"case:{case_id}:clock:"


def _unclaimed_key(case_id: int, round_: int, n: int) -> str:
    return (
        f"{unclaimed_prefix(case_id)}{n}"
        if not round_
        else f"{unclaimed_prefix(case_id)}r{round_}:{n}"
    )


def _legal_key(case_id: int, duty: str, stage: str, round_: int) -> str:
    key = f"{legal_prefix(case_id, duty)}{stage}"
    return key if not round_ else f"{key}:r{round_}"


def working_days_late(due_at: datetime, fired_at: datetime) -> int:
    """How many working days past ``due_at`` a timer fired (0 when on time)."""
    late = 0
    while add_working_days(due_at, late + 1) <= fired_at:
        late += 1
    return late


class CaseClocks(Feature):
    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {UNCLAIMED: self._unclaimed, LEGAL: self._legal}

    def senders(self) -> dict[str, Sender]:
        return {
            RAISED: self._send_raised,
            REMINDER: self._send_reminder,
            DEADLINES: self._send_deadlines,
        }

    def _has_legal_clocks(self, case: Case) -> bool:
        return case.report.category in self.context.settings.legal_clock_categories

    # Setting and ending the clocks, inside the case's own transaction.

    async def opened(self, tx: Transaction, case: Case, now: datetime) -> None:
        await self._arm_unclaimed(tx, case, now, round_=0)
        if self._has_legal_clocks(case):
            await self._arm_legal(tx, case, [], now, round_=0)
            await tx.outbox.enqueue(DEADLINES, case_id=case.id)

    async def changed(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        if event.kind is EventKind.CLOSED:
            await tx.timers.cancel(unclaimed_prefix(case.id), now)
            await tx.timers.cancel(legal_prefix(case.id), now)
            return
        if event.kind is EventKind.REOPENED:
            await self._reopened(tx, case, event, now)
            return
        if event.kind is EventKind.CORRECTED and event.category is not None:
            await self._recategorised(tx, case, event, now)
            return
        if case.handler_id is not None:
            await tx.timers.cancel(unclaimed_prefix(case.id), now)
        if self._has_legal_clocks(case):
            if deadlines.acknowledges(case, event):
                await tx.timers.cancel(legal_prefix(case.id, deadlines.ACKNOWLEDGE), now)
            if deadlines.gives_feedback(case, event):
                await tx.timers.cancel(legal_prefix(case.id, deadlines.FEEDBACK), now)

    async def _recategorised(
        self, tx: Transaction, case: Case, event: CaseEvent, now: datetime
    ) -> None:
        """A coordinator set the category: the legal clocks start (counted from the report,
        as the law counts) or end with it."""
        if not self._has_legal_clocks(case):
            await tx.timers.cancel(legal_prefix(case.id), now)
            return
        await self._arm_legal(tx, case, await tx.cases.events(case.id), now, round_=event.id)
        await tx.outbox.enqueue(DEADLINES, case_id=case.id)

    async def _reopened(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        if case.handler_id is None:
            await self._arm_unclaimed(tx, case, now, round_=event.id)
        if self._has_legal_clocks(case):
            await self._arm_legal(tx, case, await tx.cases.events(case.id), now, round_=event.id)

    async def _arm_unclaimed(
        self, tx: Transaction, case: Case, since: datetime, round_: int
    ) -> None:
        days = self.context.settings.unclaimed_working_days
        await tx.timers.set(
            UNCLAIMED,
            _unclaimed_key(case.id, round_, 1),
            add_working_days(since, days),
            case_id=case.id,
            payload={"n": 1, "days": days, "round": round_},
        )

    async def _arm_legal(
        self, tx: Transaction, case: Case, events: list[CaseEvent], now: datetime, round_: int
    ) -> None:
        for duty in deadlines.DUTIES:
            if deadlines.met(duty, case, events):
                continue
            for stage, moment in deadlines.reminders(duty, case.created_at).items():
                if moment > now:
                    await tx.timers.set(
                        LEGAL,
                        _legal_key(case.id, duty, stage, round_),
                        moment,
                        case_id=case.id,
                        payload={"duty": duty, "stage": stage},
                    )

    # When a clock runs out: write what to post, in the scheduler's transaction.

    async def _unclaimed(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        case = await tx.cases.get(timer.case_id or 0)
        if case is None:
            return "skipped: the case is gone"
        if not case.is_open:
            return "skipped: closed"
        if case.handler_id is not None:
            return "skipped: claimed"
        event = await tx.cases.add_event(case, EventKind.CLOCK, now, note=UNCLAIMED)
        await tx.outbox.enqueue(RAISED, case_id=case.id, event_id=event.id, timer_id=timer.id)
        # Raised again every working day; after downtime, once now and then on schedule.
        n, round_ = int(timer.payload["n"]), int(timer.payload.get("round", 0))
        late = working_days_late(timer.due_at, now)
        await tx.timers.set(
            UNCLAIMED,
            _unclaimed_key(case.id, round_, n + 1),
            add_working_days(timer.due_at, late + 1),
            case_id=case.id,
            payload={"n": n + 1, "days": int(timer.payload["days"]) + late + 1, "round": round_},
        )
        return SENT

    async def _legal(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        case = await tx.cases.get(timer.case_id or 0)
        if case is None:
            return "skipped: the case is gone"
        if not case.is_open:
            return "skipped: closed"
        duty = str(timer.payload["duty"])
        if deadlines.met(duty, case, await tx.cases.events(case.id)):
            return f"skipped: {duty} met"
        event = await tx.cases.add_event(case, EventKind.CLOCK, now, note=f"{LEGAL}:{duty}")
        await tx.outbox.enqueue(REMINDER, case_id=case.id, event_id=event.id, timer_id=timer.id)
        return SENT

    # Delivery, from the outbox: a post in the case's thread.

    async def _send_raised(self, notification: Notification) -> None:
        case, timer, events = await self._load(notification)
        if not case.is_open or case.handler_id is not None:
            return  # claimed while the platform was away: nothing to raise any more
        # Counted to when it fired, which after downtime is later than it was due.
        fired_at = next((e.created_at for e in events if e.id == notification.event_id), None)
        fired_at = fired_at or timer.due_at
        days = int(timer.payload["days"]) + working_days_late(timer.due_at, fired_at)
        await self._post(case, views.unclaimed(case, days, self._t(), self._detail(case)))

    async def _send_reminder(self, notification: Notification) -> None:
        case, timer, events = await self._load(notification)
        duty, stage = str(timer.payload["duty"]), str(timer.payload["stage"])
        if not case.is_open or deadlines.met(duty, case, events):
            return
        await self._post(
            case, views.legal_reminder(case, duty, stage, self._t(), self._detail(case))
        )

    async def _send_deadlines(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
        if case is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        await self._post(case, views.legal_deadlines(case, self._t()))

    def _t(self) -> Translator:
        return translator(self.context.settings.language)

    def _detail(self, case: Case) -> Detail:
        return detail_on(case.coordination_platform, self.context.settings)

    async def _load(self, notification: Notification) -> tuple[Case, Timer, list[CaseEvent]]:
        """The case, the clock that fired and what happened to the case so far."""
        async with self.context.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
            timer = await tx.timers.get(notification.timer_id or 0)
            events = await tx.cases.events(case.id) if case else []
        if case is None or timer is None:
            raise DeliveryError("the case or its clock no longer exists", permanent=True)
        return case, timer, events

    async def _post(self, case: Case, message: Message) -> None:
        messenger = self.context.messenger(case.coordination_platform)
        await messenger.send(case_thread(case), message)
