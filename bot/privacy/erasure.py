"""Erasing one person (AVG art. 17), and what is refused (art. 17(3)).

- A case still in handling is kept whole: the coordinators need it to protect the
  reporter and to carry out the measures (17(3)(b): the employer's duty of care under
  the Arbowet). The person hears which cases and may ask again after they are closed.
- A closed case the person reported becomes its tombstone, as at the end of its
  retention (storage/retention.py), and what meldbot posted about it is taken down: the
  figures stay right, nothing that names or tells remains.
- In a closed case a coordinator or manager acted in, their name is blanked.
- The audit log is kept, whole, until its own retention ends: it is the proof of who read
  and changed a case (BIO2 logging, 17(3)(b) and (e)); it holds no content. The erasure
  itself is written to it without naming the person.
"""

from __future__ import annotations

from datetime import datetime

from bot.case.models import Status
from bot.ports import Transaction
from bot.privacy.models import Erasure, Person, Refused, Role
from bot.privacy.ports import PersonRecords

IN_HANDLING = "in_handling"


async def _closed_or_refused(tx: Transaction, case_ids: list[int], erasure: Erasure) -> list[int]:
    closed = []
    for case_id in case_ids:
        case = await tx.cases.get(case_id)
        if case is None:
            continue
        if case.status is Status.CLOSED:
            closed.append(case_id)
        else:
            erasure.refused.append(Refused(case.reference, case.status.value, IN_HANDLING))
    return closed


async def _chat(records: PersonRecords, person: Person, erasure: Erasure) -> None:
    """Their conversation states; and how Teams reaches them, unless a kept case still
    needs to reach them."""
    if not person.is_chat:
        return
    keep_address = bool(erasure.refused)
    count = await records.states(person.platform, person.ident)
    if not keep_address:
        count += await records.addresses(person.platform, person.ident)
    erasure.forgotten["states"] = count
    if erasure.done:
        await records.forget_chat_identity(person.platform, person.ident, keep_address)


async def _console(records: PersonRecords, person: Person, erasure: Erasure) -> set[str]:
    """A console identity (its links and sessions by cascade); the name it had."""
    if person.platform != "console":
        return set()
    held = await records.console_identity(person.ident)
    sessions = await records.sessions(person.ident)
    erasure.forgotten["console"] = int(held is not None) + len(sessions)
    if erasure.done:
        await records.forget_console_identity(person.ident)
    return set() if held is None else {held.principal.name}


async def _reporter(
    tx: Transaction, records: PersonRecords, erasure: Erasure, now: datetime
) -> None:
    person = erasure.person
    closed = await _closed_or_refused(
        tx, await records.reported(person.platform, person.ident), erasure
    )
    erasure.forgotten["cases"] = len(closed)
    if erasure.done:
        for case_id in closed:
            await tx.posts.retract_case(case_id)
            await tx.retention.purge(case_id, now)
    await _chat(records, person, erasure)


async def _coordinator(
    tx: Transaction, records: PersonRecords, erasure: Erasure, now: datetime
) -> None:
    person = erasure.person
    names = await records.names_used(person.key)
    closed = await _closed_or_refused(tx, await records.handled(person.key), erasure)
    erasure.forgotten["cases"] = len(closed)
    erasure.forgotten["consultations"] = len(await records.answered(person.key))
    erasure.kept_audit_entries = len(await records.audit_of(person.key))
    names |= await _console(records, person, erasure)
    if erasure.done:
        await records.forget_names(closed, names)
        await records.forget_handler(person.key, closed)
        await records.forget_answers(person.key, names)
    await _chat(records, person, erasure)


async def _manager(
    tx: Transaction, records: PersonRecords, erasure: Erasure, now: datetime
) -> None:
    person = erasure.person
    mine = await tx.invitations.of_manager([person.key])
    closed = set(await _closed_or_refused(tx, sorted({i.case_id for i in mine}), erasure))
    gone = [i for i in mine if i.case_id in closed]
    erasure.forgotten["invitations"] = len(gone)
    erasure.kept_audit_entries = len(await records.audit_of(person.key))
    names = {i.manager.name for i in gone} | await _console(records, person, erasure)
    if erasure.done:
        await records.forget_names(closed, names)
        await records.forget_invitations([i.id for i in gone])
    await _chat(records, person, erasure)


async def erase(
    tx: Transaction, records: PersonRecords, person: Person, *, confirm: bool, now: datetime
) -> Erasure:
    """What goes (``confirm`` False: nothing changes) or went (True)."""
    erasure = Erasure(person, done=confirm)
    steps = {Role.REPORTER: _reporter, Role.COORDINATOR: _coordinator, Role.MANAGER: _manager}
    await steps[person.role](tx, records, erasure, now)
    return erasure
