"""The console's own case actions: hand over, internal note, message to the reporter, and
restricting a case to named coordinators (and lifting it).

Each goes through the same role check, lock, audit entry and outbox as the chat buttons
(``CaseHandling``). Text is cleaned as everywhere else; too long or empty is refused with
a reason, never cut.
"""

from __future__ import annotations

from bot.access.models import Acting
from bot.case.errors import CaseError
from bot.case.handling import HANDED_TO, CaseHandling
from bot.case.models import Case, EventKind, Status
from bot.case.policy import is_key
from bot.text import MESSAGE_MAX, NAME_MAX, TooLong, clean, clean_line

MAX_NAMED = 25  # people a case can be restricted to


def _text(text: str) -> str:
    try:
        cleaned = clean(text, MESSAGE_MAX)
    except TooLong:
        raise CaseError(
            "Please keep it under {limit} characters.", limit=str(MESSAGE_MAX)
        ) from None
    if not cleaned:
        raise CaseError("Please write something first. Nothing was changed.")
    return cleaned


class CaseActions(CaseHandling):
    __slots__ = ()

    async def hand_over(self, by: Acting, case_id: int, to_key: str, to_name: str) -> Case:
        """``to_key`` (an ``Acting.key``) handles the case from now on; the thread and the
        new handler hear it, and the reporter who wants feedback hears who it is."""
        try:
            name = clean_line(to_name, NAME_MAX)
        except TooLong:
            name = ""
        if not is_key(to_key) or not name:
            raise CaseError("meldbot does not know this coordinator. Nothing was changed.")
        async with self._coordinator_change(by, case_id, "hand_over", to_key) as (tx, case):
            if not case.is_open:
                raise CaseError("This case is closed.")
            if case.handler_id == to_key:
                raise CaseError("{name} already handles this case.", name=name)
            target = await self.rights.someone(to_key, name, tx)
            if target is None or not await self.may_handle(target, case, tx):
                raise CaseError("{name} cannot handle this case. Nothing was changed.", name=name)
            case.handler_id, case.handler_name = to_key, name
            if case.status is Status.NEW:
                case.status = Status.IN_PROGRESS
            # The event's note names the new handler, for the timeline and the thread.
            event = await self._record(tx, case, EventKind.REASSIGNED, by, note=name)
            await tx.outbox.enqueue(HANDED_TO, event_id=event.id, payload={"to": to_key})
        return case

    async def note(self, by: Acting, case_id: int, text: str) -> Case:
        """An internal note: for coordinators, never to or for the reporter."""
        note = _text(text)
        async with self._coordinator_change(by, case_id, "note") as (tx, case):
            await self._record(tx, case, EventKind.NOTE, by, note=note, silent=True)
        return case

    async def message(self, by: Acting, case_id: int, text: str) -> Case:
        """A message to the reporter: it reaches them as a question does (an anonymous
        reporter reads it with their code, with a notice when they asked for one)."""
        message = _text(text)
        async with self._coordinator_change(by, case_id, "message") as (tx, case):
            if case.reporter is None and case.receipt is None:
                raise CaseError("This reporter is anonymous and cannot be asked anything.")
            if not case.is_open:
                raise CaseError("This case is closed.")
            await self._record(tx, case, EventKind.MESSAGE, by, text=message, always=True)
        return case

    async def restrict(self, by: Acting, case_id: int, to_keys: frozenset[str]) -> Case:
        """Only the coordinators named in ``to_keys`` (``Acting.key``s) see and handle the
        case from now on. The alert moves to the restricted place; the old card is cleared."""
        keys = frozenset(key.strip() for key in to_keys)
        if not keys or len(keys) > MAX_NAMED or not all(is_key(key) for key in keys):
            raise CaseError("Name the coordinators who may see this case. Nothing was changed.")
        detail = f"{len(keys)} named"
        async with self._coordinator_change(by, case_id, "restrict", detail) as (tx, case):
            if case.for_confidant:
                raise CaseError("This case is with the confidential adviser only already.")
            if case.handler_id is not None and case.handler_id not in keys:
                raise CaseError(
                    "{name} handles this case: name them too, or hand it over first.",
                    name=case.handler_name or "",
                )
            await self._set_restriction(tx, case, keys)
            await self._record(tx, case, EventKind.RESTRICTED, by, silent=True)
        return case

    async def lift_restriction(self, by: Acting, case_id: int) -> Case:
        """All coordinators see the case again; its alert moves back to their channel."""
        async with self._coordinator_change(by, case_id, "lift_restriction") as (tx, case):
            if not case.restricted:
                raise CaseError("This case is not restricted.")
            await self._set_restriction(tx, case, frozenset())
            await self._record(tx, case, EventKind.UNRESTRICTED, by, silent=True)
        return case
