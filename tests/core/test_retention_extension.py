"""Before a case is due: the note in its thread, the list, and the one extension with a
reason; refusals in plain sentences; a restricted case only for who may read it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.access.models import Principal, Role
from bot.case.errors import CaseError, CaseNotFound, NotAllowed
from bot.retention.service import EXTENDED, NO_REASON, STILL_OPEN
from tests.core.conftest import Harness
from tests.core.console import ANNA, BEA, RIA
from tests.core.retention import NARRATIVE, closed_case, retention, years_later
from tests.privacy import tables_holding

ROB = Principal("rob-sub", "Rob Coördinator", frozenset({Role.COORDINATOR}))
REASON = "Bezwaarprocedure van Pieterse loopt nog bij de rechtbank."


async def test_an_extension_postpones_the_purge_once(bot: Harness) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    due = years_later(case.closed_at, 2)
    bot.clock.now = due - timedelta(days=10)
    extended = await retention(bot).extend(RIA, case.reference, REASON)
    assert extended.due_at == years_later(due, 1) and extended.extended
    assert extended.rule == "without_measures 2y + extended 1y"

    with pytest.raises(CaseError) as twice:
        await retention(bot).extend(RIA, case.reference, "Nog een keer.")
    assert twice.value.reason == EXTENDED

    bot.clock.now = due
    assert (await retention(bot).run()).purged == []
    bot.clock.now = years_later(due, 1) - timedelta(days=1)
    assert (await retention(bot).run()).purged == []
    bot.clock.now = years_later(due, 1)
    assert [one.rule for one in (await retention(bot).run()).purged] == [extended.rule]

    log = await bot.runtime.audit.of_case(BEA, case.reference)
    extension = next(e for e in log if e.action == "retention.extend")
    assert extension.actor == RIA.key and extension.detail == extended.due_at.date().isoformat()
    database = bot.runtime.database
    assert await tables_holding(database.engine, database._sealer, [REASON]) == {}


async def test_the_reason_is_kept_sealed_until_the_purge(bot: Harness) -> None:
    case = await closed_case(bot)
    await retention(bot).extend(RIA, case.reference, REASON)
    database = bot.runtime.database
    found = await tables_holding(database.engine, database._sealer, [REASON])
    assert found == {"case_retention.reason_sealed": [REASON]}  # nowhere plain, not in the log


async def test_extending_without_a_reason_an_open_case_or_as_an_analyst_is_refused(
    bot: Harness,
) -> None:
    case = await closed_case(bot)
    with pytest.raises(CaseError) as empty:
        await retention(bot).extend(RIA, case.reference, "  \n ")
    assert empty.value.reason == NO_REASON
    with pytest.raises(NotAllowed):
        await retention(bot).extend(ANNA, case.reference, REASON)
    with pytest.raises(CaseNotFound):
        await retention(bot).extend(RIA, "M-1999-0001", REASON)
    await bot.runtime.cases.reopen(RIA, case.id)
    with pytest.raises(CaseError) as still_open:
        await retention(bot).extend(RIA, case.reference, REASON)
    assert still_open.value.reason == STILL_OPEN
    async with bot.runtime.database.transaction() as tx:
        assert not (await tx.retention.state(case.id)).extended


async def test_coordinators_are_told_once_in_the_thread_with_only_the_reference_and_date(
    bot: Harness,
) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    due = years_later(case.closed_at, 2)
    bot.clock.now = due - timedelta(days=31)
    assert (await retention(bot).run()).warned == 0
    assert await retention(bot).upcoming(RIA) == []
    bot.clock.now = due - timedelta(days=30)
    sent = len(bot.platform.sent)
    assert (await retention(bot).run()).warned == 1
    await bot.settle()
    notes = bot.platform.sent[sent:]
    assert len(notes) == 1
    note = notes[0]
    assert note.address.thread is not None  # in the case's thread
    assert case.reference in note.message.summary
    assert str(due.year) in note.message.summary
    assert NARRATIVE not in repr(note.message) and "Sanne" not in repr(note.message)
    assert (await retention(bot).run()).warned == 0  # once per due date
    listed = await retention(bot).upcoming(RIA)
    assert [(one.reference, one.due_at) for one in listed] == [(case.reference, due)]


async def test_a_restricted_case_is_neither_listed_nor_extendable_for_others(
    bot: Harness,
) -> None:
    case = await closed_case(bot)
    assert case.closed_at is not None
    await bot.runtime.cases.reopen(RIA, case.id)
    await bot.runtime.cases.restrict(RIA, case.id, frozenset({RIA.key}))
    closed = await bot.runtime.cases.close(RIA, case.id, "Weer dicht.", None)
    assert closed.closed_at is not None
    bot.clock.now = years_later(closed.closed_at, 2) - timedelta(days=5)
    assert [one.reference for one in await retention(bot).upcoming(RIA)] == [case.reference]
    assert await retention(bot).upcoming(ROB) == []
    assert await retention(bot).upcoming(BEA) == []  # an admin does not read it either
    for stranger in (ROB, BEA):
        with pytest.raises(CaseNotFound):
            await retention(bot).extend(stranger, case.reference, REASON)
    with pytest.raises(NotAllowed):
        await retention(bot).upcoming(ANNA)
