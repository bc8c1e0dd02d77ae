"""The coordinators' side of a consultation, and the steps both sides share.

Every coordinator action is checked (coordinators only) and audited, as on cases; the
console reads a consultation through ``read``, audited too. ``ConsultationService`` adds
the colleague's side on top.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from bot.access.models import Acting
from bot.case.errors import CaseError, CaseNotFound, NotAllowed
from bot.case.handling import RECEIPT_NOTICE
from bot.case.service import CaseService
from bot.consultation.models import Consultation, ConsultationStatus, Entry, EntryKind, Receipt
from bot.i18n import N_
from bot.ports import Storage, Transaction
from bot.submission import once
from bot.submission.models import Produced

ALERT = "consultation.alert"
THREAD = "consultation.thread"
GONE = N_("This consultation no longer exists.")
ONLY_COORDINATORS = N_("Only coordinators can answer consultations. Nothing was changed.")
OPEN_LISTED = 100  # the console's list of open consultations; more is never the case


@dataclass(frozen=True, slots=True)
class ConsultationFile:
    """One consultation as the console shows it: its state and every entry, in order."""

    consultation: Consultation
    entries: list[Entry]


class ConsultationHandling:
    __slots__ = ()
    storage: Storage
    cases: CaseService
    clock: Callable[[], datetime]
    wake_outbox: Callable[[], None]

    async def read(self, by: Acting, consultation_id: int) -> ConsultationFile:
        """The consultation page's content, audited as ``consultation.read``."""
        if not await self.is_coordinator(by):
            raise NotAllowed(ONLY_COORDINATORS)
        async with self.storage.transaction() as tx:
            consultation = await tx.consultations.get(consultation_id)
            if consultation is None:
                raise CaseNotFound(GONE)
            entries = await tx.consultations.entries(consultation.id)
            await tx.audit.record(
                by.key,
                "consultation.read",
                self.clock(),
                actor_name=by.display,
                consultation_id=consultation.id,
            )
        return ConsultationFile(consultation, entries)

    async def open_ones(self, by: Acting) -> list[Consultation]:
        """The open consultations, newest first (for the console's list; not audited:
        it shows pseudonyms and times, never what was written)."""
        if not await self.is_coordinator(by):
            raise NotAllowed(ONLY_COORDINATORS)
        async with self.storage.transaction() as tx:
            return await tx.consultations.open_ones(OPEN_LISTED)

    async def answer(self, actor: Acting, consultation_id: int, text: str) -> Consultation:
        async with self._coordinator_change(actor, consultation_id, "answer") as (tx, c):
            c.answered_by = actor.display
            await self._record(tx, c, EntryKind.ANSWERED, author=c.answered_by, text=text)
            if c.receipt and c.receipt.notify:
                await tx.outbox.enqueue(RECEIPT_NOTICE, consultation_id=c.id)
        return c

    async def close(self, actor: Acting, consultation_id: int) -> Consultation:
        async with self._coordinator_change(actor, consultation_id, "close") as (tx, c):
            await self._close(tx, c, actor.display)
        return c

    async def is_coordinator(self, actor: Acting) -> bool:
        return await self.cases.is_coordinator(actor)

    # Shared steps.

    async def _close(self, tx: Transaction, consultation: Consultation, by: str | None) -> None:
        consultation.status = ConsultationStatus.CLOSED
        consultation.closed_at = self.clock()
        if consultation.receipt and consultation.receipt.notify:
            # The promise was "until the consultation closes": the contact goes now.
            await tx.receipts.forget_contact(consultation.receipt.id)
            consultation.receipt = Receipt(consultation.receipt.id, consultation.receipt.pseudonym)
        await self._record(tx, consultation, EntryKind.CLOSED, author=by)

    async def _record(
        self,
        tx: Transaction,
        consultation: Consultation,
        kind: EntryKind,
        *,
        author: str | None = None,
        text: str | None = None,
    ) -> None:
        now = self.clock()
        consultation.updated_at = now
        await tx.consultations.save(consultation)
        entry = await tx.consultations.add_entry(
            consultation, kind, now, author_name=author, text=text
        )
        await tx.outbox.enqueue(ALERT, consultation_id=consultation.id)
        await tx.outbox.enqueue(THREAD, consultation_id=consultation.id, entry_id=entry.id)

    @asynccontextmanager
    async def _coordinator_change(
        self, actor: Acting, consultation_id: int, action: str
    ) -> AsyncIterator[tuple[Transaction, Consultation]]:
        if not await self.is_coordinator(actor):
            raise NotAllowed(ONLY_COORDINATORS)
        async with self.storage.transaction() as tx:
            consultation = await tx.consultations.get(consultation_id, for_update=True)
            if consultation is None:
                raise CaseNotFound(GONE)
            if not consultation.is_open:
                raise CaseError("This consultation is closed.")
            await once.claim(tx, Produced.CHANGE, self.clock(), consultation.id)
            await tx.audit.record(
                actor.key,
                f"consultation.{action}",
                self.clock(),
                actor_name=actor.display,
                consultation_id=consultation.id,
            )
            yield tx, consultation
        self.wake_outbox()
