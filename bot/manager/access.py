"""``Access.invited`` from the stored invitations: a manager reads a case they were
invited into, for as long as the invitation stands."""

from __future__ import annotations

from bot.access.service import Invited
from bot.case.models import Case
from bot.ports import Storage, Transaction


def invited_from(storage: Storage) -> Invited:
    async def invited(keys: frozenset[str], case: Case, tx: Transaction | None) -> bool:
        if tx is not None:  # SQLite has one writer: ask inside the caller's transaction
            return await tx.invitations.invited(case.id, keys)
        async with storage.transaction() as own:
            return await own.invitations.invited(case.id, keys)

    return invited
