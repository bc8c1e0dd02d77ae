"""Attachments at rest, on SQLite and PostgreSQL: sealed bytes and names, held or a case's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from bot.attachments.models import FileKind
from bot.case.models import NewReport
from storage.database import Database
from storage.migrate import upgrade
from storage.sealing import Sealer, SealError, new_key
from tests import files

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
PHOTO = files.image("JPEG", size=(64, 48), colour="purple")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(db.engine)
    yield db
    await db.close()


async def test_the_bytes_and_the_name_are_sealed_at_rest(database: Database) -> None:
    async with database.transaction() as tx:
        held = await tx.attachments.hold("dreigbrief-aan-Sanne.jpg", FileKind.JPEG, PHOTO, NOW)
    async with database.engine.connect() as connection:
        [row] = (await connection.execute(text("SELECT * FROM attachments"))).mappings().all()
    stored = bytes(row["content_sealed"])
    assert PHOTO not in stored and PHOTO[20:60] not in stored
    assert "Sanne" not in repr(dict(row))
    assert row["content_type"] == "image/jpeg" and row["size"] == len(PHOTO)
    async with database.transaction() as tx:
        opened = await tx.attachments.get(held)
    assert opened is not None and opened.content == PHOTO
    assert opened.name == "dreigbrief-aan-Sanne.jpg" and opened.case_id is None


async def test_held_files_are_purged_and_a_cases_files_stay(database: Database) -> None:
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("melding"), None, "web", NOW)
        old = await tx.attachments.hold("oud.pdf", FileKind.PDF, files.PDF, NOW)
        attached = await tx.attachments.hold("zaak.png", FileKind.PNG, files.PNG, NOW)
        fresh = await tx.attachments.hold("nieuw.gif", FileKind.GIF, files.GIF, NOW)
        assert await tx.attachments.attach(case.id, [attached, 999_999]) == [attached]
        await tx.attachments.renew([fresh], NOW + timedelta(hours=23))
    async with database.transaction() as tx:
        assert await tx.attachments.purge_held(NOW + timedelta(hours=1)) == 1
    async with database.transaction() as tx:
        assert await tx.attachments.get(old) is None
        assert await tx.attachments.get(fresh) is not None
        [info] = await tx.attachments.of_case(case.id)
    assert (info.id, info.name, info.kind, info.case_id) == (attached, "zaak.png", "png", case.id)


async def test_deleting_a_case_deletes_its_files_and_their_outbox_rows(
    database: Database,
) -> None:
    async with database.transaction() as tx:
        case = await tx.cases.create(NewReport("melding"), None, "web", NOW)
        held = await tx.attachments.hold("foto.png", FileKind.PNG, files.PNG, NOW)
        await tx.attachments.attach(case.id, [held])
        await tx.outbox.enqueue("case.attachment", case_id=case.id, attachment_id=held)
        claimed = await tx.outbox.claim(NOW, NOW + timedelta(minutes=1), 10)
        assert [(n.kind, n.attachment_id) for n in claimed] == [("case.attachment", held)]
    async with database.engine.begin() as connection:
        await connection.execute(text("DELETE FROM cases"))
    async with database.engine.connect() as connection:
        for table in ("attachments", "outbox"):
            count = await connection.scalar(text(f"SELECT count(*) FROM {table}"))
            assert count == 0, table


def test_sealed_files_open_after_a_key_rotation_and_not_with_a_stranger() -> None:
    old, new = new_key(), new_key()
    token = Sealer(old).seal_bytes(PHOTO)
    assert Sealer(f"{new},{old}").unseal_bytes(token) == PHOTO
    assert len(token) < len(PHOTO) * 1.1 + 100, "no base64 on top of the encryption"
    with pytest.raises(SealError):
        Sealer(new).unseal_bytes(token)
