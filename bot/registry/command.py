"""``meldbot export cases|audit --from D --to D [--output F]``: the registry file and the
audit log from the command line, audited with the actor ``cli``."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO

from bot.access.service import Access
from bot.audit.service import AuditTrail
from bot.audit.service import to_csv as audit_csv
from bot.case.errors import CaseError
from bot.ports import Storage
from bot.registry.service import Registry, bounds
from bot.registry.sheet import to_csv as registry_csv
from bot.settings import ConfigError


@dataclass(frozen=True, slots=True)
class Exported:
    rows: int
    written_to: str


def _now() -> datetime:
    return datetime.now(UTC)


def day_of(typed: str, option: str) -> date:
    try:
        return date.fromisoformat(typed)
    except ValueError:
        raise ConfigError(f"{option} needs a day as YYYY-MM-DD, such as 2026-01-31.") from None


def _open(output: Path | None) -> BinaryIO:
    """The file (readable by its owner only: it describes cases), or stdout; opened
    before the export, so a file that cannot be written leaves no export in the log."""
    if output is None:
        return sys.stdout.buffer
    try:
        handle = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as error:
        raise ConfigError(f"{output} cannot be written: {error.strerror}.") from None
    return os.fdopen(handle, "wb")


async def _csv(storage: Storage, what: str, first: date, last: date) -> tuple[int, str]:
    if what == "cases":
        found = await Registry(storage, _now, Access({})).export_all(first, last)
        return found.count, registry_csv(found.rows)
    start, end = bounds(first, last)
    rows = await AuditTrail(storage, _now, Access({})).export_all(start, end)
    return len(rows) - 1, audit_csv(rows)


async def export(
    storage: Storage, what: str, first: date, last: date, output: Path | None
) -> Exported:
    """The registry file (``cases``) or the audit log (``audit``) of the days first..last."""
    try:
        bounds(first, last)  # a bad period is refused before a file is made
        out = _open(output)
        try:
            count, text = await _csv(storage, what, first, last)
            out.write(text.encode("utf-8"))
            out.flush()
        finally:
            if output is not None:
                out.close()
    except CaseError as refusal:
        raise ConfigError(refusal.reason.format(**refusal.values)) from None
    return Exported(count, str(output) if output else "stdout")
