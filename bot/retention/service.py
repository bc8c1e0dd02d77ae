"""Retention that follows the case: the list of cases coming due, the once-only
extension, and the run that warns and purges (one transaction per case).

A run killed halfway leaves every case untouched or fully purged: each purge is one
transaction, and the next run finds what is still due and goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.access.models import Acting, Role
from bot.access.service import Access
from bot.case.errors import CaseError, CaseNotFound, NotAllowed
from bot.case.models import Case, MeasureKind
from bot.i18n import N_
from bot.measures.models import Step
from bot.ports import Storage, Transaction
from bot.retention import policy
from bot.retention.config import RetentionSettings
from bot.retention.models import Destroyed, DueCase, RetentionState, RunReport
from bot.schedule.calendar import AMSTERDAM
from bot.text import MESSAGE_MAX, TooLong, clean

log = logging.getLogger(__name__)

WARNING = "retention.warning"  # outbox: the note in the case's thread
RETENTION = "meldbot:retention"  # the audit actor of what the run does
NO_REASON = N_("Write why this case must be kept longer. Nothing was changed.")
TOO_LONG = N_("Please keep the reason under {limit} characters. Nothing was changed.")
STILL_OPEN = N_("This case is still open. An open case is kept, so there is nothing to extend.")
EXTENDED = N_("This case was extended once already. It cannot be extended a second time.")
ONLY_COORDINATORS = N_("Only coordinators and admins can see the cases that are due.")
ONLY_ADMINS = N_("Only admins can download the destruction list.")


async def _no_checkpoint() -> None:
    return None


@dataclass(slots=True)
class Retention:
    storage: Storage
    clock: Callable[[], datetime]
    access: Access
    settings: RetentionSettings
    wake_outbox: Callable[[], None] = field(default=lambda: None)
    # After a purge on SQLite: empty the WAL (storage.database.Database.checkpoint).
    checkpoint: Callable[[], Awaitable[None]] = _no_checkpoint
    actor: str = RETENTION  # who the audit log says purged: ``cli`` from the command

    # -- what is due, for the list and the run ------------------------------------------

    async def _due(self, tx: Transaction, case: Case) -> tuple[policy.Due, RetentionState]:
        state = await tx.retention.state(case.id)
        taken = [m for m in await tx.measures.of_case(case.id) if m.step is not Step.DROPPED]
        ends = [m.ends_on for m in taken if m.ends_on is not None]
        assert case.closed_at is not None  # only closed cases come here
        kept = policy.Kept(
            closed_at=case.closed_at,
            updated_at=case.updated_at,
            category=case.report.category,
            anonymous=case.reporter is None,
            has_measures=bool(taken) or case.measure not in (None, MeasureKind.NONE),
            last_measure_end=max(ends) if ends else None,
            extended=state.extended,
        )
        return policy.due(kept, self.settings), state

    def _changed_before(self, moment: datetime) -> datetime:
        """No case last changed after this can be due by ``moment``."""
        return policy.add_years(moment, -policy.shortest_years(self.settings)) + timedelta(days=1)

    async def _closed(self, tx: Transaction, case_id: int) -> Case | None:
        case = await tx.cases.get(case_id, for_update=True)
        if case is None or case.is_open or await tx.retention.is_purged(case_id):
            return None
        return case

    @staticmethod
    def _shown(case: Case, due: policy.Due, state: RetentionState) -> DueCase:
        category = case.report.category.value if case.report.category else None
        return DueCase(
            case.id, case.reference, category, due.at, due.outcome, due.rule, state.extended
        )

    async def _may(self, by: Acting, case: Case, tx: Transaction) -> bool:
        """Coordinators who may handle it; an admin for a case not shut off from others."""
        if await self.access.may_read(by, case, tx):
            return True
        shut_off = case.restricted or case.for_confidant
        return not shut_off and Role.ADMIN in await self.access.roles(by, tx)

    async def _staff(self, by: Acting) -> None:
        if not {Role.COORDINATOR, Role.ADMIN} & await self.access.roles(by):
            raise NotAllowed(ONLY_COORDINATORS)

    async def upcoming(self, by: Acting) -> list[DueCase]:
        """The closed cases due within the warning period, soonest first; restricted ones
        only for who may read them."""
        await self._staff(by)
        now = self.clock()
        horizon = now + timedelta(days=self.settings.warn_days)
        shown: list[DueCase] = []
        async with self.storage.transaction() as tx:
            for case_id in await tx.retention.candidates(self._changed_before(horizon)):
                case = await tx.cases.get(case_id)
                if case is None or case.is_open or not await self._may(by, case, tx):
                    continue
                due, state = await self._due(tx, case)
                if due.at <= horizon:
                    shown.append(self._shown(case, due, state))
            await tx.audit.record(
                by.key, "retention.list", now, actor_name=by.display, detail=str(len(shown))
            )
        return sorted(shown, key=lambda one: (one.due_at, one.reference))

    # -- the one extension ----------------------------------------------------------------

    async def extend(self, by: Acting, reference: str, reason: str) -> DueCase:
        """Keeps a closed case ``extension_years`` longer, once, with a reason (sealed);
        audited with the new due date, never the reason."""
        await self._staff(by)
        try:
            said = clean(reason, MESSAGE_MAX)
        except TooLong:
            raise CaseError(TOO_LONG, limit=str(MESSAGE_MAX)) from None
        if not said:
            raise CaseError(NO_REASON)
        now = self.clock()
        async with self.storage.transaction() as tx:
            found = await tx.cases.by_reference(reference)
            case = await tx.cases.get(found.id, for_update=True) if found else None
            if case is None or not await self._may(by, case, tx):
                raise CaseNotFound()
            if await tx.retention.is_purged(case.id):
                raise CaseNotFound()
            if case.is_open:
                raise CaseError(STILL_OPEN)
            if (await tx.retention.state(case.id)).extended:
                raise CaseError(EXTENDED)
            await tx.retention.extend(case.id, said, by.key, now)
            due, state = await self._due(tx, case)
            await tx.audit.record(
                by.key,
                "retention.extend",
                now,
                actor_name=by.display,
                case_id=case.id,
                reference=case.reference,
                detail=due.at.astimezone(AMSTERDAM).date().isoformat(),
            )
        return self._shown(case, due, state)

    # -- the run: warn, purge, forget old audit entries ----------------------------------

    async def run(self, *, dry_run: bool = False) -> RunReport:
        now = self.clock()
        horizon = now + timedelta(days=self.settings.warn_days)
        async with self.storage.transaction() as tx:
            ids = await tx.retention.candidates(self._changed_before(horizon))
        purged: list[DueCase] = []
        warned = 0
        for case_id in ids:
            async with self.storage.transaction() as tx:
                case = await self._closed(tx, case_id)
                if case is None:
                    continue
                due, state = await self._due(tx, case)
                if due.at <= now:
                    purged.append(self._shown(case, due, state))
                    if not dry_run:
                        await self._purge(tx, case, due, now)
                elif due.at <= horizon and state.warned_due != due.at and not dry_run:
                    await tx.retention.warned(case.id, due.at)
                    await tx.outbox.enqueue(
                        WARNING, case_id=case.id, payload={"due": due.at.isoformat()}
                    )
                    warned += 1
        forgotten = 0 if dry_run else await self._forget_audit(now)
        if (purged and not dry_run) or forgotten:
            await self.checkpoint()
        if warned or (purged and not dry_run):
            self.wake_outbox()  # the warnings, and the retractions of what was purged
        log.info(
            "retention%s: %s cases purged, %s warned, %s audit entries deleted",
            " (dry run)" if dry_run else "",
            len(purged),
            warned,
            forgotten,
        )
        return RunReport(purged, warned, forgotten, dry_run)

    async def _purge(self, tx: Transaction, case: Case, due: policy.Due, now: datetime) -> None:
        # First: the retraction reads the alert and the posts that the purge clears. Its
        # outbox rows carry no case_id, so the purge below leaves them be.
        await tx.posts.retract_case(case.id)
        await tx.retention.purge(case.id, now)
        created = case.created_at.astimezone(AMSTERDAM)
        category = case.report.category.value if case.report.category else None
        month = f"{created.year:04d}-{created.month:02d}"
        entry = Destroyed(case.reference, category, month, due.outcome, due.rule, due.at, now)
        await tx.retention.record_destroyed(entry)
        await tx.audit.record(
            self.actor,
            "retention.purge",
            now,
            case_id=case.id,
            reference=case.reference,
            detail=due.rule,
        )

    async def _forget_audit(self, now: datetime) -> int:
        before = policy.add_years(now, -self.settings.audit_years)
        async with self.storage.transaction() as tx:
            return await tx.retention.forget_audit(before)

    # -- the destruction list --------------------------------------------------------------

    async def destroyed(self, by: Acting | None, start: datetime, end: datetime) -> list[Destroyed]:
        """What was purged in [start, end). ``by`` None: the CLI (audited as ``actor``)."""
        if by is not None and Role.ADMIN not in await self.access.roles(by):
            raise NotAllowed(ONLY_ADMINS)
        async with self.storage.transaction() as tx:
            entries = await tx.retention.destroyed_between(start, end)
            await tx.audit.record(
                by.key if by else self.actor,
                "retention.destroyed",
                self.clock(),
                actor_name=by.display if by else None,
                detail=f"{start.date().isoformat()}/{end.date().isoformat()}",
            )
        return entries
