"""``meldbot seal rotate``: after it the old key is removed, and every row still opens and
every look-up still finds its row; look-ups work during a rotation; an interrupted run
resumes; a row meldbot changes meanwhile is never overwritten. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text

from adapters.web.store import Conversations
from bot.access.links import Links, link_keys
from bot.access.models import Principal, Role
from bot.attachments.models import FileKind
from bot.case.models import EventKind, MeasureKind, NewReport, Reporter
from bot.case.queries import CaseFilter, Search, View, Visibility
from bot.events import Actor
from bot.manager.models import Invitee
from bot.measures.models import Plan
from bot.ui import Message
from storage.database import Database
from storage.migrate import upgrade
from storage.models import Base, CaseRow, WebEntryRow, WebMemberRow
from storage.rotation import Rotation
from storage.sealing import Sealer, new_key
from storage.search_index import Hashes

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
REPORTER = Reporter("slack", "U0ROTATE", "Sanne Sleutel")
HANDLER = "slack:U0HANDLER"
MANAGER = Invitee("email:chef@example.org", "Chef Sleutel")
CHAT = Actor("slack", "U0LINKED")
PRINCIPAL = Principal("sub-rotate", "Jan Jansen", frozenset({Role.COORDINATOR}))
DRAFT = "draft:slack:U0ROTATE"
ADDRESS = "user:29:rotate"
WEB_PERSON = "u0webrotate"


@dataclass
class Made:
    case_id: int
    reference: str


def _database(url: str, keys: str) -> Database:
    return Database(url, Sealer(keys), lambda: NOW)


def _links(database: Database, keys: str) -> Links:
    return Links(database, lambda: NOW, link_keys(keys))


async def _fill(database: Database, keys: str) -> Made:
    """One of every kind of row that holds a sealed value or a keyed hash."""
    async with database.transaction() as tx:
        case = await tx.cases.create(
            NewReport("De klant dreigde met een schaar", location="Balie 3"), REPORTER, "slack", NOW
        )
        case.handler_id, case.handler_name = HANDLER, "Jan Jansen"
        await tx.cases.save(case)
        await tx.cases.add_event(case, EventKind.NOTE, NOW, text="schaar gezien", actor_name="Jan")
        await tx.cases.restrict(case.id, frozenset({HANDLER}))
        measure = await tx.measures.advise(
            case.id, Plan(MeasureKind.ORDER_TALK, "Chef"), "Jan", NOW
        )
        await tx.invitations.add(case.id, measure.id, MANAGER, "gedeeld", "Jan", NOW)
        held = await tx.attachments.hold("foto.png", FileKind.PNG, b"\x89PNG bytes", NOW)
        await tx.attachments.attach(case.id, [held])
        await tx.audit.record(HANDLER, "open", NOW, actor_name="Jan", case_id=case.id)
        await tx.dialogs.put(DRAFT, {"narrative": "concept"}, NOW + timedelta(days=1))
    await database.remember("teams", ADDRESS, {"conversation": "a:1"})
    links = _links(database, keys)
    await links.signed_in(PRINCIPAL, also=CHAT)
    web_chat = Conversations(["balie"], database.web_history())
    await web_chat.append(f"dm:{WEB_PERSON}", Message("Mijn melding"), author_name="Sanne")
    await web_chat.join("balie", WEB_PERSON)
    return Made(case.id, case.reference)


async def _found_everything(database: Database, keys: str, made: Made) -> None:
    """Every look-up by a keyed hash finds its row."""
    async with database.transaction() as tx:
        [mine] = await tx.cases.open_for_reporter(REPORTER)
        listed = await tx.queries.search(
            Search(
                CaseFilter(view=View.MINE),
                Visibility(True, False, frozenset({HANDLER})),
                NOW,
                10,
                handlers=frozenset({HANDLER}),
                words=("schaar",),
            )
        )
        invitations = await tx.invitations.of_manager([MANAGER.key])
        draft = await tx.dialogs.get(DRAFT, NOW)
        audit = await tx.audit.of_actor(HANDLER)
        case = await tx.cases.get(made.case_id)
    assert mine.id == made.case_id and mine.reporter == REPORTER
    assert [summary.id for summary in listed] == [made.case_id], "mine, restricted, by word"
    assert [invitation.manager for invitation in invitations] == [MANAGER]
    assert draft == {"narrative": "concept"}
    assert [entry.actor for entry in audit] == [HANDLER]
    assert case is not None and case.handler_name == "Jan Jansen"
    assert await database.recall("teams", ADDRESS) == {"conversation": "a:1"}
    links = _links(database, keys)
    assert await links.principal_for(CHAT) == PRINCIPAL
    assert await links.principal_of(PRINCIPAL.subject) == PRINCIPAL
    assert [actor.key for actor in await links.chats(PRINCIPAL)] == [CHAT.key]
    web_chat = Conversations(["balie"], database.web_history())
    await web_chat.load()
    assert [e.message.summary for e in web_chat] == ["Mijn melding"]
    assert web_chat.members("balie") == (WEB_PERSON,)
    hashes = Hashes(Sealer(keys))  # an erasure finds them by these (storage/privacy.py)
    async with database.engine.connect() as connection:
        found = await connection.scalar(
            select(func.count())
            .select_from(WebEntryRow)
            .where(WebEntryRow.conversation_hash.in_(hashes.webs(f"dm:{WEB_PERSON}")))
        )
        member = await connection.scalar(
            select(func.count())
            .select_from(WebMemberRow)
            .where(WebMemberRow.person_hash.in_(hashes.webs(WEB_PERSON)))
        )
    assert (found, member) == (1, 1)


async def _every_sealed_value_opens(database: Database, sealer: Sealer) -> int:
    """Opens every ``*_sealed`` value of every table (as tests/privacy.py scans them)."""
    opened = 0
    async with database.engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            for column in [c for c in table.columns if c.name.endswith("_sealed")]:
                for (value,) in await connection.execute(select(column).where(column.is_not(None))):
                    if isinstance(value, bytes):
                        sealer.unseal_bytes(value)
                    else:
                        sealer.unseal(value)
                    opened += 1
    return opened


async def _rotated(url: str, old: str) -> tuple[str, Database]:
    new = new_key()
    both = f"{new},{old}"
    return both, _database(url, both)


async def test_after_rotating_the_old_key_goes_and_everything_opens_and_is_found(
    database_url: str,
) -> None:
    old = new_key()
    first = _database(database_url, old)
    await upgrade(first.engine)
    made = await _fill(first, old)
    await first.close()

    both, during = await _rotated(database_url, old)
    await _found_everything(during, both, made)  # a new key first: the old hashes still count
    counts = await Rotation(during, Sealer(both)).run()
    assert counts.resealed > 10 and counts.rehashed == 9 and counts.reindexed == 1
    again = await Rotation(during, Sealer(both)).run()
    assert (again.resealed, again.rehashed) == (0, 0), "a second run finds everything current"
    await during.close()

    new = both.split(",")[0]
    after = _database(database_url, new)
    assert await _every_sealed_value_opens(after, Sealer(new)) >= 20
    await _found_everything(after, new, made)
    await after.close()


async def test_an_interrupted_rotation_resumes(database_url: str) -> None:
    old = new_key()
    first = _database(database_url, old)
    await upgrade(first.engine)
    made = await _fill(first, old)
    async with first.transaction() as tx:  # more rows than one batch
        for number in range(7):
            await tx.audit.record(f"slack:U{number}", "read", NOW, case_id=made.case_id)
    await first.close()
    both, during = await _rotated(database_url, old)

    class Killed(Exception):
        pass

    class Interrupted(Rotation):
        batches = 0

        async def rows(self, table: Any, rows: list[dict[str, Any]]) -> int:
            if table.name == "audit_log" and Interrupted.batches == 2:
                raise Killed
            changed = await super().rows(table, rows)
            Interrupted.batches += table.name == "audit_log"
            return changed

    with pytest.raises(Killed):
        await Interrupted(during, Sealer(both), batch=3).run()
    resumed = await Rotation(during, Sealer(both), batch=3).run()
    assert resumed.current >= 6, "the audit rows of the first two batches were done"
    assert resumed.tables["audit_log"] == 2, "only the rest of the audit log"
    await during.close()

    new = both.split(",")[0]
    after = _database(database_url, new)
    await _every_sealed_value_opens(after, Sealer(new))
    await _found_everything(after, new, made)
    await after.close()


async def test_a_row_meldbot_changes_meanwhile_is_not_overwritten(database_url: str) -> None:
    old = new_key()
    first = _database(database_url, old)
    await upgrade(first.engine)
    made = await _fill(first, old)
    await first.close()
    both, during = await _rotated(database_url, old)
    rotation = Rotation(during, Sealer(both))
    cases = Base.metadata.tables["cases"]
    columns = [cases.c.id, *[c for c in cases.columns if c.name.endswith("_sealed")]]
    columns += [cases.c.reporter_hash, cases.c.handler_hash]
    async with during.engine.connect() as connection:
        read = [dict(row._mapping) for row in await connection.execute(select(*columns))]

    async with during.transaction() as tx:  # meldbot hands the case over meanwhile
        case = await tx.cases.get(made.case_id, for_update=True)
        assert case is not None
        case.handler_id, case.handler_name = "slack:U0OTHER", "Piet Pieters"
        await tx.cases.save(case)

    assert await rotation.rows(cases, read) == 1, "the row changed since it was read"
    async with during.transaction() as tx:
        case = await tx.cases.get(made.case_id)
    assert case is not None and (case.handler_id, case.handler_name) == (
        "slack:U0OTHER",
        "Piet Pieters",
    )
    await rotation.run()
    async with during.engine.connect() as connection:
        narrative = await connection.scalar(select(CaseRow.narrative_sealed))
    assert narrative is not None and Sealer(both.split(",")[0]).is_current(narrative)
    await during.close()


async def test_the_audit_log_stays_append_only_after_a_rotation(database_url: str) -> None:
    old = new_key()
    first = _database(database_url, old)
    await upgrade(first.engine)
    await _fill(first, old)
    await first.close()
    both, during = await _rotated(database_url, old)
    await Rotation(during, Sealer(both)).run()
    with pytest.raises(Exception, match="append-only"):
        async with during.engine.begin() as connection:
            await connection.execute(text("UPDATE audit_log SET action = 'x'"))
    await during.close()
