"""Recording what becomes of a ban: it ends (on its date, or now), it is extended, the
police were informed of a pandverbod.

The same role check, lock and audit entry as every case action (``CaseHandling``). Each
record is a case event in the same transaction, so the thread hears it through the
outbox; an early end is the reporter's news at once (an end on the date reaches them when
the date has passed, ``bot/measures/ban_clocks.py``). Bad input is refused with a reason
that says what to change, before anything is saved.
"""

from __future__ import annotations

from datetime import date

from bot.access.models import Acting
from bot.case.errors import CaseError
from bot.case.handling import CaseHandling
from bot.case.models import Case, EventKind
from bot.i18n import N_
from bot.measures.bans import Ban, BanRecord, BanRecordKind
from bot.measures.models import Measure, Step
from bot.measures.service import cleaned_note
from bot.ports import Transaction
from bot.schedule.calendar import local


class BanService(CaseHandling):
    __slots__ = ()

    def _today(self) -> date:
        return local(self.clock()).date()

    async def _ban(
        self, tx: Transaction, by: Acting, case_id: int, measure_id: int
    ) -> tuple[Case, Ban]:
        """The case (locked) and the ban, if ``by`` may handle it and it may still change."""
        case = await self._handled_by(tx, by, case_id, for_update=True)
        measure = await tx.measures.get(measure_id, for_update=True)
        if measure is None or measure.case_id != case.id:
            raise CaseError(N_("This measure is not with this case. Nothing was changed."))
        if not case.is_open:
            raise CaseError("This case is closed. Reopen it to record this.")
        if not measure.is_ban:
            raise CaseError(
                "Only a call ban or a building ban has an end date. Nothing was changed."
            )
        if measure.step is Step.DROPPED:
            raise CaseError("This ban was dropped. Advise a new ban if one is needed.")
        ban = Ban(measure, (await tx.bans.of_measures([measure.id])).get(measure.id, []))
        if ban.ended(self._today()):
            raise CaseError("This ban has ended. Advise a new ban if one is needed.")
        return case, ban

    async def extend(
        self, by: Acting, case_id: int, measure_id: int, until: date | None, reason: str | None
    ) -> Measure:
        """The ban runs until ``until`` now, for ``reason``; the old end stays in its history."""
        why = cleaned_note(reason)
        if why is None:
            raise CaseError("Write why the ban is extended. Nothing was changed.")
        if until is None:
            raise CaseError("Choose the new end date of the ban. Nothing was changed.")
        if until < self._today():
            raise CaseError("The new end date is in the past. Choose a later date.")
        async with self.storage.transaction() as tx:
            case, ban = await self._ban(tx, by, case_id, measure_id)
            measure = ban.measure
            assert measure.ends_on is not None  # a ban always has one (bot/measures/service)
            if until <= measure.ends_on:
                raise CaseError(
                    "The new end date must be after the current end date. Choose a later date."
                )
            await self._audit(tx, by, "ban.extend", case, measure.kind.value)
            now = self.clock()
            record = BanRecord(BanRecordKind.EXTENDED, now, until, by.display, why)
            await tx.bans.add(measure.id, record)
            await tx.bans.set_end(measure.id, until, now)
            measure.ends_on = until
            await self._record(
                tx, case, EventKind.BAN_EXTENDED, by, note=why, measure=measure.kind, silent=True
            )
        self.wake_outbox()
        return measure

    async def end(
        self, by: Acting, case_id: int, measure_id: int, *, now: bool, note: str | None = None
    ) -> Measure:
        """Re-evaluated: the ban ends on its end date, or (``now``) today, early. An early
        end is the reporter's news at once, if the ban was imposed."""
        cleaned = cleaned_note(note)
        async with self.storage.transaction() as tx:
            case, ban = await self._ban(tx, by, case_id, measure_id)
            measure = ban.measure
            if now and not ban.imposed:
                raise CaseError(
                    "This ban was not carried out yet. Drop it instead, with the reason."
                )
            if not now and ban.of(BanRecordKind.ENDING):
                raise CaseError("It is recorded already that this ban ends on its end date.")
            action = "ban.end" if now else "ban.ending"
            await self._audit(tx, by, action, case, measure.kind.value)
            at = self.clock()
            kind = BanRecordKind.ENDED if now else BanRecordKind.ENDING
            ends_on = self._today() if now else measure.ends_on
            await tx.bans.add(measure.id, BanRecord(kind, at, ends_on, by.display, cleaned))
            event = EventKind.BAN_ENDED if now else EventKind.BAN_ENDING
            # An early end is news for the reporter at once (the ban was imposed: above).
            await self._record(
                tx, case, event, by, note=cleaned, measure=measure.kind, always=now, silent=not now
            )
        self.wake_outbox()
        return measure

    async def police_informed(
        self, by: Acting, case_id: int, measure_id: int, note: str | None = None
    ) -> Measure:
        """The police know of the pandverbod and its end date (again after an extension)."""
        cleaned = cleaned_note(note)
        async with self.storage.transaction() as tx:
            case, ban = await self._ban(tx, by, case_id, measure_id)
            measure = ban.measure
            if not ban.is_building_ban:
                raise CaseError(
                    "The police are informed of a building ban only. Nothing was changed."
                )
            if ban.police_told is not None:
                raise CaseError(
                    "The police were informed of this end date already. Nothing was changed."
                )
            await self._audit(tx, by, "ban.police", case, measure.kind.value)
            record = BanRecord(
                BanRecordKind.POLICE_INFORMED, self.clock(), measure.ends_on, by.display, cleaned
            )
            await tx.bans.add(measure.id, record)
            await self._record(
                tx,
                case,
                EventKind.POLICE_INFORMED,
                by,
                note=cleaned,
                measure=measure.kind,
                silent=True,
            )
        self.wake_outbox()
        return measure

    async def of_case(self, by: Acting, case_id: int) -> list[Ban]:
        """The case's bans with their records, for whoever may read the case."""
        async with self.storage.transaction() as tx:
            case = await tx.cases.get(case_id)
            if case is None or not await self.rights.may_read(by, case, tx):
                raise await self._refuse(by, case, tx)
            measures = [m for m in await tx.measures.of_case(case.id) if m.is_ban]
            records = await tx.bans.of_measures([m.id for m in measures])
            return [Ban(m, records.get(m.id, [])) for m in measures]
