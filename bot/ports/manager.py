"""Invitations of managers into a case (bot/manager)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from bot.letters.fields import LetterKind
from bot.letters.sent import SentLetter
from bot.manager.models import Answer, Invitation, Invitee


class InvitationRepository(Protocol):
    async def add(
        self,
        case_id: int,
        measure_id: int,
        manager: Invitee,
        shared: str,
        invited_by: str,
        now: datetime,
    ) -> Invitation: ...

    async def get(self, invitation_id: int, *, for_update: bool = False) -> Invitation | None: ...

    async def of_case(self, case_id: int) -> list[Invitation]: ...

    async def of_manager(self, keys: Collection[str]) -> list[Invitation]:
        """The invitations of whoever holds any of ``keys`` (found by a keyed hash)."""
        ...

    async def invited(self, case_id: int, keys: Collection[str]) -> bool: ...

    async def answer(
        self, invitation_id: int, answer: Answer, note: str | None, now: datetime
    ) -> None: ...


class ManagerLetterRepository(Protocol):
    """Letters sent to invited managers (bot/letters/sending.py), sealed at rest."""

    async def add(
        self,
        case_id: int,
        invitation_id: int,
        kind: LetterKind,
        filename: str,
        content: bytes,
        *,
        request_key: str,
        sent_by: str,
        now: datetime,
    ) -> int: ...

    async def sent_for(self, invitation_id: int, request_key: str) -> bool:
        """Whether this request sent this invitation a letter already."""
        ...

    async def get(self, letter_id: int) -> SentLetter | None: ...

    async def latest(self, invitation_id: int) -> SentLetter | None: ...

    async def with_letter(self, invitation_ids: Collection[int]) -> set[int]: ...
