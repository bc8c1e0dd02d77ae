"""Awareness reminders: one library item per ``[[reminders]]`` occurrence, in rotation.

Rotation: each job (a channel with its schedule) has its own fixed order of the usable
items, sorted by a hash of the job and the item id, so two channels on the same schedule
rarely show the same item the same week, and adding an item to the library moves no other.
The n-th reminder that was sent shows item n of that order (modulo its length): every
item once before any comes back.

Which item a reminder shows is decided by its place among the job's sent occurrences,
not by when it is delivered: the handler marks the occurrence ``sent`` (and the scheduler
counts those), and the sender counts the sent occurrences due up to its own. A reminder
whose delivery is retried until after the next one fired still shows its own item.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.awareness import views
from bot.awareness.library import DEFAULT_LIBRARY, Item, load, usable
from bot.i18n import translator
from bot.ports import DeliveryError, Notification, Transaction
from bot.schedule.feature import FeatureContext
from bot.schedule.models import Timer
from bot.schedule.posts import post_address, post_job
from bot.schedule.scheduler import SENT, RecurringJob

log = logging.getLogger(__name__)

REMINDER = "awareness.reminder"  # the timer kind
POST = "awareness.post"  # the outbox kind
# A reminder is a nudge, not an obligation: after downtime, the latest missed one is still
# worth posting within the hour it was meant for; later than that it would land at an odd
# moment (and the next one is never far away).
GRACE = timedelta(hours=1)


def rotation(job: str, items: Sequence[Item]) -> list[Item]:
    """The job's fixed order of ``items``."""

    def place(item: Item) -> str:
        return hashlib.sha256(f"{job}\n{item.id}".encode()).hexdigest()

    return sorted(items, key=place)


class Reminders:
    def __init__(self, context: FeatureContext) -> None:
        self.context = context
        settings = context.settings
        self.items = usable(load(settings.awareness_library or DEFAULT_LIBRARY), settings)

    def jobs(self) -> list[RecurringJob]:
        return [post_job(reminder, REMINDER, GRACE) for reminder in self.context.settings.reminders]

    def choose(self, job: str, sent_before: int) -> Item:
        """The item the occurrence after ``sent_before`` sent ones shows."""
        order = rotation(job, self.items)
        return order[sent_before % len(order)]

    async def fire(self, tx: Transaction, timer: Timer, now: datetime) -> str:
        """Records the reminder for the outbox; the platform is called after the commit."""
        if timer.job is None or not self.items:
            return "skipped: no awareness messages to show"
        try:
            self.context.messenger(post_address(timer).platform)
        except DeliveryError as error:  # not counted as sent: the rotation waits for it
            return f"skipped: {error}"
        item = self.choose(timer.job, await tx.timers.count(timer.job, SENT))
        await tx.outbox.enqueue(POST, timer_id=timer.id)
        log.info("awareness reminder #%s: %s", timer.id, item.id)
        return SENT

    async def deliver(self, notification: Notification) -> None:
        async with self.context.storage.transaction() as tx:
            timer = await tx.timers.get(notification.timer_id or 0)
            if timer is None or timer.job is None:
                raise DeliveryError("the reminder's timer is gone", permanent=True)
            # This occurrence is among them: it was marked sent when it fired.
            sent = await tx.timers.count(timer.job, SENT, due_until=timer.due_at)
        address = post_address(timer)
        settings = self.context.settings
        message = views.reminder(
            self.choose(timer.job, sent - 1), settings, translator(settings.language)
        )
        await self.context.messenger(address.platform).send(address, message)
