"""A letter as it was sent to an invited manager: kept sealed, for them to download."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.letters.fields import LetterKind


@dataclass(frozen=True, slots=True)
class SentLetter:
    id: int
    case_id: int
    invitation_id: int
    kind: LetterKind
    filename: str
    content: bytes
    sent_at: datetime
