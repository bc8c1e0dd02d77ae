"""What meldbot posted about a case (``case_posts``), and queuing its retraction."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from typing import cast

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.events import MessageRef, Platform
from bot.retraction.models import RETRACT, retraction_payload
from storage.models import CasePostRow, CaseRow
from storage.outbox import SqlOutbox
from storage.sealing import Sealer

log = logging.getLogger(__name__)


class SqlPosts:
    """Implements ``bot.ports.PostRepository``."""

    def __init__(self, session: AsyncSession, sealer: Sealer, outbox: SqlOutbox) -> None:
        self._session = session
        self._sealer = sealer
        self._outbox = outbox

    async def record(self, case_id: int, refs: Sequence[MessageRef], day: date) -> int:
        case = await self._session.get(CaseRow, case_id)
        if case is None:
            return 0
        known = {*await self.of_case(case_id), *_alert(case)}
        new = [ref for ref in dict.fromkeys(refs) if ref not in known]
        if case.purged_at is not None:
            # A delivery that was under way while the case was purged: take it down too.
            for ref in new:
                await self._outbox.enqueue(
                    RETRACT, payload=retraction_payload(ref, self._outbox.now)
                )
            return len(new)
        for ref in new:
            self._session.add(
                CasePostRow(
                    case_id=case_id,
                    platform=ref.platform,
                    ref_sealed=self._sealer.seal_json(_place(ref)),
                    posted_on=day,
                )
            )
        await self._session.flush()
        return len(new)

    async def of_case(self, case_id: int) -> list[MessageRef]:
        rows = await self._session.scalars(
            select(CasePostRow).where(CasePostRow.case_id == case_id).order_by(CasePostRow.id)
        )
        return [self._ref(row) for row in rows]

    async def retract_case(self, case_id: int) -> int:
        case = await self._session.get(CaseRow, case_id, with_for_update=True)
        if case is None:
            return 0
        # Newest first and the alert last: thread lines go before the root they hang on.
        refs = list(dict.fromkeys([*reversed(await self.of_case(case_id)), *_alert(case)]))
        for ref in refs:
            # No case_id: the purge deletes the case's outbox rows, these must stay.
            payload = retraction_payload(ref, self._outbox.now)
            await self._outbox.enqueue(RETRACT, payload=payload)
        await self._session.execute(delete(CasePostRow).where(CasePostRow.case_id == case_id))
        case.alert_conversation = case.alert_message_id = None
        await self._session.flush()
        log.info("retraction: %d messages queued for deletion", len(refs))
        return len(refs)

    def _ref(self, row: CasePostRow) -> MessageRef:
        place = self._sealer.unseal_json(row.ref_sealed)
        return MessageRef(
            cast(Platform, row.platform), str(place["conversation"]), str(place["message"])
        )


def _place(ref: MessageRef) -> dict[str, str]:
    return {"conversation": ref.conversation, "message": ref.message_id}


def _alert(case: CaseRow) -> list[MessageRef]:
    if not (case.alert_conversation and case.alert_message_id):
        return []
    platform = cast(Platform, case.coordination_platform)
    return [MessageRef(platform, case.alert_conversation, case.alert_message_id)]
