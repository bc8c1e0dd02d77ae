"""The manager in the loop: the reporter's consent, the invitation, "Hoe ging het?".

The same role check, lock and audit entry as every case action (``CaseHandling``). Every
refusal is a sentence that says what to change, raised before anything is saved. What
the manager hears and when is in ``bot.manager.loop`` (the outbox and the timers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.access.models import Acting, Role
from bot.case.errors import CaseError, NotAllowed
from bot.case.handling import THREAD, CaseHandling
from bot.case.models import Case, EventKind, Reporter
from bot.manager.models import (
    CHAT_PLATFORMS,
    EVENT_OF_ANSWER,
    Answer,
    Consent,
    Invitation,
    Invitee,
    consent_of,
)
from bot.measures.models import Measure, Step
from bot.schedule.calendar import AMSTERDAM, add_working_days, local
from bot.text import MESSAGE_MAX, NAME_MAX, TooLong, clean, clean_line

CONSENT_QUESTION = "manager.consent"  # outbox: the question in the reporter's chat
INVITATION = "manager.invitation"  # outbox: the measure, its guidance, what is shared
HOW_DID_IT_GO = "manager.how"  # outbox: "Hoe ging het?" (payload ``reminder``)
ASK_DUE = "manager.ask"  # timer: time to ask
REMIND_DUE = "manager.remind"  # timer: no answer yet, ask once more
ASK_TIME = time(10, 0)
IDENTITY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9:._@-]{0,199}$")
EMAIL = re.compile(r"^[^@\s]{1,100}@[^@\s]{1,150}\.[^@\s]{2,}$")
CLOSED_STEPS = frozenset({Step.DROPPED, Step.EVALUATED})


def invitation_prefix(invitation_id: int) -> str:
    return f"invitation:{invitation_id}"


def ask_moment(planned_on: date | None, invited_at: datetime, days: int) -> datetime:
    """10:00 on the working day after the planned date; without one, ``days`` working days
    after the invitation."""
    if planned_on is not None:
        start = datetime.combine(planned_on, ASK_TIME, tzinfo=AMSTERDAM)
        return add_working_days(start, 1)
    start = datetime.combine(local(invited_at).date(), ASK_TIME, tzinfo=AMSTERDAM)
    return add_working_days(start, days)


def _text(value: str | None, required: str | None) -> str | None:
    try:
        cleaned = clean(value or "", MESSAGE_MAX)
    except TooLong:
        raise CaseError(
            "Please keep it under {limit} characters.", limit=str(MESSAGE_MAX)
        ) from None
    if not cleaned and required:
        raise CaseError(required)
    return cleaned or None


@dataclass(slots=True)
class ManagerService:
    """Built on the case service's parts (see ``bot.app``), so it passes the same checks."""

    cases: CaseHandling
    ask_days: int = 5
    reminder_days: int = 3

    # -- consent ----------------------------------------------------------------------
    async def consent(self, by: Acting, case_id: int) -> Consent:
        async with self.cases.storage.transaction() as tx:
            case = await self.cases._handled_by(tx, by, case_id, for_update=False)
            return consent_of(case, await tx.cases.events(case.id))

    async def ask_consent(self, by: Acting, case_id: int) -> Case:
        """A coordinator asks the reporter, in their chat, whether their manager may be
        involved; only their yes lets a coordinator invite one."""
        async with self.cases._coordinator_change(by, case_id, "manager.consent_ask") as (
            tx,
            case,
        ):
            if case.reporter is None:
                raise CaseError(
                    "This reporter is anonymous: meldbot cannot ask them. Without their "
                    "consent no manager is involved."
                )
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to ask for consent.")
            state = consent_of(case, await tx.cases.events(case.id))
            if state is Consent.GIVEN:
                raise CaseError("The reporter has given consent already. Nothing was changed.")
            if state is Consent.ASKED:
                raise CaseError("The reporter has been asked already and has not answered yet.")
            event = await self.cases._record(tx, case, EventKind.CONSENT_ASKED, by, silent=True)
            await tx.outbox.enqueue(CONSENT_QUESTION, case_id=case.id, event_id=event.id)
        return case

    async def answer_consent(self, reporter: Reporter, case_id: int, agree: bool) -> Case:
        """The reporter's answer from the buttons; only the case's own reporter, only to an
        open question."""
        async with self.cases.storage.transaction() as tx:
            case = await tx.cases.get(case_id, for_update=True)
            if case is None or not _reported_by(case, reporter):
                raise NotAllowed("This report is not yours, or it no longer exists.")
            if consent_of(case, await tx.cases.events(case.id)) is not Consent.ASKED:
                raise CaseError("This question has been answered already.")
            kind = EventKind.CONSENT_GIVEN if agree else EventKind.CONSENT_DECLINED
            # The reporter is named in the case, never in the audit log's actor column.
            await tx.audit.record(
                "reporter",
                "manager.consent",
                self.cases.clock(),
                case_id=case.id,
                reference=case.reference,
                detail="yes" if agree else "no",
            )
            now = self.cases.clock()
            case.updated_at = now
            event = await tx.cases.add_event(case, kind, now, actor_name=reporter.name)
            await self.cases._keep_clocks(tx, case)
            await tx.outbox.enqueue(THREAD, case_id=case.id, event_id=event.id)
        self.cases.wake_outbox()
        return case

    # -- the invitation ----------------------------------------------------------------
    async def invite(
        self, by: Acting, case_id: int, measure_id: int, manager: Invitee, shared: str
    ) -> Invitation:
        """Invites ``manager`` for one measure of the case, sharing ``shared`` and nothing
        else; refused without the reporter's consent."""
        text = _text(shared, "Write what you share with the manager. Nothing was saved.")
        assert text is not None
        invitee = await self._checked(manager)
        async with self.cases._coordinator_change(by, case_id, "manager.invite") as (tx, case):
            if not case.is_open:
                raise CaseError("This case is closed. Reopen it to invite a manager.")
            if consent_of(case, await tx.cases.events(case.id)) is not Consent.GIVEN:
                raise CaseError(
                    "The reporter has not given consent to involve their manager. Ask for "
                    "consent first. Nothing was saved."
                )
            measure = await tx.measures.get(measure_id, for_update=True)
            if measure is None or measure.case_id != case.id:
                raise CaseError("This measure is not with this case. Nothing was changed.")
            if measure.step in CLOSED_STEPS:
                raise CaseError(
                    "This measure is dropped or evaluated. Invite a manager for a measure "
                    "that is still going on."
                )
            for earlier in await tx.invitations.of_case(case.id):
                if earlier.measure_id == measure.id and earlier.manager.key == invitee.key:
                    raise CaseError("This manager is invited for this measure already.")
            now = self.cases.clock()
            invitation = await tx.invitations.add(
                case.id, measure.id, invitee, text, by.display, now
            )
            await self.cases._record(
                tx, case, EventKind.MANAGER_INVITED, by, measure=measure.kind, silent=True
            )
            payload = {"invitation": invitation.id}
            await tx.outbox.enqueue(INVITATION, case_id=case.id, payload=payload)
            when = ask_moment(measure.planned_on, now, self.ask_days)
            key = f"{invitation_prefix(invitation.id)}:ask"
            await tx.timers.set(ASK_DUE, key, when, case_id=case.id, payload=payload)
        return invitation

    async def _checked(self, manager: Invitee) -> Invitee:
        """The identity cleaned, or a refusal: a platform meldbot is not on, an id that is
        no id, a sign-in subject meldbot never saw, an address that is no address."""
        try:
            name = clean_line(manager.name, NAME_MAX)
        except TooLong:
            raise CaseError(
                "Please keep the name under {limit} characters.", limit=str(NAME_MAX)
            ) from None
        kind, ident = manager.kind, manager.ident.strip()
        unknown = CaseError(
            "meldbot does not know this person. Check the platform and the id, or choose "
            "someone from the list. Nothing was saved."
        )
        if kind in CHAT_PLATFORMS:
            if kind not in self.cases.messengers or not IDENTITY.match(ident):
                raise unknown
        elif kind == "console":
            links = self.cases.rights.links
            known = await links.principal_of(ident) if links and ident else None
            if known is None:
                raise unknown
            name = name or known.display
        elif kind == "email":
            if not EMAIL.match(ident):
                raise CaseError("Write a whole e-mail address, such as naam@example.org.")
            ident = ident.lower()
        else:
            raise unknown
        return Invitee(f"{kind}:{ident}", name or ident)

    async def invitations(self, by: Acting, case_id: int) -> list[Invitation]:
        """The case's invitations, for those who handle it."""
        async with self.cases.storage.transaction() as tx:
            case = await self.cases._handled_by(tx, by, case_id, for_update=False)
            return await tx.invitations.of_case(case.id)

    # -- the manager's side ------------------------------------------------------------
    async def invited_to(self, by: Acting) -> list[tuple[Case, Invitation, Measure]]:
        """Everything ``by`` was invited for, newest first; each case listed is audited."""
        async with self.cases.storage.transaction() as tx:
            if Role.MANAGER not in await self.cases.rights.roles(by, tx):
                raise NotAllowed("Only an invited manager sees this. Nothing was shown.")
            keys = await self.cases.rights.manager_keys(by, tx)
            found = []
            for invitation in await tx.invitations.of_manager(keys):
                case = await tx.cases.get(invitation.case_id)
                measure = await tx.measures.get(invitation.measure_id)
                if case is None or measure is None:
                    continue
                found.append((case, invitation, measure))
                await self.cases._audit(tx, by, "list", case, "manager")
            return found

    async def invitation_page(
        self, by: Acting, reference: str
    ) -> tuple[Case, list[tuple[Invitation, Measure]]]:
        """What an invited manager sees of one case: their invitations and those measures;
        audited as ``open``. Anyone else hears it does not exist for them."""
        async with self.cases.storage.transaction() as tx:
            case = await tx.cases.by_reference(reference) if len(reference) <= 30 else None
            if case is None or not await self.cases.rights.may_read(by, case, tx):
                raise await self.cases._refuse(by, case, tx)
            keys = await self.cases.rights.manager_keys(by, tx)
            mine = [i for i in await tx.invitations.of_manager(keys) if i.case_id == case.id]
            shown = []
            for invitation in mine:
                measure = await tx.measures.get(invitation.measure_id)
                if measure is not None:
                    shown.append((invitation, measure))
            await self.cases._audit(tx, by, "open", case, "manager")
        return case, shown

    async def answer(
        self, by: Acting, invitation_id: int, answer: Answer, note: str | None
    ) -> Case:
        """The manager's answer to "Hoe ging het?"; only the invited manager, only once."""
        cleaned = _text(note, None)
        async with self.cases.storage.transaction() as tx:
            invitation = await tx.invitations.get(invitation_id, for_update=True)
            keys = await self.cases.rights.manager_keys(by, tx)
            if invitation is None or invitation.manager.key not in keys:
                raise NotAllowed("This question was not for you. Nothing was saved.")
            if invitation.answer is not None:
                raise CaseError("You have answered this already. Thank you.")
            case = await tx.cases.get(invitation.case_id, for_update=True)
            measure = await tx.measures.get(invitation.measure_id)
            assert case is not None and measure is not None  # cascaded with the invitation
            now = self.cases.clock()
            await tx.invitations.answer(invitation.id, answer, cleaned, now)
            await self.cases._audit(tx, by, "manager.answer", case, answer.value)
            kind = EVENT_OF_ANSWER[answer]
            await self.cases._record(
                tx, case, kind, by, note=cleaned, measure=measure.kind, silent=True
            )
            await tx.timers.cancel(invitation_prefix(invitation.id), now)
        self.cases.wake_outbox()
        return case


def _reported_by(case: Case, reporter: Reporter) -> bool:
    return case.reporter is not None and (case.reporter.platform, case.reporter.user_id) == (
        reporter.platform,
        reporter.user_id,
    )


def number(value: str) -> int | None:
    """A number a button or form carried back (input: anything else is None)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None
