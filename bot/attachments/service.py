"""Holding files for a draft, making them part of a case, and forgetting what never was.

A file is held (stored sealed, no case yet) the moment its message comes in, so nothing
waits in memory for a report that may take minutes; ``attach`` links the held files to the
case inside the case's own transaction and records one outbox row per file. Held files
that never became part of a case go when their draft would have (``bot.conversations``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.attachments import policy
from bot.attachments.models import FileInfo, HeldFile
from bot.attachments.policy import Limits
from bot.conversations import DRAFT_TTL
from bot.events import IncomingFile
from bot.ports import Storage, Transaction

log = logging.getLogger(__name__)

ATTACHMENT = "case.attachment"  # the outbox kind: a file shown in the case's thread


@dataclass(slots=True)
class Attachments:
    storage: Storage
    clock: Callable[[], datetime]
    limits: Limits = field(default_factory=Limits)

    async def hold(self, files: Sequence[IncomingFile]) -> list[HeldFile]:
        """Each file of a message, held (with an id) or refused (with the reason)."""
        checked = policy.check(files, self.limits)
        taken = [c for c in checked if c.kind is not None]
        ids: list[int] = []
        if taken:
            now = self.clock()
            async with self.storage.transaction() as tx:
                for file in taken:
                    assert file.kind is not None
                    ids.append(await tx.attachments.hold(file.name, file.kind, file.content, now))
        log.info("attachments: %d held, %d refused", len(taken), len(checked) - len(taken))
        found = iter(ids)
        return [
            HeldFile(
                c.name,
                c.size,
                c.kind,
                id=next(found) if c.kind is not None else None,
                refusal=c.refusal,
            )
            for c in checked
        ]

    async def renew(self, ids: Sequence[int]) -> None:
        """The draft was touched again: its files stay as long as it does."""
        if ids:
            async with self.storage.transaction() as tx:
                await tx.attachments.renew(ids, self.clock())

    async def attach(self, tx: Transaction, case_id: int, ids: Sequence[int]) -> list[int]:
        """Inside the case's transaction: the held files become the case's, and each is
        queued for the case's thread. Returns the ids attached (purged ones are not)."""
        if not ids:
            return []
        attached = await tx.attachments.attach(case_id, ids)
        for attachment_id in attached:
            await tx.outbox.enqueue(ATTACHMENT, case_id=case_id, attachment_id=attachment_id)
        if len(attached) < len(ids):
            log.warning("attachments: %d of %d no longer held", len(ids) - len(attached), len(ids))
        return attached

    async def discard(self, ids: Sequence[int]) -> int:
        """The draft was thrown away: so are its files, at once."""
        if not ids:
            return 0
        async with self.storage.transaction() as tx:
            return await tx.attachments.discard(ids)

    async def of_case(self, case_id: int) -> list[FileInfo]:
        async with self.storage.transaction() as tx:
            return await tx.attachments.of_case(case_id)

    async def forget_held(self) -> int:
        """Deletes files held longer than a draft lives that never became part of a case."""
        async with self.storage.transaction() as tx:
            return await tx.attachments.purge_held(self.clock() - DRAFT_TTL)
