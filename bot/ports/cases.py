"""Cases and the files reported with them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.attachments.models import FileInfo, FileKind, StoredFile
from bot.case.models import Case, CaseEvent, EventKind, NewReport, Reporter
from bot.consultation.models import (
    Receipt,
)
from bot.events import MessageRef, Platform
from bot.schedule.models import CaseFacts


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
