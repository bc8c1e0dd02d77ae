"""The audit log for admins: one case's entries, and a period exported as CSV.

Both are admin-only (checked here, on the server) and both are audited themselves, so
reading the log leaves a trace in it too. Entries are never changed or deleted: storage
offers no way to, and PostgreSQL refuses it with a trigger.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.access.models import Acting, Role
from bot.access.service import Access
from bot.audit.models import AuditEntry
from bot.case.errors import InvalidQuery, NotAllowed
from bot.i18n import N_
from bot.ports import Storage

COLUMNS = ("at", "actor", "actor_name", "action", "reference", "case_id", "detail")
LONGEST_EXPORT = timedelta(days=366)
BAD_PERIOD = N_("Choose a period of at most a year whose end comes after its start.")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading =, +, - or @ would run as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def rows_of(entries: list[AuditEntry]) -> list[list[str]]:
    """The header and one row per entry, as the export gives them."""
    rows = [list(COLUMNS)]
    for entry in entries:
        values = (
            entry.at.isoformat(),
            entry.actor,
            entry.actor_name,
            entry.action,
            entry.reference,
            entry.case_id,
            entry.detail,
        )
        rows.append([_cell(value) for value in values])
    return rows


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@dataclass(slots=True)
class AuditTrail:
    storage: Storage
    clock: Callable[[], datetime]
    access: Access

    async def _admin(self, by: Acting) -> None:
        if Role.ADMIN not in await self.access.roles(by):
            raise NotAllowed("Only admins can read the audit log.")

    async def of_case(self, by: Acting, reference: str) -> list[AuditEntry]:
        """Every read and change of one case, oldest first, also when the case is gone."""
        await self._admin(by)
        wanted = reference.strip().upper()[:30]
        async with self.storage.transaction() as tx:
            entries = await tx.audit.of_case(wanted)
            await tx.audit.record(
                by.key, "audit.read", self.clock(), actor_name=by.display, reference=wanted
            )
        return entries

    async def export(self, by: Acting, start: datetime, end: datetime) -> list[list[str]]:
        """The entries of [start, end) as CSV rows, the header first (``to_csv`` makes the
        file). The export itself is the last entry of the log, not in its own rows."""
        await self._admin(by)
        return await self._export(by.key, by.display, start, end)

    async def export_all(self, start: datetime, end: datetime) -> list[list[str]]:
        """``export`` for the operator at the CLI (the actor ``cli``): they hold the
        database and its key, so no role is asked."""
        return await self._export("cli", None, start, end)

    async def _export(
        self, actor: str, name: str | None, start: datetime, end: datetime
    ) -> list[list[str]]:
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidQuery(BAD_PERIOD)
        if not start < end or end - start > LONGEST_EXPORT:
            raise InvalidQuery(BAD_PERIOD)
        async with self.storage.transaction() as tx:
            entries = await tx.audit.between(start, end)
            detail = f"{start.date().isoformat()}..{end.date().isoformat()}: {len(entries)} rows"
            now = self.clock()
            await tx.audit.record(actor, "audit.export", now, actor_name=name, detail=detail)
        return rows_of(entries)
