"""The ports: interfaces the core needs, implemented by adapters and storage.

Adapters implement ``Messenger``; storage implements ``Storage`` and its parts.
The core depends only on these protocols.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from bot.case.models import Case, CaseEvent, EventKind, NewReport, Reporter
from bot.events import Address, Event, MessageRef, Platform
from bot.ui import Message, Response


class DeliveryError(Exception):
    """The platform did not take a message. ``retry_after`` in seconds when it said so."""

    def __init__(self, reason: str, *, retry_after: float | None = None, permanent: bool = False):
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Messenger(Protocol):
    """What the core asks of a messaging platform. Implemented by each adapter."""

    platform: Platform

    async def send(self, address: Address, message: Message) -> MessageRef: ...

    async def update(self, ref: MessageRef, message: Message) -> None: ...

    async def personal_address(self, user_id: str) -> Address: ...

    async def is_coordinator(self, user_id: str) -> bool: ...

    def coordinator_channel(self) -> Address: ...


Handler = Callable[[Event], Awaitable[Response]]
"""The core's entry point for adapters: one neutral event in, what to do in its context out."""

FirstDelivery = Callable[[str], Awaitable[bool]]
"""True the first time a platform delivery key is seen (Slack retries carry the same event_id)."""


class AddressBook(Protocol):
    """Where a platform can reach people, channels and teams later, by the platform's key.

    Teams lets a bot message a person or channel only with a conversation reference
    taken from an earlier activity; the adapter keeps them here (sealed, day-stamped).
    """

    async def remember(self, platform: Platform, key: str, reference: dict[str, Any]) -> None: ...

    async def recall(self, platform: Platform, key: str) -> dict[str, Any] | None: ...


class CaseRepository(Protocol):
    async def create(
        self, report: NewReport, reporter: Reporter | None, platform: Platform, now: datetime
    ) -> Case: ...

    async def get(self, case_id: int, *, for_update: bool = False) -> Case | None: ...

    async def by_reference(self, reference: str) -> Case | None: ...

    async def save(self, case: Case) -> None: ...

    async def add_event(
        self, case: Case, kind: EventKind, now: datetime, **fields: Any
    ) -> CaseEvent: ...

    async def event(self, event_id: int) -> CaseEvent | None: ...

    async def open_for_reporter(self, reporter: Reporter) -> list[Case]: ...

    async def set_alert(self, case_id: int, alert: MessageRef) -> None: ...


@dataclass(frozen=True, slots=True)
class Notification:
    """A message the outbox must deliver: what, about which case and event."""

    id: int
    kind: str
    case_id: int | None
    event_id: int | None
    attempts: int


class Outbox(Protocol):
    async def enqueue(
        self, kind: str, *, case_id: int | None = None, event_id: int | None = None
    ) -> None: ...

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Notification]:
        """Take due notifications, oldest first and one at a time per case, until
        ``lease_until``; an instance that dies leaves them due again after the lease."""
        ...

    async def delivered(self, notification_id: int, now: datetime) -> None: ...

    async def failed(self, notification_id: int, error: str, retry_at: datetime | None) -> None: ...


class DialogStates(Protocol):
    """Short-lived conversation state (a draft report, a pending question)."""

    async def get(self, key: str, now: datetime) -> dict[str, Any] | None: ...

    async def put(self, key: str, state: dict[str, Any], expires: datetime) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def purge_expired(self, now: datetime) -> int: ...


class AuditLog(Protocol):
    async def record(self, case_id: int, actor: str, action: str, now: datetime) -> None: ...


class Transaction(Protocol):
    @property
    def cases(self) -> CaseRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def dialogs(self) -> DialogStates: ...

    @property
    def audit(self) -> AuditLog: ...


class Storage(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Transaction]: ...

    async def first_delivery(self, key: str, now: datetime) -> bool:
        """True the first time a platform delivery key (Slack ``event_id``) is seen."""
        ...

    async def forget_deliveries(self, before: datetime) -> int: ...
