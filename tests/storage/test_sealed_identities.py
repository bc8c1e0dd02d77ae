"""Migration 0016 seals the identifiers meldbot stored in plain text before it, and finds
them again by their keyed hashes; without the key it stops with one clear sentence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.case.models import Reporter
from bot.case.queries import CaseFilter, Search, View, Visibility
from storage.database import Database
from storage.migrate import alembic_config, upgrade
from storage.sealing import Sealer, new_key
from tests.privacy import tables_holding

NOW = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
STAFF, HANDLER, ACTOR = "U0STAFFMIG", "U0HANDLERMIG", "U0ACTORMIG"
NAMES = ["Jan Migratie", "Els Antwoord", "Piet Auditeur"]

CASE = (
    "INSERT INTO cases (reference, year, sequence, status, urgency, narrative_sealed, "
    "wants_feedback, language, coordination_platform, created_at, updated_at, version, "
    "aftercare, self_harm, addressee, reporter_platform, reporter_user_id, handler_id, "
    "handler_name) VALUES ('M-2026-0001', 2026, 1, 'in_progress', 'normal', :story, true, 'nl', "
    "'slack', :at, :at, 1, false, false, 'meldpunt', 'slack', :staff, :handler, :name)"
)


async def _old_rows(database: Database, sealer: Sealer) -> None:
    sqlite = database.engine.dialect.name == "sqlite"
    at = NOW.replace(tzinfo=None) if sqlite else NOW
    later = (NOW + timedelta(days=1)).replace(tzinfo=None) if sqlite else NOW + timedelta(days=1)
    async with database.engine.begin() as connection:
        run = connection.execute
        await run(
            text(CASE),
            {
                "story": sealer.seal("Melding van voor 0016"),
                "at": at,
                "staff": STAFF,
                "handler": f"slack:{HANDLER}",
                "name": NAMES[0],
            },
        )
        await run(
            text(
                "INSERT INTO consultations (status, language, coordination_platform, "
                "answered_by, created_at, updated_at) VALUES ('open', 'nl', 'slack', :by, :at, :at)"
            ),
            {"by": NAMES[1], "at": at},
        )
        await run(
            text(
                "INSERT INTO audit_log (case_id, reference, actor, actor_name, action, at) "
                "VALUES (1, 'M-2026-0001', :actor, :name, 'read', :at)"
            ),
            {"actor": f"slack:{ACTOR}", "name": NAMES[2], "at": at},
        )
        await run(
            text("INSERT INTO dialog_states VALUES (:key, :state, :until)"),
            {"key": f"draft:slack:{STAFF}", "state": sealer.seal_json({"n": 1}), "until": later},
        )
        await run(
            text("INSERT INTO platform_addresses VALUES ('teams', :key, :ref, :on)"),
            {"key": f"user:{STAFF}", "ref": sealer.seal_json({"c": "a:1"}), "on": NOW.date()},
        )


async def test_0016_seals_what_was_plain_and_finds_it_by_its_hash(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MELDBOT_SEAL_KEY", raising=False)
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path / "nowhere"))
    key = new_key()
    sealer = Sealer(key)
    database = Database(database_url, sealer, lambda: NOW)
    await upgrade(database.engine, "0014")
    await _old_rows(database, sealer)

    with pytest.raises(RuntimeError, match="needs the sealing key: set MELDBOT_SEAL_KEY"):
        await upgrade(database.engine)
    (tmp_path / "nowhere").mkdir()
    (tmp_path / "nowhere" / "seal.key").write_text(key)  # the embedded default's key file
    await upgrade(database.engine)

    held = await tables_holding(database.engine, sealer, [STAFF, HANDLER, ACTOR, *NAMES])
    assert all(column.endswith("_sealed") for column in held), held
    async with database.transaction() as tx:
        [case] = await tx.cases.open_for_reporter(Reporter("slack", STAFF))
        mine = await tx.queries.search(
            Search(
                CaseFilter(view=View.MINE),
                Visibility(True, False, frozenset()),
                NOW,
                10,
                handlers=frozenset({f"slack:{HANDLER}"}),
            )
        )
        consultation = await tx.consultations.get(1)
        [entry] = await tx.audit.of_actor(f"slack:{ACTOR}")
        draft = await tx.dialogs.get(f"draft:slack:{STAFF}", NOW)
    assert (case.handler_id, case.handler_name) == (f"slack:{HANDLER}", NAMES[0])
    assert [summary.reference for summary in mine] == ["M-2026-0001"]
    assert consultation is not None and consultation.answered_by == NAMES[1]
    assert entry.actor_name == NAMES[2] and draft == {"n": 1}
    assert await database.recall("teams", f"user:{STAFF}") == {"c": "a:1"}
    await database.close()


async def test_0016_needs_no_key_for_an_empty_database(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MELDBOT_SEAL_KEY", raising=False)
    monkeypatch.setenv("MELDBOT_DATA_DIR", str(tmp_path))
    database = Database(database_url, Sealer(new_key()), lambda: NOW)
    await upgrade(database.engine)
    async with database.engine.connect() as connection:
        version = await connection.scalar(text("SELECT version_num FROM alembic_version"))
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert version == head  # through 0016 and on, with nothing to seal
    await database.close()


async def _downgrade(database: Database, revision: str) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with database.engine.begin() as connection:
        await connection.run_sync(run)


async def test_0016_goes_back_to_the_plain_columns(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = new_key()
    monkeypatch.setenv("MELDBOT_SEAL_KEY", key)
    sealer = Sealer(key)
    database = Database(database_url, sealer, lambda: NOW)
    await upgrade(database.engine, "0014")
    await _old_rows(database, sealer)
    await upgrade(database.engine)
    await _downgrade(database, "0014")
    async with database.engine.connect() as connection:
        run = connection.execute
        case = (
            await run(text("SELECT reporter_user_id, handler_id, handler_name FROM cases"))
        ).one()
        actor = (await run(text("SELECT actor, actor_name FROM audit_log"))).one()
        answered = await connection.scalar(text("SELECT answered_by FROM consultations"))
        dialog = await connection.scalar(text("SELECT key FROM dialog_states"))
        address = await connection.scalar(text("SELECT key FROM platform_addresses"))
    assert tuple(case) == (STAFF, f"slack:{HANDLER}", NAMES[0])
    assert tuple(actor) == (f"slack:{ACTOR}", NAMES[2]) and answered == NAMES[1]
    assert (dialog, address) == (f"draft:slack:{STAFF}", f"user:{STAFF}")
    await upgrade(database.engine)  # and forward again
    async with database.transaction() as tx:
        assert len(await tx.cases.open_for_reporter(Reporter("slack", STAFF))) == 1
    await database.close()
