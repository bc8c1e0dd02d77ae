"""Aftercare: some days after closing, ask the reporter how they are now (with consent).

The reporter said yes to "may we ask in a few days how you are doing?" in the report
form. ``aftercare_days`` after the case closes, at 10:00 on a working day, they get a
short, warm message in their own chat with the support contacts and a button to tell the
coordinators something. Reopening the case cancels it; closing it again asks again later.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from bot.case.models import Case, CaseEvent, EventKind
from bot.case.reporter_views import support_blocks
from bot.i18n import Translator, translator
from bot.notifications import Sender
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.calendar import AMSTERDAM, add_working_days, local
from bot.schedule.feature import Feature
from bot.schedule.models import Timer
from bot.schedule.scheduler import SENT, TimerHandler
from bot.settings import Contact
from bot.ui import Actions, Block, Button, Heading, Message, Note, Text

CHECK_IN_DUE = "aftercare.due"  # timer
CHECK_IN = "aftercare.check_in"  # outbox: the message to the reporter
CHECK_IN_TIME = time(10, 0)  # not first thing in the morning, and never at the weekend


def aftercare_prefix(case_id: int) -> str:
    return f"case:{case_id}:aftercare"


def check_in_moment(closed_at: datetime, days: int) -> datetime:
    """10:00 local time ``days`` after closing, moved on to the next working day."""
    day = local(closed_at).date() + timedelta(days=days)
    return add_working_days(datetime.combine(day, CHECK_IN_TIME, tzinfo=AMSTERDAM), 0)


def check_in_message(case: Case, t: Translator, support: list[Contact]) -> Message:
    heading = t("How are you doing now?")
    blocks: list[Block] = [
        Heading(heading),
        Text.of(
            t(
                "A few days ago your report {ref} was closed. We would like to know how you "
                "are doing now.",
                ref=case.reference,
            )
        ),
        Text.of(
            t(
                "Still thinking about it, or is something bothering you? That is normal. You "
                "can tell us, or talk to one of the people below."
            )
        ),
        *support_blocks(support, t),
        Actions([Button(t("Tell us something"), "case.add_info", str(case.id), style="primary")]),
        Note(t("You do not have to reply.")),
    ]
    return Message(summary=f"{heading} ({case.reference})", blocks=blocks)


class Aftercare(Feature):
    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {CHECK_IN_DUE: self._due}

    def senders(self) -> dict[str, Sender]:
        return {CHECK_IN: self._send}

    async def changed(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        if event.kind is EventKind.REOPENED:
            await tx.timers.cancel(aftercare_prefix(case.id), now)
            return
        # Anonymous reporters get no aftercare: meldbot has no address for them, and keeping
        # one for this would undo the anonymity (their notice contact ends with the case).
        if event.kind is not EventKind.CLOSED or case.reporter is None or not case.report.aftercare:
            return
        days = self.context.settings.aftercare_days
        await tx.timers.set(
            CHECK_IN_DUE,
            f"{aftercare_prefix(case.id)}:{event.id}",  # each closing its own check-in
            check_in_moment(case.closed_at or now, days),
            case_id=case.id,
        )

    async def _due(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        case = await tx.cases.get(timer.case_id or 0)
        if case is None:
            return "skipped: the case is gone"
        if case.is_open:
            return "skipped: reopened"
        if case.reporter is None:
            return "skipped: anonymous"
        await tx.outbox.enqueue(CHECK_IN, case_id=case.id, timer_id=timer.id)
        return SENT

    async def _send(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            case = await tx.cases.get(notification.case_id or 0)
        if case is None:
            raise DeliveryError("the case no longer exists", permanent=True)
        if case.is_open or case.reporter is None:
            return  # reopened while the platform was away: the coordinators are on it
        t = translator(case.report.language)
        messenger = self.context.messenger(case.reporter.platform)
        address = await messenger.personal_address(case.reporter.user_id)
        await messenger.send(
            address, check_in_message(case, t, self.context.settings.support_contacts)
        )
