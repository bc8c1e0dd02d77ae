"""The ports: interfaces the core needs, implemented by adapters and storage.

Adapters implement ``Messenger``; storage implements ``Storage`` and its parts.
The core depends only on these protocols.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from bot.access.models import ConsoleIdentity, Principal, StoredSession
from bot.attachments.models import FileInfo, FileKind, StoredFile
from bot.audit.models import AuditEntry
from bot.case.models import Case, CaseEvent, EventKind, NewReport, Reporter
from bot.case.queries import CaseQueries
from bot.consultation.models import (
    Consultation,
    Entry,
    EntryKind,
    NoticeContact,
    Receipt,
)
from bot.events import Address, Event, MessageRef, Platform
from bot.schedule.models import CaseFacts, Timer
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

    async def reach(self, user_id: str) -> dict[str, Any]:
        """What this platform needs to write to this person later, for the core to keep
        sealed with one consultation or report (and delete with it); ``DeliveryError`` if
        the person cannot be reached."""
        ...

    async def address_of(self, reach: dict[str, Any]) -> Address:
        """The personal chat that ``reach`` (from ``reach()``) leads to."""
        ...

    async def keep_address(self, user_id: str) -> None:
        """The core will write to this person later (feedback on a named report).

        Platforms that can always open a chat with anyone do nothing; Teams keeps the
        conversation reference it saw in this turn, which it otherwise holds in memory only.
        """
        ...

    async def is_coordinator(self, user_id: str) -> bool: ...

    def coordinator_channel(self) -> Address: ...

    async def upload(
        self, address: Address, filename: str, content: bytes, *, title: str, alt_text: str
    ) -> MessageRef:
        """Posts a file (a chart) to a channel or thread, with ``alt_text`` for screen readers."""
        ...


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
        self,
        report: NewReport,
        reporter: Reporter | None,
        platform: Platform,
        now: datetime,
        receipt: Receipt | None = None,
    ) -> Case: ...

    async def get(self, case_id: int, *, for_update: bool = False) -> Case | None: ...

    async def of_receipt(self, receipt_id: int, *, for_update: bool = False) -> Case | None: ...

    async def events(self, case_id: int) -> list[CaseEvent]: ...

    async def by_reference(self, reference: str) -> Case | None: ...

    async def save(self, case: Case) -> None: ...

    async def add_event(
        self, case: Case, kind: EventKind, now: datetime, **fields: Any
    ) -> CaseEvent: ...

    async def event(self, event_id: int) -> CaseEvent | None: ...

    async def open_for_reporter(self, reporter: Reporter) -> list[Case]: ...

    async def set_alert(self, case_id: int, alert: MessageRef) -> None: ...

    async def restrict(self, case_id: int, keys: frozenset[str]) -> None:
        """Only ``keys`` may see the case from now on (empty: everyone who handles cases)."""
        ...

    async def facts_between(self, start: datetime, end: datetime) -> list[CaseFacts]:
        """The countable facts of every case reported in [start, end)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredReceipt:
    """A receipt as the code check needs it: the hash of its secret."""

    receipt: Receipt
    secret_hash: str


class ReceiptRepository(Protocol):
    async def create(self, secret_hash: str, contact: NoticeContact | None) -> Receipt:
        """A new receipt under a pseudonym no other receipt has."""
        ...

    async def find(self, pseudonym: str) -> StoredReceipt | None: ...

    async def contact(self, receipt_id: int) -> NoticeContact | None: ...

    async def forget_contact(self, receipt_id: int) -> None: ...

    async def delete_unused(self) -> int:
        """Deletes receipts that no consultation or case refers to any more."""
        ...


@dataclass(frozen=True, slots=True)
class GuessWindow:
    """One guesser's window of receipt codes tried, this attempt included."""

    start: datetime
    attempts: int


class CodeGuesses(Protocol):
    """Receipt codes tried per guesser (an opaque keyed hash), never per receipt."""

    async def reserve(
        self, guesser: str, now: datetime, window: timedelta, limit: int
    ) -> GuessWindow:
        """Counts one attempt in one statement, before any code is checked: a window older
        than ``window`` starts again at ``now``; past ``limit`` the count stops at
        ``limit + 1``, which means refused."""
        ...

    async def forget(self, guesser: str) -> None:
        """A right code: nothing of this guesser stays."""
        ...

    async def forget_expired(self, now: datetime, window: timedelta) -> int:
        """Deletes the windows that have run out (``reserve`` would start them again)."""
        ...


class ConsultationRepository(Protocol):
    async def create(
        self, receipt: Receipt, platform: Platform, language: str, now: datetime
    ) -> Consultation: ...

    async def get(
        self, consultation_id: int, *, for_update: bool = False
    ) -> Consultation | None: ...

    async def of_receipt(
        self, receipt_id: int, *, for_update: bool = False
    ) -> Consultation | None: ...

    async def save(self, consultation: Consultation) -> None: ...

    async def link_case(self, consultation_id: int, case_id: int) -> None: ...

    async def add_entry(
        self,
        consultation: Consultation,
        kind: EntryKind,
        now: datetime,
        *,
        author_name: str | None = None,
        text: str | None = None,
    ) -> Entry: ...

    async def entries(self, consultation_id: int) -> list[Entry]: ...

    async def set_alert(self, consultation_id: int, alert: MessageRef) -> None: ...

    async def untouched_since(self, moment: datetime) -> list[Consultation]:
        """Consultations not turned into a report and without activity since ``moment``."""
        ...

    async def open_ones(self, limit: int) -> list[Consultation]:
        """The open consultations, newest first, at most ``limit``."""
        ...

    async def delete(self, consultation_id: int) -> None: ...


@dataclass(frozen=True, slots=True)
class Notification:
    """A message the outbox must deliver: what, about which case or consultation."""

    id: int
    kind: str
    case_id: int | None
    event_id: int | None
    attempts: int
    consultation_id: int | None = None
    entry_id: int | None = None
    timer_id: int | None = None
    # An earlier try began but never ended (its instance died halfway): the platform may
    # already have the message.
    in_doubt: bool = False
    payload: dict[str, Any] | None = None
    attachment_id: int | None = None


class Outbox(Protocol):
    async def enqueue(
        self,
        kind: str,
        *,
        case_id: int | None = None,
        event_id: int | None = None,
        consultation_id: int | None = None,
        entry_id: int | None = None,
        timer_id: int | None = None,
        payload: dict[str, Any] | None = None,
        attachment_id: int | None = None,
    ) -> None:
        """``payload`` is sealed, and wiped once the message is delivered or given up."""
        ...

    async def claim(self, now: datetime, lease_until: datetime, limit: int) -> list[Notification]:
        """Take due notifications, oldest first and one at a time per case, until
        ``lease_until``; an instance that dies leaves them due again after the lease."""
        ...

    async def delivered(self, notification_id: int, now: datetime) -> None: ...

    async def failed(self, notification_id: int, error: str, retry_at: datetime | None) -> None: ...


class TimerRepository(Protocol):
    async def set(
        self,
        kind: str,
        key: str,
        due_at: datetime,
        *,
        job: str | None = None,
        case_id: int | None = None,
        payload: dict[str, Any] | None = None,
    ) -> Timer | None:
        """A new timer, or None when one with this key exists (done or not): once only."""
        ...

    async def claim_due(self, now: datetime, limit: int) -> list[Timer]:
        """Due timers, locked until the transaction ends; other instances skip them."""
        ...

    async def done(self, timer_id: int, now: datetime, outcome: str) -> None:
        """Marks the timer done with what became of it (``sent``, ``skipped: …``)."""
        ...

    async def get(self, timer_id: int) -> Timer | None: ...

    async def clear_payload(self, timer_id: int) -> None: ...

    async def cancel(self, key_prefix: str, now: datetime) -> int:
        """Ends the pending timers whose key starts with ``key_prefix`` (a case closed)."""
        ...

    async def latest(self, job: str) -> Timer | None:
        """The most recent occurrence of a recurring job, done or pending."""
        ...

    async def latest_of(self, jobs: list[str]) -> dict[str, Timer]:
        """``latest`` for many jobs in one query (the scheduler plans them all each tick)."""
        ...

    async def count(self, job: str, outcome: str, *, due_until: datetime | None = None) -> int:
        """How many occurrences of ``job`` ended with ``outcome``; with ``due_until``, only
        those due at or before that moment (the n-th one, whatever fired after it)."""
        ...

    async def next_due(self) -> datetime | None:
        """When the earliest pending timer is due: the scheduler sleeps until then."""
        ...


class AttachmentRepository(Protocol):
    """Files kept sealed: held for a draft first (no case yet), then part of a case."""

    async def hold(self, name: str, kind: FileKind, content: bytes, now: datetime) -> int: ...

    async def renew(self, ids: Sequence[int], now: datetime) -> None:
        """The draft these files wait for was touched: they are held from ``now`` again."""
        ...

    async def attach(self, case_id: int, ids: Sequence[int]) -> list[int]:
        """Links the still-held files among ``ids`` to the case; returns their ids."""
        ...

    async def get(self, attachment_id: int) -> StoredFile | None: ...

    async def of_case(self, case_id: int) -> list[FileInfo]: ...

    async def discard(self, ids: Sequence[int]) -> int:
        """Deletes held files among ``ids`` (a draft thrown away); a case's files stay."""
        ...

    async def purge_held(self, before: datetime) -> int:
        """Deletes files held since before ``before`` that never became part of a case."""
        ...


class DialogStates(Protocol):
    """Short-lived conversation state (a draft report, a pending question)."""

    async def get(self, key: str, now: datetime) -> dict[str, Any] | None: ...

    async def put(self, key: str, state: dict[str, Any], expires: datetime) -> None: ...

    async def delete(self, key: str) -> None: ...

    async def purge_expired(self, now: datetime) -> int: ...


class AuditLog(Protocol):
    """Append-only: entries are written and read, never changed or deleted."""

    async def record(
        self,
        actor: str,
        action: str,
        now: datetime,
        *,
        actor_name: str | None = None,
        case_id: int | None = None,
        reference: str | None = None,
        consultation_id: int | None = None,
        detail: str | None = None,
    ) -> None: ...

    async def of_case(self, reference: str) -> list[AuditEntry]:
        """Every entry about the case with this reference, oldest first (also once the
        case is deleted)."""
        ...

    async def between(self, start: datetime, end: datetime) -> list[AuditEntry]:
        """Every entry in [start, end), oldest first."""
        ...


class SessionStore(Protocol):
    """Signed-in sessions by the SHA-256 of their token; the principal and CSRF secret sealed."""

    async def create(self, token_hash: str, session: StoredSession) -> None: ...

    async def get(self, token_hash: str) -> StoredSession | None: ...

    async def touch(self, token_hash: str, now: datetime, idle_until: datetime) -> None: ...

    async def delete(self, token_hash: str) -> None: ...

    async def purge(self, ended_before: datetime) -> int:
        """Deletes the sessions that ended before ``ended_before``."""
        ...


class IdentityLinks(Protocol):
    """Console identities (by a keyed hash of their subject) and the chat identities
    linked to them (by a keyed hash of ``platform:user_id``)."""

    async def remember(self, subject_hash: str, principal: Principal, now: datetime) -> None:
        """Who signed in, with the roles they had then."""
        ...

    async def identity(self, subject_hash: str) -> ConsoleIdentity | None: ...

    async def signed_in_since(self, since: datetime) -> list[ConsoleIdentity]:
        """Everyone who signed in at ``since`` or later, by name."""
        ...

    async def link(
        self, chat_hash: str, chat_key: str, subject_hash: str, how: str, today: date
    ) -> None:
        """The chat identity belongs to this console identity (from now on only to it)."""
        ...

    async def identity_of_chat(self, chat_hash: str) -> ConsoleIdentity | None: ...

    async def chats(self, subject_hash: str) -> list[str]:
        """The chat identities (``platform:user_id``) linked to a console identity."""
        ...

    async def unlink(self, chat_hash: str) -> None: ...


class Transaction(Protocol):
    @property
    def cases(self) -> CaseRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def dialogs(self) -> DialogStates: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def receipts(self) -> ReceiptRepository: ...

    @property
    def consultations(self) -> ConsultationRepository: ...

    @property
    def guesses(self) -> CodeGuesses: ...

    @property
    def timers(self) -> TimerRepository: ...

    @property
    def attachments(self) -> AttachmentRepository: ...

    @property
    def sessions(self) -> SessionStore: ...

    @property
    def links(self) -> IdentityLinks: ...

    @property
    def queries(self) -> CaseQueries: ...


class CaseWatcher(Protocol):
    """Keeps a case moving: sets (and ends) its timers as it opens and changes, inside the
    same transaction as the change (on-call paging, clocks, aftercare)."""

    async def opened(self, tx: Transaction, case: Case, now: datetime) -> None: ...

    async def changed(
        self, tx: Transaction, case: Case, event: CaseEvent, now: datetime
    ) -> None: ...


class Storage(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[Transaction]: ...

    async def first_delivery(self, key: str, now: datetime) -> bool:
        """True the first time a platform delivery key (Slack ``event_id``) is seen."""
        ...

    async def forget_deliveries(self, before: datetime) -> int: ...
