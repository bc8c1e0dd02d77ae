"""The registry export's query: columns of ``cases`` a tombstone keeps, its measures and
whether an aangifte was recorded. No sealed column is read, so a purged case (its
narrative and names blanked, its events gone) exports as any other."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.case.models import Addressee, MeasureKind, Urgency
from bot.measures.models import LADDER, Step
from bot.registry.models import RegistryFacts
from storage.models import AangifteRow, CaseRow, MeasureRow

TAKEN = (Step.AGREED.value, Step.CARRIED_OUT.value, Step.EVALUATED.value)
ORDER = {kind.value: n for n, kind in enumerate((*LADDER, MeasureKind.NONE))}
BATCH = 500  # case ids per measures query: well under every backend's parameter limit


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


class SqlRegistry:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def facts_between(self, start: datetime, end: datetime) -> list[RegistryFacts]:
        rows = (
            await self._session.execute(
                select(
                    CaseRow.id,
                    CaseRow.created_at,
                    CaseRow.category,
                    CaseRow.coordination_platform,
                    CaseRow.department,
                    CaseRow.urgency,
                    CaseRow.status,
                    CaseRow.measure,
                    AangifteRow.filed_by,
                    CaseRow.first_contact_at,
                    CaseRow.restricted,
                    CaseRow.addressee,
                )
                .outerjoin(AangifteRow, AangifteRow.case_id == CaseRow.id)
                .where(CaseRow.created_at >= start, CaseRow.created_at < end)
                .order_by(CaseRow.created_at, CaseRow.id)
            )
        ).all()
        taken = await self._taken([row[0] for row in rows])
        return [
            RegistryFacts(
                case_id=case_id,
                created_at=created,
                category=category,
                platform=platform,
                department=department,
                urgent=urgency == Urgency.URGENT.value,
                status=status,
                measures=_measures(taken.get(case_id, set()), measure),
                aangifte_by=filed_by,
                first_contact_at=_aware(contact),
                restricted=restricted,
                for_confidant=addressee == Addressee.CONFIDANT.value,
            )
            for (
                case_id,
                created,
                category,
                platform,
                department,
                urgency,
                status,
                measure,
                filed_by,
                contact,
                restricted,
                addressee,
            ) in rows
        ]

    async def _taken(self, case_ids: list[int]) -> dict[int, set[str]]:
        """The kinds of the measures each case took (agreed or further, not dropped)."""
        found: dict[int, set[str]] = defaultdict(set)
        for at in range(0, len(case_ids), BATCH):
            batch = case_ids[at : at + BATCH]
            rows = await self._session.execute(
                select(MeasureRow.case_id, MeasureRow.kind).where(
                    MeasureRow.case_id.in_(batch), MeasureRow.step.in_(TAKEN)
                )
            )
            for case_id, kind in rows:
                found[case_id].add(kind)
        return found


def _measures(taken: set[str], measure: str | None) -> tuple[str, ...]:
    """The measures taken; the case's own measure too, which a tombstone keeps when its
    measure rows are gone ("none": no measure needed, only when nothing was taken)."""
    kinds = set(taken)
    if measure and (measure != MeasureKind.NONE.value or not kinds):
        kinds.add(measure)
    return tuple(sorted(kinds, key=lambda kind: (ORDER.get(kind, len(ORDER)), kind)))
