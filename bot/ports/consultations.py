"""Anonymous consultations, their receipts and the throttle on guessing a code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.consultation.models import (
    Consultation,
    Entry,
    EntryKind,
    NoticeContact,
    Receipt,
)
from bot.events import MessageRef, Platform


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
