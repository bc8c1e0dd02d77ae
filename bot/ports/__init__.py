"""The ports: interfaces the core needs, implemented by adapters and storage.

Adapters implement ``Messenger``; storage implements ``Storage`` and its parts (one
module per domain here). The core depends only on these protocols, imported from
``bot.ports``.
"""

from bot.ports.access import AuditLog, IdentityLinks, SessionStore
from bot.ports.bans import BanRepository
from bot.ports.cases import AttachmentRepository, CaseRepository
from bot.ports.consultations import (
    CodeGuesses,
    ConsultationRepository,
    GuessWindow,
    ReceiptRepository,
    StoredReceipt,
)
from bot.ports.delivery import Notification, Outbox, TimerRepository
from bot.ports.follow_up import AangifteRepository, ExternalReportRepository, ProposalRepository
from bot.ports.manager import InvitationRepository, ManagerLetterRepository
from bot.ports.measures import MeasureRepository
from bot.ports.messaging import (
    AddressBook,
    DeliveryError,
    DialogStates,
    FirstDelivery,
    Handler,
    Messenger,
)
from bot.ports.posts import PostRepository
from bot.ports.registry import RegistryQueries
from bot.ports.storage import CaseWatcher, Storage, Transaction
from bot.ports.submissions import SubmissionLedger
from bot.ports.web_history import WebHistory

__all__ = [
    "AangifteRepository",
    "AddressBook",
    "AttachmentRepository",
    "AuditLog",
    "BanRepository",
    "CaseRepository",
    "CaseWatcher",
    "CodeGuesses",
    "ConsultationRepository",
    "DeliveryError",
    "DialogStates",
    "ExternalReportRepository",
    "FirstDelivery",
    "GuessWindow",
    "Handler",
    "IdentityLinks",
    "InvitationRepository",
    "ManagerLetterRepository",
    "MeasureRepository",
    "Messenger",
    "Notification",
    "Outbox",
    "PostRepository",
    "ProposalRepository",
    "ReceiptRepository",
    "RegistryQueries",
    "SessionStore",
    "Storage",
    "StoredReceipt",
    "SubmissionLedger",
    "TimerRepository",
    "Transaction",
    "WebHistory",
]
