"""The web chat's history on SQLite and PostgreSQL: what the conversations showed comes
back after a restart, in order, with its files, threads, edits and team members; what
was removed or trimmed stays gone; everything is sealed; an anonymous visitor leaves no row."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from adapters.web import store
from adapters.web.messenger import WebMessenger
from adapters.web.store import Attachment, Conversations
from bot.events import Address
from bot.ports import DeliveryError
from bot.ui import Actions, Button, Facts, Link, Message, Quote, Strong, Text
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, new_key
from tests.privacy import bytes_holding, raw_database_bytes, tables_holding

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
STORY = "Een bezoeker dreigde Kees Verhoeven-Balie met een schaar bij loket zeven"
PERSON = "u93kees7x"
NAME = "Kees Verhoeven-Balie"
PNG = b"\x89PNG\r\n\x1a\n" + b"beeld-van-de-balie" * 20


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db
    await db.close()


async def restarted(database: Database) -> Conversations:
    """A new process's conversations on the same database."""
    conversations = Conversations(["balie"], database.web_history())
    await conversations.load()
    return conversations


def card(reference: str) -> Message:
    return Message(
        f"Nieuwe melding {reference}",
        (
            Text.of(Strong("Nieuwe melding"), " ", Link("https://meldbot.example/z/1", "open")),
            Facts((("Referentie", reference), ("Status", "Nieuw"))),
            Quote(STORY),
            Actions((Button("Oppakken", "case.claim", "1", "primary"),)),
        ),
    )


async def test_everything_shown_comes_back_after_a_restart(database: Database) -> None:
    before = await restarted(database)
    told: list[object] = []
    before.listen(told.append)
    root = await before.append("coordinators", card("M-2026-0001"))
    reply = await before.append("coordinators", Message("Ik bel haar"), thread=root.id)
    dm = f"dm:{PERSON}"
    mine = await before.append(dm, Message(STORY), author_kind="person", author_name=NAME)
    photo = Attachment("k3y", PNG, "image/png", "de balie", "balie.png")
    pictured = await before.append(dm, Message("Foto"), file=photo)
    await before.replace(root.id, card("M-2026-0001 · In behandeling"))
    assert await before.join("balie", PERSON)
    assert len(told) == 6

    after = await restarted(database)
    assert [e.id for e in after] == [root.id, reply.id, mine.id, pictured.id]
    assert after.get(root.id) == before.get(root.id), "message, blocks and buttons as shown"
    assert after.get(mine.id) == mine and after.get(reply.id) == reply
    assert after.file("k3y") == photo
    assert after.members("balie") == (PERSON,)
    fresh = await after.append("coordinators", Message("na de herstart"))
    assert fresh.id not in {root.id, reply.id, mine.id, pictured.id}
    assert fresh.seq > pictured.seq, "new messages come after the kept ones"


async def test_removed_trimmed_and_left_stay_gone(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store, "MAX_ROOTS_PER_CONVERSATION", 2)
    before = await restarted(database)
    messenger = WebMessenger(before, [], "eerder")
    first = await messenger.send(Address("web", "team"), Message("eerste"))
    await messenger.send(Address("web", "team", thread=first.message_id), Message("antwoord"))
    second = await messenger.send(Address("web", "team"), Message("tweede"))
    await messenger.send(Address("web", "team"), Message("derde"))  # trims the first
    await messenger.delete(second)  # a retraction
    await before.join("balie", PERSON)
    await before.leave("balie", PERSON)

    after = await restarted(database)
    assert [e.message.summary for e in after] == ["derde"]
    assert after.members("balie") == ()


async def test_anonymous_exchanges_and_visitors_are_never_kept(database: Database) -> None:
    before = await restarted(database)
    messenger = WebMessenger(before, [], "eerder")
    visitor = "anon-7f3kq9"
    with pytest.raises(DeliveryError) as refused:
        await messenger.send(await messenger.personal_address(visitor), Message(STORY))
    assert refused.value.permanent
    assert not await before.join("balie", visitor)
    await before.set_home(visitor, Message("Menu"))
    with pytest.raises(KeyError):
        await before.append("team", Message("alleen voor jou"), visible_to=visitor)
    shown = await before.append(f"dm:{PERSON}", Message("Je code", anonymous=True))
    kept = await before.append(f"dm:{PERSON}", Message("Menu"))
    await before.replace(kept.id, Message("Bedankt", anonymous=True))
    assert [e.id for e in before] == [shown.id, kept.id], "shown while meldbot runs"
    assert before.home(visitor) is None

    after = await restarted(database)
    assert list(after) == []
    stored = await tables_holding(database.engine, database._sealer, [visitor, PERSON])
    assert stored == {}
    async with database.engine.connect() as connection:
        for table in ("web_entries", "web_members"):
            assert await connection.scalar(text(f"SELECT count(*) FROM {table}")) == 0


async def test_what_people_wrote_is_sealed_at_rest(database: Database) -> None:
    conversations = await restarted(database)
    dm = f"dm:{PERSON}"
    await conversations.append(dm, Message(STORY), author_kind="person", author_name=NAME)
    await conversations.append(
        dm, Message("Foto"), file=Attachment("f1", PNG, "image/png", "de balie", "balie.png")
    )
    await conversations.join("balie", PERSON)
    found = await tables_holding(database.engine, database._sealer, [STORY, NAME, PERSON])
    assert set(found) == {
        "web_entries.conversation_sealed",
        "web_entries.content_sealed",
        "web_members.person_sealed",
    }, "found only where it is sealed"
    async with database.engine.connect() as connection:
        plain = " ".join(
            str(value)
            for row in await connection.execute(
                text("SELECT entry_id, conversation_hash, thread, file_key FROM web_entries")
            )
            for value in row
        )
    assert PERSON not in plain and "dm:" not in plain
    if database.engine.dialect.name == "sqlite":
        await database.checkpoint()
        raw = await raw_database_bytes(database.engine)
        assert bytes_holding(raw, [STORY, NAME, PERSON, "beeld-van-de-balie"]) == []


async def test_erasure_takes_a_persons_web_chat_away(database: Database) -> None:
    conversations = await restarted(database)
    await conversations.append(f"dm:{PERSON}", Message(STORY), author_kind="person")
    await conversations.join("balie", PERSON)
    other = await conversations.append("dm:ahmed", Message("van Ahmed"))
    async with database.transaction() as tx:
        await tx.persons.forget_chat_identity("web", PERSON, keep_address=False)
    after = await restarted(database)
    assert [e.id for e in after] == [other.id]
    assert after.members("balie") == ()
    assert await tables_holding(database.engine, database._sealer, [PERSON, STORY]) == {}
