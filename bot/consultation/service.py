"""Consultations and receipts: asking anonymously, following up with a code.

Nothing here takes a person: the colleague's side works with texts and a receipt id
only, so no platform id can reach the database with a consultation, and the staff
member's own actions are never audited. (The one exception, ``unlock``'s guesser, is
turned into a keyed hash at once and kept apart from every receipt.) The coordinators'
side, checked and audited as on cases, is ``ConsultationHandling``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.case.models import Case, CaseEvent, Category, NewReport, Reporter, Urgency
from bot.case.service import CaseError, CaseService
from bot.consultation.handling import ALERT as ALERT
from bot.consultation.handling import THREAD as THREAD
from bot.consultation.handling import ConsultationFile as ConsultationFile
from bot.consultation.handling import ConsultationHandling
from bot.consultation.models import (
    Consultation,
    ConsultationStatus,
    Entry,
    EntryKind,
    NoticeContact,
)
from bot.consultation.receipts import SecretHasher, format_code, new_secret, parse_code
from bot.consultation.throttle import GUESS_LIMIT, GUESS_WINDOW, guesser_hash, held_off_until
from bot.events import Actor, MessageRef, Platform
from bot.i18n import TIMEZONE
from bot.ports import Storage, Transaction
from bot.submission import once
from bot.submission.models import Produced

log = logging.getLogger(__name__)

CODE = "receipt.code"  # the code, once more in the colleague's chat (the form showed it first)


class ReceiptRefused(CaseError):
    """A code that does not open anything (wrong or malformed), or too many tries."""


@dataclass(frozen=True, slots=True)
class Issued:
    """What the colleague is shown once: the code, with the report it opens (if any). It
    is never stored, except sealed on its way to their chat, and wiped once it is there."""

    pseudonym: str
    code: str
    reference: str | None = None  # the anonymous report's, when it is one
    urgent: bool = False
    trafficking: bool = False  # a trafficking signal: the receipt says who reports outside

    def payload(self, deliver_to: NoticeContact, language: str) -> dict[str, object]:
        return {
            "pseudonym": self.pseudonym,
            "code": self.code,
            "reference": self.reference,
            "urgent": self.urgent,
            "trafficking": self.trafficking,
            "language": language,
            "platform": deliver_to.platform,
            "reach": deliver_to.reach,
        }


@dataclass(frozen=True, slots=True)
class Followed:
    """What a receipt opens: the consultation, and the case if it became one."""

    receipt_id: int
    consultation: Consultation | None
    entries: list[Entry]
    case: Case | None
    case_events: list[CaseEvent]


@dataclass(slots=True)
class ConsultationService(ConsultationHandling):
    """Both sides of a consultation; the coordinators' side is ``ConsultationHandling``."""

    storage: Storage
    cases: CaseService
    clock: Callable[[], datetime]
    wake_outbox: Callable[[], None]
    hasher: SecretHasher
    guesser_key: bytes  # see throttle.guesser_key

    # The colleague's side: no Actor is taken, so none can be stored.

    async def start(
        self,
        text: str,
        *,
        platform: Platform,
        language: str,
        contact: NoticeContact | None,
        deliver_to: NoticeContact | None = None,
    ) -> tuple[Consultation, Issued]:
        """``deliver_to``: where the code goes once more, through the outbox, in a row that
        names neither the consultation nor the receipt and is wiped once delivered."""
        secret = new_secret()
        secret_hash = await self.hasher.hash(secret)
        now = self.clock()
        async with self.storage.transaction() as tx:
            claimed = await once.claim(tx, Produced.CONSULTATION, now)
            receipt = await tx.receipts.create(secret_hash, contact)
            consultation = await tx.consultations.create(
                receipt, self._coordination(platform), language, now
            )
            if claimed is not None:
                await claimed.produced(consultation.id)
            entry = await tx.consultations.add_entry(consultation, EntryKind.WROTE, now, text=text)
            await tx.outbox.enqueue(ALERT, consultation_id=consultation.id)
            await tx.outbox.enqueue(THREAD, consultation_id=consultation.id, entry_id=entry.id)
            issued = Issued(receipt.pseudonym, format_code(receipt.pseudonym, secret))
            if deliver_to is not None:
                await tx.outbox.enqueue(CODE, payload=issued.payload(deliver_to, language))
        self.wake_outbox()
        log.info("consultation #%s started", consultation.id)
        return consultation, issued

    async def report(
        self,
        report: NewReport,
        *,
        platform: Platform,
        contact: NoticeContact | None,
        deliver_to: NoticeContact | None = None,
    ) -> tuple[Case, Issued]:
        """An anonymous report: a case with a receipt instead of a reporter."""
        secret = new_secret()
        secret_hash = await self.hasher.hash(secret)
        async with self.storage.transaction() as tx:
            receipt = await tx.receipts.create(secret_hash, contact)
            case = await self.cases.open_in(tx, report, None, platform, receipt)
            code = format_code(receipt.pseudonym, secret)
            urgent, signal = case.urgency is Urgency.URGENT, report.category is Category.TRAFFICKING
            issued = Issued(receipt.pseudonym, code, case.reference, urgent, signal)
            if deliver_to is not None:
                await tx.outbox.enqueue(CODE, payload=issued.payload(deliver_to, report.language))
        self.wake_outbox()
        return case, issued

    async def unlock(self, typed: str, guesser: str) -> int:
        """The receipt id a code opens; ``ReceiptRefused`` otherwise.

        ``guesser`` stands for whoever typed it ("platform:user_id", or a web session); it
        is only ever kept as a keyed hash, in the throttle. Every refusal reads the same
        for a known and an unknown pseudonym, and costs the same work.
        """
        code = parse_code(typed)
        if code is None:
            raise ReceiptRefused(
                "That is not a receipt code. A code looks like this: K7Q2-ABCD-EFGH-JKMN."
            )
        who = guesser_hash(self.guesser_key, guesser)
        async with self.storage.transaction() as tx:
            window = await tx.guesses.reserve(who, self.clock(), GUESS_WINDOW, GUESS_LIMIT)
        held_off = held_off_until(window)
        if held_off is not None:
            log.warning("receipt codes: a guesser is held off after %d tries", GUESS_LIMIT)
            raise ReceiptRefused(
                "Too many tries from you. Please try again after {time}.",
                time=f"{held_off.astimezone(TIMEZONE):%H:%M}",
            )
        async with self.storage.transaction() as tx:
            stored = await tx.receipts.find(code.pseudonym)
        right = await self.hasher.verify(stored.secret_hash if stored else None, code.secret)
        if stored is not None and right:
            async with self.storage.transaction() as tx:
                await tx.guesses.forget(who)
            return stored.receipt.id
        log.warning("receipt codes: a code was refused")
        raise ReceiptRefused("That code does not open anything. Check it and try again.")

    async def follow(self, receipt_id: int) -> Followed:
        async with self.storage.transaction() as tx:
            consultation = await tx.consultations.of_receipt(receipt_id)
            entries = await tx.consultations.entries(consultation.id) if consultation else []
            case = await tx.cases.of_receipt(receipt_id)
            events = await tx.cases.events(case.id) if case else []
        if consultation is None and case is None:
            raise ReceiptRefused("That code does not open anything. Check it and try again.")
        return Followed(receipt_id, consultation, entries, case, events)

    async def write(self, receipt_id: int, text: str) -> Followed:
        """The colleague writes again: into the case if it became one, else the consultation."""
        followed = await self.follow(receipt_id)
        if followed.case is not None:
            await self.cases.anonymous_adds(receipt_id, text)
            return followed
        async with self._colleague_change(receipt_id) as (tx, consultation):
            await self._record(tx, consultation, EntryKind.WROTE, text=text)
        return followed

    async def close_by_colleague(self, receipt_id: int) -> None:
        async with self._colleague_change(receipt_id) as (tx, consultation):
            await self._close(tx, consultation, None)

    async def turn_into_report(
        self, receipt_id: int, report: NewReport, reporter: Reporter | None
    ) -> Case:
        """The colleague chose to report: anonymously (the same code follows the case) or
        with their name (feedback comes by name; the thread says who it was)."""
        async with self._colleague_change(receipt_id, change=False) as (tx, consultation):
            platform = reporter.platform if reporter else consultation.coordination_platform
            receipt = None if reporter else consultation.receipt
            case = await self.cases.open_in(tx, report, reporter, platform, receipt)
            consultation.status = ConsultationStatus.REPORTED
            consultation.closed_at = self.clock()
            if reporter is not None and consultation.receipt and consultation.receipt.notify:
                await tx.receipts.forget_contact(consultation.receipt.id)
            await tx.consultations.link_case(consultation.id, case.id)
            author = reporter.name or reporter.user_id if reporter else None
            await self._record(
                tx, consultation, EntryKind.REPORTED, author=author, text=case.reference
            )
            if reporter is not None:
                await self.cases.confirm(tx, case)
        if reporter is not None:
            await self.cases.keep_in_touch(reporter)
        return case

    # Retention.

    async def forget_untouched(self, retention: timedelta) -> list[MessageRef]:
        """Deletes consultations not turned into a report after ``retention`` without
        activity, with their receipts; returns their channel alerts, to be blanked."""
        now = self.clock()
        async with self.storage.transaction() as tx:
            stale = await tx.consultations.untouched_since(now - retention)
            for consultation in stale:
                await tx.consultations.delete(consultation.id)
            receipts = await tx.receipts.delete_unused()
        if stale:
            log.info("retention: deleted %d consultations, %d receipts", len(stale), receipts)
        return [c.alert for c in stale if c.alert is not None]

    # Shared steps.

    def _coordination(self, platform: Platform) -> Platform:
        return self.cases.coordination(platform)

    async def contact(self, actor: Actor) -> NoticeContact:
        """The sealed contact for "tell me when there is an answer": only what the platform
        needs to reach this person, stored with the receipt and nowhere else."""
        messenger = self.cases.messengers.get(actor.platform)
        if messenger is None:
            raise CaseError(
                "Something went wrong on our side and nothing was saved. "
                "Please try again in a minute."
            )
        return NoticeContact(actor.platform, await messenger.reach(actor.user_id))

    @asynccontextmanager
    async def _colleague_change(
        self, receipt_id: int, change: bool = True
    ) -> AsyncIterator[tuple[Transaction, Consultation]]:
        """``change``: a form submitted here changes the consultation (a report made of
        it is claimed as the case it opens instead)."""
        async with self.storage.transaction() as tx:
            consultation = await tx.consultations.of_receipt(receipt_id, for_update=True)
            if consultation is None:
                raise ReceiptRefused("That code does not open anything. Check it and try again.")
            if not consultation.is_open:
                raise CaseError("This consultation is closed. You can always start a new one.")
            if change:
                await once.claim(tx, Produced.CHANGE, self.clock(), consultation.id)
            yield tx, consultation
        self.wake_outbox()
