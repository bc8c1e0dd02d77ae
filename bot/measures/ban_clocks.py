"""The clocks on a ban: re-evaluate it before it ends, and tell the reporter once it has.

``ban_review_working_days`` Dutch working days before a ban's end date, at 09:00, the
case's thread is reminded to re-evaluate it (end it, or extend it with a reason). The day
after its end date, at 09:00, a ban nobody ended early has ended: meldbot records that,
and the reporter hears it (if the ban was imposed). Both are armed per end date, so an
extension arms a new pair and the old ones find the date changed and stay silent.

Timer keys: ``case:{id}:ban:{measure}:{review|end}:{end date}`` (``:r{event}`` after a
reopening, which arms only what is still ahead). Closing the case cancels them; dropping
the ban cancels its own.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from bot.case.detail import detail_on
from bot.case.handling import ALERT, NEWS, RECEIPT_NOTICE, THREAD, inform_reporter
from bot.case.models import Case, CaseEvent, EventKind
from bot.i18n import translator
from bot.measures import ban_views as views
from bot.measures.bans import Ban, BanRecord, BanRecordKind
from bot.measures.labels import STEP_OF
from bot.measures.models import Step
from bot.notifications import Sender, case_thread
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.calendar import AMSTERDAM, is_working_day
from bot.schedule.feature import Feature
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, TimerHandler

REVIEW = "ban.review"  # timer: re-evaluate the ban, it ends soon
END = "ban.end"  # timer: the ban's last day is behind us
REVIEWED = "ban.reviewed"  # outbox: the re-evaluation reminder in the thread
AT = time(9, 0)  # both wait for office hours
# Events after which the case's bans may have new clocks (or none any more).
ARMS = frozenset({*STEP_OF, EventKind.BAN_EXTENDED})


def prefix(case_id: int, measure_id: int | None = None) -> str:
    return f"case:{case_id}:ban:" + (f"{measure_id}:" if measure_id is not None else "")


def working_days_before(day: date, days: int) -> date:
    """The working day ``days`` working days before ``day`` (a Monday end, 5 days: the
    Monday before; holidays are skipped as weekends are)."""
    current, remaining = day, days
    while remaining > 0 or not is_working_day(current):
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def _at(day: date) -> datetime:
    return datetime.combine(day, AT, tzinfo=AMSTERDAM).astimezone(UTC)


class BanClocks(Feature):
    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {REVIEW: self._review, END: self._end}

    def senders(self) -> dict[str, Sender]:
        return {REVIEWED: self._send_review}

    def review_at(self, ends_on: date) -> datetime:
        days = self.context.settings.ban_review_working_days
        return _at(working_days_before(ends_on, days))

    # Setting and ending the clocks, inside the case's own transaction.

    async def changed(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        if event.kind is EventKind.CLOSED:
            await tx.timers.cancel(prefix(case.id), now)
        elif event.kind is EventKind.REOPENED:
            await self._arm(tx, case, now, round_=event.id)
        elif event.kind in ARMS:
            await self._arm(tx, case, now, round_=0)

    async def _arm(self, tx: Transaction, case: Case, now: datetime, round_: int) -> None:
        for ban in await _bans(tx, case.id):
            measure, ends_on = ban.measure, ban.measure.ends_on
            if measure.step is Step.DROPPED:
                await tx.timers.cancel(prefix(case.id, measure.id), now)
                continue
            if ends_on is None or ban.of(BanRecordKind.ENDED):
                continue
            moments = {REVIEW: self.review_at(ends_on), END: _at(ends_on + timedelta(days=1))}
            for kind, moment in moments.items():
                if round_ and moment <= now:
                    continue  # what passed while the case was closed is not announced late
                stage = kind.removeprefix("ban.")
                key = f"{prefix(case.id, measure.id)}{stage}:{ends_on.isoformat()}"
                await tx.timers.set(
                    kind,
                    f"{key}:r{round_}" if round_ else key,
                    moment,
                    case_id=case.id,
                    payload={"measure": measure.id, "ends_on": ends_on.isoformat()},
                )

    # When a clock runs out, in the scheduler's transaction.

    async def _current(self, tx: Transaction, timer: Timer) -> tuple[Case, Ban] | str:
        """The case and the ban, or why the clock has nothing to say any more."""
        case = await tx.cases.get(timer.case_id or 0, for_update=True)
        if case is None:
            return "skipped: the case is gone"
        if not case.is_open:
            return "skipped: closed"
        measure_id = int(timer.payload["measure"])
        ban = next((b for b in await _bans(tx, case.id) if b.measure.id == measure_id), None)
        if ban is None or ban.measure.step is Step.DROPPED:
            return "skipped: dropped"
        if (
            ban.measure.ends_on is None
            or ban.measure.ends_on.isoformat() != timer.payload["ends_on"]
        ):
            return "skipped: extended"
        if ban.of(BanRecordKind.ENDED):
            return "skipped: ended"
        return case, ban

    async def _review(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        found = await self._current(tx, timer)
        if isinstance(found, str):
            return found
        case, ban = found
        if any(r.ends_on == ban.measure.ends_on for r in ban.of(BanRecordKind.ENDING)):
            return "skipped: re-evaluated already"
        event = await tx.cases.add_event(
            case, EventKind.CLOCK, now, note=REVIEW, measure=ban.measure.kind
        )
        await tx.outbox.enqueue(REVIEWED, case_id=case.id, event_id=event.id, timer_id=timer.id)
        return SENT

    async def _end(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        """Its end date passed: ended, recorded once; the reporter hears it as they hear
        a coordinator's news (an anonymous reporter reads it with their code)."""
        found = await self._current(tx, timer)
        if isinstance(found, str):
            return found
        case, ban = found
        measure = ban.measure
        await tx.bans.add(measure.id, BanRecord(BanRecordKind.ENDED, now, measure.ends_on))
        if not ban.imposed:
            return "ended: never carried out, nobody to tell"
        informs = case.reporter is not None
        case.updated_at = now
        await tx.cases.save(case)
        event = await tx.cases.add_event(
            case, EventKind.BAN_ENDED, now, measure=measure.kind, reporter_informed=informs
        )
        await tx.outbox.enqueue(ALERT, case_id=case.id)
        await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        if informs:
            await inform_reporter(tx, case, event)
        elif case.receipt and case.receipt.notify and event.kind in NEWS:
            await tx.outbox.enqueue(RECEIPT_NOTICE, case_id=case.id)
        return SENT

    # Delivery, from the outbox: a post in the case's thread.

    async def _send_review(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
            timer = await tx.timers.get(notification.timer_id or 0)
            bans = await _bans(tx, case.id) if case else []
        if case is None or timer is None:
            raise DeliveryError("the case or its clock no longer exists", permanent=True)
        ban = next((b for b in bans if b.measure.id == int(timer.payload["measure"])), None)
        if ban is None or ban.measure.ends_on is None or not case.is_open:
            return  # dropped or closed while the platform was away
        t = translator(self.context.settings.language)
        detail = detail_on(case.coordination_platform, self.context.settings)
        message = views.review_reminder(case, ban, t, detail)
        await self.context.messenger(case.coordination_platform).send(case_thread(case), message)


async def _bans(tx: Transaction, case_id: int) -> list[Ban]:
    measures = [m for m in await tx.measures.of_case(case_id) if m.is_ban]
    records = await tx.bans.of_measures([m.id for m in measures])
    return [Ban(m, records.get(m.id, [])) for m in measures]
