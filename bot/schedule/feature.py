"""How a scheduled capability plugs into the scheduler, the outbox and the case service."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.case.models import Case, CaseEvent
from bot.events import Platform
from bot.notifications import Sender
from bot.ports import Messenger, Storage, Transaction
from bot.schedule.scheduler import RecurringJob, TimerHandler
from bot.settings import Settings


@dataclass(frozen=True, slots=True)
class FeatureContext:
    settings: Settings
    storage: Storage
    clock: Callable[[], datetime]
    messenger: Callable[[Platform], Messenger]  # raises a permanent DeliveryError if absent
    # What a feature that writes outbox rows outside the scheduler (a welcome, at once) calls.
    wake_outbox: Callable[[], None] = field(default=lambda: None)
    # A key derived from the seal key, for keyed hashes of people that must be recognised
    # but never read back (who was welcomed); empty when none was given.
    person_key: bytes = b""


class Feature:
    """A capability with timers (what to do when one is due), outbox kinds (how to deliver
    what those timers wrote), recurring jobs from the configuration, and a say in what
    happens when a case opens or changes. Each part does nothing unless overridden."""

    def __init__(self, context: FeatureContext) -> None:
        self.context = context

    def timer_handlers(self) -> dict[str, TimerHandler]:
        return {}

    def senders(self) -> dict[str, Sender]:
        return {}

    def jobs(self) -> list[RecurringJob]:
        return []

    async def opened(self, tx: Transaction, case: Case, now: datetime) -> None:
        return None

    async def changed(self, tx: Transaction, case: Case, event: CaseEvent, now: datetime) -> None:
        return None
