"""One transaction over every repository, and the storage that opens it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from datetime import datetime
from typing import Any, Protocol

from bot.case.models import Case, CaseEvent
from bot.case.queries import CaseQueries
from bot.ports.access import AuditLog, IdentityLinks, SessionStore
from bot.ports.bans import BanRepository
from bot.ports.cases import AttachmentRepository, CaseRepository
from bot.ports.consultations import CodeGuesses, ConsultationRepository, ReceiptRepository
from bot.ports.delivery import Outbox, TimerRepository
from bot.ports.follow_up import AangifteRepository, ExternalReportRepository, ProposalRepository
from bot.ports.manager import InvitationRepository, ManagerLetterRepository
from bot.ports.measures import MeasureRepository
from bot.ports.messaging import DialogStates
from bot.ports.posts import PostRepository
from bot.ports.registry import RegistryQueries
from bot.ports.retention import RetentionRepository
from bot.ports.submissions import SubmissionLedger
from bot.privacy.ports import PersonRecords


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

    @property
    def measures(self) -> MeasureRepository: ...

    @property
    def bans(self) -> BanRepository: ...

    @property
    def proposals(self) -> ProposalRepository: ...

    @property
    def aangifte(self) -> AangifteRepository: ...

    @property
    def external_reports(self) -> ExternalReportRepository: ...

    @property
    def invitations(self) -> InvitationRepository: ...

    @property
    def manager_letters(self) -> ManagerLetterRepository: ...

    @property
    def registry(self) -> RegistryQueries: ...

    @property
    def posts(self) -> PostRepository: ...

    @property
    def retention(self) -> RetentionRepository: ...

    @property
    def persons(self) -> PersonRecords: ...

    @property
    def submissions(self) -> SubmissionLedger: ...


class CaseWatcher(Protocol):
    """Keeps a case moving: sets (and ends) its timers as it opens and changes, inside the
    same transaction as the change (on-call paging, clocks, aftercare)."""

    async def opened(self, tx: Transaction, case: Case, now: datetime) -> None: ...

    async def changed(
        self, tx: Transaction, case: Case, event: CaseEvent, now: datetime
    ) -> None: ...


class Storage(Protocol):
    def transaction(
        self, *, durable: bool = True, read_only: bool = False
    ) -> AbstractAsyncContextManager[Transaction]:
        """``durable=False``: state harmless to lose in a power cut (a draft), committed
        without waiting for the disk; everything else (reports) is committed durably.
        ``read_only``: writes nothing, so it need not wait for a writer."""
        ...

    async def first_delivery(self, key: str, now: datetime) -> bool:
        """True the first time a platform delivery key (Slack ``event_id``) is seen."""
        ...

    async def forget_deliveries(self, before: datetime) -> int: ...

    async def dialog_states(
        self, keys: Sequence[str], now: datetime
    ) -> dict[str, dict[str, Any] | None]:
        """Conversation states by key (None: none, or expired), read in one transaction
        with other callers' at the same moment: the same as ``tx.dialogs.get_many``."""
        ...

    async def keep_dialog_state(self, key: str, state: dict[str, Any], expires: datetime) -> None:
        """``tx.dialogs.put`` in a transaction that is not durable (see ``transaction``),
        shared with other callers' at the same moment; committed when it returns."""
        ...
