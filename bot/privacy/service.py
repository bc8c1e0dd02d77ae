"""The privacy desk: inzage and erasure for admins (console) and the CLI.

Admins only, checked here on the server; the CLI is whoever runs meldbot on its machine.
Both are audited: the action, the role asked about and counts — never the person's key,
which would keep them in the log they asked to leave.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.access.models import Acting, Role
from bot.access.service import Access
from bot.case.errors import NotAllowed
from bot.i18n import N_
from bot.ports import Storage, Transaction
from bot.privacy.erasure import erase
from bot.privacy.inzage import inzage
from bot.privacy.models import Erasure, Inzage, Person

GUARDED = N_(
    "This includes cases only their named coordinators may read ({references}). Make the "
    "export with meldbot privacy export on meldbot's server, or ask one of them."
)
CLI = "cli"  # the audit actor of the command line: no person is known there


@dataclass(slots=True)
class PrivacyDesk:
    storage: Storage
    clock: Callable[[], datetime]
    access: Access | None = None  # None: only the CLI uses it (no roles to check)

    async def _check(self, by: Acting | None) -> None:
        if by is None:
            return
        if self.access is None or Role.ADMIN not in await self.access.roles(by):
            raise NotAllowed("Only admins can answer a data-subject request.")

    async def _record(self, tx: Transaction, by: Acting | None, action: str, detail: str) -> None:
        actor, name = (CLI, None) if by is None else (by.key, by.display)
        await tx.audit.record(actor, action, self.clock(), actor_name=name, detail=detail)

    async def look(self, by: Acting | None, person: Person) -> Inzage:
        """What meldbot holds, for the console's counts (audited as a look, not an export)."""
        return await self._inzage(by, person, "privacy.look")

    async def export(self, by: Acting | None, person: Person) -> Inzage:
        """Everything, for the person. From the console only when the admin may read every
        restricted case in it (or one for the vertrouwenspersoon); else the CLI makes it."""
        return await self._inzage(by, person, "privacy.export")

    async def _guard(self, by: Acting | None, found: Inzage, tx: Transaction) -> None:
        if by is None or self.access is None:
            return
        hidden = [c.reference for c in found.guarded if not await self.access.may_read(by, c, tx)]
        if hidden:
            raise NotAllowed(GUARDED, references=", ".join(hidden))

    async def _inzage(self, by: Acting | None, person: Person, action: str) -> Inzage:
        await self._check(by)
        async with self.storage.transaction() as tx:
            found = await inzage(tx, tx.persons, person)
            if action == "privacy.export":
                await self._guard(by, found, tx)
            await self._record(tx, by, action, _counted(person, found.counts))
        return found

    async def erase(self, by: Acting | None, person: Person, *, confirm: bool) -> Erasure:
        """What would go (``confirm`` False) or, in one transaction, is gone."""
        await self._check(by)
        async with self.storage.transaction() as tx:
            erasure = await erase(tx, tx.persons, person, confirm=confirm, now=self.clock())
            if confirm:
                counts = erasure.forgotten | {"refused": len(erasure.refused)}
                await self._record(tx, by, "privacy.erase", _counted(person, counts))
        return erasure


def _counted(person: Person, counts: dict[str, int]) -> str:
    """``reporter: cases 2, messages 5``: the role and counts, nothing that names."""
    shown = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
    return f"{person.role.value}: {shown}"
