"""Awareness reminders in team channels, and the quarterly results post."""

from __future__ import annotations

from bot.awareness.reminders import POST, REMINDER, Reminders
from bot.notifications import Sender
from bot.schedule.feature import Feature, FeatureContext
from bot.schedule.scheduler import RecurringJob, TimerHandler


class Awareness(Feature):
    def __init__(self, context: FeatureContext) -> None:
        super().__init__(context)
        self.reminders = Reminders(context)

    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {REMINDER: self.reminders.fire}

    def senders(self) -> dict[str, Sender]:
        return {POST: self.reminders.deliver}

    def jobs(self) -> list[RecurringJob]:
        return self.reminders.jobs()
