"""The reaction clock's timers and thread posts (``bot/measures/reaction.py`` says what
it is, what meets it and which cases run it)."""

from __future__ import annotations

from datetime import datetime

from bot.case.detail import detail_on
from bot.case.models import Case, CaseEvent, EventKind
from bot.i18n import translator
from bot.measures import reaction
from bot.measures.reaction_views import reminder
from bot.notifications import Sender, case_thread
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.feature import Feature
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, TimerHandler

REACTION = "reaction.due"  # timer: the reaction toward the offender is due soon, or now
REMINDED = "reaction.reminder"  # outbox: the reminder in the thread
# Events after which the clock may start: the case reaches the meldpunt or changes kind.
STARTS = frozenset({EventKind.HANDED_OVER, EventKind.CORRECTED})


def prefix(case_id: int) -> str:
    return f"case:{case_id}:reaction:"


class ReactionClock(Feature):
    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {REACTION: self._fired}

    def senders(self) -> dict[str, Sender]:
        return {REMINDED: self._send}

    @property
    def _hours(self) -> int:
        return self.context.settings.reaction_hours

    def _applies(self, case: Case) -> bool:
        return reaction.applies(case, self.context.settings.legal_clock_categories)

    async def opened(self, tx: Transaction, case: Case, now: datetime) -> None:
        if self._applies(case):
            await self._arm(tx, case, now, round_=0)

    async def changed(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        if event.kind is EventKind.CLOSED or reaction.meets(event):
            await tx.timers.cancel(prefix(case.id), now)
        elif event.kind is EventKind.REOPENED or event.kind in STARTS:
            await tx.timers.cancel(prefix(case.id), now)  # one set of reminders at a time
            if self._applies(case) and reaction.met_at(await tx.cases.events(case.id)) is None:
                await self._arm(tx, case, now, round_=event.id)

    async def _arm(self, tx: Transaction, case: Case, now: datetime, round_: int) -> None:
        for stage, moment in reaction.reminders(case, self._hours).items():
            if moment <= now:
                continue  # a deadline that passed while it did not run is not announced late
            key = f"{prefix(case.id)}{stage}" + (f":r{round_}" if round_ else "")
            await tx.timers.set(REACTION, key, moment, case_id=case.id, payload={"stage": stage})

    async def _fired(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        case = await tx.cases.get(timer.case_id or 0)
        if case is None:
            return "skipped: the case is gone"
        if not case.is_open:
            return "skipped: closed"
        if not self._applies(case):
            return "skipped: no citizen to react to"
        if reaction.met_at(await tx.cases.events(case.id)) is not None:
            return "skipped: met"
        stage = str(timer.payload["stage"])
        event = await tx.cases.add_event(case, EventKind.CLOCK, now, note=f"{REACTION}:{stage}")
        await tx.outbox.enqueue(REMINDED, case_id=case.id, event_id=event.id, timer_id=timer.id)
        return SENT

    async def _send(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
            timer = await tx.timers.get(notification.timer_id or 0)
            events = await tx.cases.events(case.id) if case else []
        if case is None or timer is None:
            raise DeliveryError("the case or its clock no longer exists", permanent=True)
        if not case.is_open or reaction.met_at(events) is not None:
            return  # met or closed while the platform was away
        t = translator(self.context.settings.language)
        detail = detail_on(case.coordination_platform, self.context.settings)
        due = reaction.reaction(case, events, self._hours).due_at
        message = reminder(case, str(timer.payload["stage"]), due, self._hours, t, detail)
        await self.context.messenger(case.coordination_platform).send(case_thread(case), message)
