"""Invitations of managers into a case (bot/manager)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

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
