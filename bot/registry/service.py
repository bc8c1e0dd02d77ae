"""The registry export for analysts and admins (the console) and the operator (the CLI).

Checked here, on the server, and audited as ``registry.export`` with the period and the
number of rows. A restricted case goes only into the export of someone who may handle
it (a named coordinator who is also an analyst or admin); for anyone else its row is left
out and the number left out is said. The operator at the CLI holds the database and its
key, so their export has every restricted case. A report to the vertrouwenspersoon is
theirs alone and never in a registry export.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.access.models import Acting, Role
from bot.access.service import Access
from bot.audit.service import BAD_PERIOD
from bot.case.errors import InvalidQuery, NotAllowed
from bot.ports import Storage, Transaction
from bot.registry.models import RegistryFacts
from bot.registry.sheet import rows_of
from bot.schedule.calendar import days_between

READERS = frozenset({Role.ANALYST, Role.ADMIN})
LONGEST = timedelta(days=366)
CLI = "cli"  # the audit actor of the command line: a person's key is not known there


@dataclass(frozen=True, slots=True)
class RegistryExport:
    rows: list[list[str]]  # the header first
    left_out: int  # restricted cases the exporter may not read

    @property
    def count(self) -> int:
        return len(self.rows) - 1


def bounds(first: date, last: date) -> tuple[datetime, datetime]:
    """[first day 00:00, the day after the last 00:00) in Amsterdam, as UTC."""
    if last < first or last - first >= LONGEST:
        raise InvalidQuery(BAD_PERIOD)
    return days_between(first, last)


@dataclass(slots=True)
class Registry:
    storage: Storage
    clock: Callable[[], datetime]
    access: Access

    async def count(self, by: Acting, first: date, last: date) -> RegistryExport:
        """What ``export`` would give, without the audit entry: for the page's summary."""
        await self._reader(by)
        start, end = bounds(first, last)
        async with self.storage.transaction() as tx:
            return await self._export(tx, by, start, end)

    async def export(self, by: Acting, first: date, last: date) -> RegistryExport:
        await self._reader(by)
        start, end = bounds(first, last)
        async with self.storage.transaction() as tx:
            found = await self._export(tx, by, start, end)
            await self._audit(tx, by.key, by.display, first, last, found)
        return found

    async def export_all(self, first: date, last: date) -> RegistryExport:
        """The operator's export from the CLI, restricted cases included."""
        start, end = bounds(first, last)
        async with self.storage.transaction() as tx:
            found = await self._export(tx, None, start, end)
            await self._audit(tx, CLI, None, first, last, found)
        return found

    async def _reader(self, by: Acting) -> None:
        if not READERS & await self.access.roles(by):
            raise NotAllowed("Only analysts and admins can export the cases for a registry.")

    async def _export(
        self, tx: Transaction, by: Acting | None, start: datetime, end: datetime
    ) -> RegistryExport:
        kept: list[RegistryFacts] = []
        left_out = 0
        for facts in await tx.registry.facts_between(start, end):
            if facts.for_confidant:
                continue
            if facts.restricted and not await self._may_handle(tx, by, facts.case_id):
                left_out += 1
                continue
            kept.append(facts)
        return RegistryExport(rows_of(kept), left_out)

    async def _may_handle(self, tx: Transaction, by: Acting | None, case_id: int) -> bool:
        if by is None:
            return True
        case = await tx.cases.get(case_id)
        return case is not None and await self.access.may_handle(by, case, tx)

    async def _audit(
        self,
        tx: Transaction,
        actor: str,
        name: str | None,
        first: date,
        last: date,
        found: RegistryExport,
    ) -> None:
        detail = f"{first.isoformat()}..{last.isoformat()}: {found.count} rows"
        if found.left_out:
            detail += f", {found.left_out} restricted left out"
        now = self.clock()
        await tx.audit.record(actor, "registry.export", now, actor_name=name, detail=detail)
