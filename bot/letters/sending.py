"""Sending a drafted letter to the manager invited for its measure, and that manager
downloading it from their page.

The letter takes the same path as a download (``LetterService.composed``: the role check
and every refusal); it is then stored sealed per invitation and delivered through the
outbox (``bot.manager.loop``). ``request_key`` is the form's one-time key: a second press
or a resent POST finds the letter stored already and sends nothing again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.access.models import Acting, Role
from bot.case.errors import CaseError, NotAllowed
from bot.case.models import EventKind
from bot.letters.sent import SentLetter
from bot.letters.service import LetterService
from bot.letters.values import Filled

MANAGER_LETTER = "manager.letter"  # outbox: the letter to the manager's chat
REQUEST_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def letter_url(invitation_id: int) -> str:
    """Where the invited manager downloads the letter (behind the sign-in)."""
    return f"/console/uitgenodigd/{invitation_id}/brief"


@dataclass(slots=True)
class LetterSending:
    letters: LetterService

    async def send(
        self, by: Acting, case_id: int, measure_id: int, filled: Filled, request_key: str
    ) -> int:
        """Sends the letter to every manager invited for the measure; how many got it now
        (0: this request sent it already)."""
        if not REQUEST_KEY.match(request_key):
            raise CaseError(
                "This form is out of date. Open the case again and press once more. "
                "Nothing was sent."
            )
        letters = self.letters
        async with letters.storage.transaction() as tx:
            case, measure, letter = await letters.composed(tx, by, case_id, measure_id, filled)
            invited = [
                i for i in await tx.invitations.of_case(case.id) if i.measure_id == measure.id
            ]
            if not invited:
                raise CaseError(
                    "No manager is invited for this measure. Invite one first. Nothing was sent."
                )
            sent = 0
            for invitation in invited:
                # The lock makes a second press wait for the first, then find its letter.
                await tx.invitations.get(invitation.id, for_update=True)
                if await tx.manager_letters.sent_for(invitation.id, request_key):
                    continue
                letter_id = await tx.manager_letters.add(
                    case.id,
                    invitation.id,
                    letter.kind,
                    letter.filename,
                    letter.content,
                    request_key=request_key,
                    sent_by=by.display,
                    now=letters.clock(),
                )
                await tx.outbox.enqueue(
                    MANAGER_LETTER, case_id=case.id, payload={"letter": letter_id}
                )
                sent += 1
            if sent:
                await letters._audit(tx, by, "letter.send", case, letter.kind.value)
                await letters._record(
                    tx, case, EventKind.LETTER_SENT, by, measure=measure.kind, silent=True
                )
        letters.wake_outbox()
        return sent

    async def for_manager(self, by: Acting, invitation_id: int) -> SentLetter:
        """The newest letter sent for this invitation, only to its manager; audited."""
        letters = self.letters
        async with letters.storage.transaction() as tx:
            if Role.MANAGER not in await letters.rights.roles(by, tx):
                raise NotAllowed("Only the invited manager can download this letter.")
            invitation = await tx.invitations.get(invitation_id)
            keys = await letters.rights.manager_keys(by, tx)
            if invitation is None or invitation.manager.key not in keys:
                raise NotAllowed("Only the invited manager can download this letter.")
            letter = await tx.manager_letters.latest(invitation.id)
            case = await tx.cases.get(invitation.case_id)
            if letter is None or case is None:
                raise CaseError("There is no letter for you yet.")
            await letters._audit(tx, by, "letter.download", case, letter.kind.value)
        return letter

    async def with_letter(self, by: Acting, invitation_ids: list[int]) -> set[int]:
        """Which of ``by``'s invitations have a letter to download."""
        letters = self.letters
        async with letters.storage.transaction() as tx:
            keys = await letters.rights.manager_keys(by, tx)
            mine = [i for i in await tx.invitations.of_manager(keys) if i.id in invitation_ids]
            return await tx.manager_letters.with_letter([i.id for i in mine])
