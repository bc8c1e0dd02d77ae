"""The case page's read and its files, and the audit log of every read and change: who,
what, which case, when; for admins only, exported as CSV, and kept when the case goes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from bot.access.service import Access
from bot.audit.service import to_csv
from bot.case.due import Duty
from bot.case.errors import CaseNotFound, InvalidQuery, NotAllowed
from bot.case.models import Case, EventKind
from bot.case.queries import CaseFilter, View
from bot.events import Actor, IncomingFile
from bot.ports import Transaction
from tests import files
from tests.core.conftest import JAN, Harness
from tests.core.console import ANNA, BEA, MAX, RIA, report
from tests.privacy import audit_rows

KARIN = Actor("web", "coord-2", "Karin Kok")


async def _with_photo(bot: Harness) -> tuple[Case, int]:
    attachments = bot.runtime.cases.attachments
    assert attachments is not None
    photo = IncomingFile("balie.png", "image/png", len(files.PNG), files.PNG)
    [held] = await attachments.hold([photo])
    assert held.id is not None
    case = await report(bot, "Een klant sloeg op de balie.", attachments=(held.id,))
    return case, held.id


async def test_the_case_page_has_the_timeline_the_clocks_and_the_files(bot: Harness) -> None:
    case, photo = await _with_photo(bot)
    bot.clock.advance(minutes=20)
    await bot.runtime.cases.claim(JAN, case.id)
    await bot.runtime.cases.note(JAN, case.id, "Beelden opvragen.")
    opened = await bot.runtime.cases.read(RIA, case.reference.lower())
    assert opened.case.report.narrative == "Een klant sloeg op de balie."
    assert [e.kind for e in opened.events] == [
        EventKind.REPORTED,
        EventKind.CLAIMED,
        EventKind.NOTE,
    ]
    [first_contact] = opened.clocks
    assert first_contact.duty is Duty.FIRST_CONTACT
    assert first_contact.due_at == case.created_at + timedelta(hours=24)
    assert first_contact.met_at == case.created_at + timedelta(minutes=20)
    [info] = opened.attachments
    assert (info.id, info.name, info.size) == (photo, "balie.png", len(files.PNG))

    stored = await bot.runtime.cases.attachment(RIA, case.id, photo)
    assert stored.content == files.PNG
    _other, other_photo = await _with_photo(bot)
    with pytest.raises(CaseNotFound):
        await bot.runtime.cases.attachment(RIA, case.id, other_photo)
    with pytest.raises(CaseNotFound):
        await bot.runtime.cases.read(RIA, "M-2026-9999")
    with pytest.raises(CaseNotFound):
        await bot.runtime.cases.read(RIA, "x" * 5000)


async def test_analysts_and_managers_not_invited_never_get_a_case(bot: Harness) -> None:
    case, photo = await _with_photo(bot)
    for who in (ANNA, BEA, MAX):
        with pytest.raises(NotAllowed):
            await bot.runtime.cases.read(who, case.id)
        with pytest.raises(NotAllowed):  # missing or not: the same answer
            await bot.runtime.cases.read(who, "M-2026-9999")
        with pytest.raises(NotAllowed):
            await bot.runtime.cases.attachment(who, case.id, photo)


async def test_an_invited_manager_never_gets_the_case_file(bot: Harness) -> None:
    """An invited manager reads only their invitation (bot/manager, tests/core/
    test_manager.py): not the story, the internal notes or the files."""
    case, photo = await _with_photo(bot)
    await bot.runtime.cases.note(JAN, case.id, "Alleen voor ons.")

    async def invited(keys: frozenset[str], found: Case, _tx: Transaction | None) -> bool:
        return MAX.key in keys and found.id == case.id

    bot.runtime.cases.access = Access(bot.runtime.messengers, invited=invited)
    assert await bot.runtime.cases.rights.may_read(MAX, case)
    with pytest.raises(NotAllowed):
        await bot.runtime.cases.read(MAX, case.id)
    with pytest.raises(NotAllowed):
        await bot.runtime.cases.attachment(MAX, case.id, photo)
    with pytest.raises(NotAllowed):  # reading is not handling
        await bot.runtime.cases.note(MAX, case.id, "Ik ook.")


async def _audit_rows(bot: Harness) -> list[tuple[object, ...]]:
    fields = ("actor", "actor_name", "action", "case_id", "reference", "detail")
    return await audit_rows(bot.runtime.database, *fields)


async def test_every_read_and_change_is_audited_and_the_log_outlives_the_case(
    bot: Harness,
) -> None:
    case, photo = await _with_photo(bot)
    cases = bot.runtime.cases
    await cases.read(RIA, case.id)
    await cases.attachment(RIA, case.id, photo)
    await cases.claim(JAN, case.id)
    await cases.hand_over(JAN, case.id, KARIN.key, "Karin Kok")
    await cases.note(KARIN, case.id, "Notitie met geheime inhoud.")
    await cases.message(KARIN, case.id, "Bericht met geheime inhoud.")
    await cases.restrict(KARIN, case.id, frozenset({KARIN.key, RIA.key}))
    ref = case.reference
    assert await _audit_rows(bot) == [
        (RIA.key, "Ria Coördinator", "open", case.id, ref, None),
        (RIA.key, "Ria Coördinator", "download", case.id, ref, f"attachment {photo}"),
        (JAN.key, "Jan Jansen", "claim", case.id, ref, None),
        (JAN.key, "Jan Jansen", "hand_over", case.id, ref, KARIN.key),
        (KARIN.key, "Karin Kok", "note", case.id, ref, None),
        (KARIN.key, "Karin Kok", "message", case.id, ref, None),
        (KARIN.key, "Karin Kok", "restrict", case.id, ref, "2 named"),
    ]
    assert "geheime inhoud" not in repr(await _audit_rows(bot)), "never the text"

    async with bot.runtime.database.engine.begin() as connection:
        await connection.execute(text("DELETE FROM cases WHERE id = :id"), {"id": case.id})
    rows = await _audit_rows(bot)
    assert len(rows) == 7 and {(r[3], r[4]) for r in rows} == {(None, ref)}
    entries = await bot.runtime.audit.of_case(BEA, ref.lower())
    assert [e.action for e in entries][:3] == ["open", "download", "claim"]
    assert all(e.case_id is None and e.reference == ref for e in entries)
    assert (await _audit_rows(bot))[-1] == (BEA.key, "Bea Beheer", "audit.read", None, ref, None)


async def test_only_admins_read_and_export_the_log_and_that_is_audited(bot: Harness) -> None:
    case = await report(bot)
    await bot.runtime.cases.claim(Actor("web", "coord-2", '=HYPERLINK("x")'), case.id)
    audit = bot.runtime.audit
    for who in (JAN, RIA, ANNA):
        with pytest.raises(NotAllowed):
            await audit.of_case(who, case.reference)
        with pytest.raises(NotAllowed):
            await audit.export(who, bot.clock() - timedelta(days=1), bot.clock())
    start, end = bot.clock() - timedelta(days=1), bot.clock() + timedelta(seconds=1)
    rows = await audit.export(BEA, start, end)
    assert rows[0] == ["at", "actor", "actor_name", "action", "reference", "case_id", "detail"]
    [claim] = rows[1:]
    assert claim[1:5] == ["web:coord-2", '\'=HYPERLINK("x")', "claim", case.reference]
    assert to_csv(rows).startswith("at,actor,actor_name,action,reference,case_id,detail\r\n")
    period = f"{start.date().isoformat()}..{end.date().isoformat()}: 1 rows"
    assert (await _audit_rows(bot))[-1][2:] == ("audit.export", None, None, period)
    for wrong in ((end, start), (start, start + timedelta(days=400))):
        with pytest.raises(InvalidQuery):
            await audit.export(BEA, *wrong)


async def test_a_list_is_a_read_of_every_case_it_shows(bot: Harness) -> None:
    shown = await report(bot, "Een klant dreigde met een <i>mes</i>.")
    hidden = await report(bot, "Een integriteitsmelding.")
    await bot.runtime.cases.restrict(JAN, hidden.id, frozenset({JAN.key}))
    page = await bot.runtime.cases.list(RIA, CaseFilter(view=View.ALL))
    assert [summary.reference for summary in page.cases] == [shown.reference]
    listed = [row for row in await _audit_rows(bot) if row[2] == "list"]
    assert listed == [(RIA.key, "Ria Coördinator", "list", shown.id, shown.reference, None)]
    entries = await bot.runtime.audit.of_case(BEA, shown.reference)
    assert [entry.action for entry in entries] == ["list"]
