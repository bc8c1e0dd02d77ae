"""Consultation domain types: a staff member's anonymous question and its answers.

A consultation opens no case. It is known by a pseudonym ("Anonieme collega · K7Q2")
and followed up with a receipt code; nothing in it names the staff member.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from bot.events import MessageRef, Platform


class ConsultationStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    REPORTED = "reported"  # the colleague turned it into a report


class EntryKind(StrEnum):
    """Everything that happens in a consultation; each becomes a reply in its thread."""

    WROTE = "wrote"  # the colleague wrote (the question, or a reply)
    ANSWERED = "answered"  # a coordinator answered
    CLOSED = "closed"
    REPORTED = "reported"


@dataclass(frozen=True, slots=True)
class Receipt:
    """The anonymous handle of a consultation or case: its pseudonym, and whether the
    colleague asked to be told when there is news (then a sealed contact is kept)."""

    id: int
    pseudonym: str
    notify: bool = False


@dataclass(slots=True)
class Consultation:
    id: int
    receipt: Receipt | None
    status: ConsultationStatus
    language: str
    coordination_platform: Platform
    created_at: datetime
    updated_at: datetime
    answered_by: str | None = None
    alert: MessageRef | None = None
    case_reference: str | None = None
    closed_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.status is ConsultationStatus.OPEN

    @property
    def pseudonym(self) -> str:
        return self.receipt.pseudonym if self.receipt else "—"


@dataclass(frozen=True, slots=True)
class Entry:
    id: int
    consultation_id: int
    kind: EntryKind
    created_at: datetime
    author_name: str | None = None  # a coordinator's name; None for the colleague
    text: str | None = None


@dataclass(frozen=True, slots=True)
class NoticeContact:
    """Where to tell the colleague there is news, kept sealed only while they want it.

    ``reach`` is what the platform said it needs (``Messenger.reach``); it lives only in
    the sealed contact, so deleting the contact deletes every trace of it.
    """

    platform: Platform
    reach: dict[str, Any]
