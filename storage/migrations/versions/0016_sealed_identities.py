"""sealed identities: reporters, handlers, answerers, audit actors, dialog and address keys

The plain identifiers become sealed columns, with a keyed hash where something looks them
up. Existing rows are converted, so the sealing key is needed when there are any: the
one meldbot runs with (handed in by ``storage.migrate.upgrade``), else MELDBOT_SEAL_KEY,
else the embedded default's key file (``seal.key`` in MELDBOT_DATA_DIR, ``var``).

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-01 21:00:00
"""

import hashlib
import hmac
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from storage.sealing import Sealer

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The purposes of storage/search_index.py as of this revision.
PEOPLE = b"people a restricted case is for"
DIALOGS = b"conversation states"
ADDRESSES = b"platform addresses"

NO_KEY = (
    "migration 0016 seals the identifiers already stored and needs the sealing key: set "
    "MELDBOT_SEAL_KEY (or keep seal.key in MELDBOT_DATA_DIR) and run it again."
)

APPEND_ONLY_SQLITE = (
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT ((NEW.case_id IS NULL OR NEW.case_id = OLD.case_id)
        AND (NEW.consultation_id IS NULL OR NEW.consultation_id = OLD.consultation_id)
        AND NEW.id = OLD.id AND NEW.reference IS OLD.reference
        AND NEW.actor_hash IS OLD.actor_hash AND NEW.actor_sealed IS OLD.actor_sealed
        AND NEW.actor_name_sealed IS OLD.actor_name_sealed AND NEW.action IS OLD.action
        AND NEW.detail IS OLD.detail AND NEW.at IS OLD.at)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END""",
)
APPEND_ONLY_SQLITE_0009 = (
    APPEND_ONLY_SQLITE[0],
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT ((NEW.case_id IS NULL OR NEW.case_id = OLD.case_id)
        AND (NEW.consultation_id IS NULL OR NEW.consultation_id = OLD.consultation_id)
        AND NEW.id = OLD.id AND NEW.reference IS OLD.reference AND NEW.actor IS OLD.actor
        AND NEW.actor_name IS OLD.actor_name AND NEW.action IS OLD.action
        AND NEW.detail IS OLD.detail AND NEW.at IS OLD.at)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END""",
)
PG_TRIGGERS = (
    "audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW",
    "audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT",
)


class Keys:
    """The sealer and the keyed hashes, made only when a row needs them."""

    def __init__(self) -> None:
        self._sealer: Sealer | None = None

    @property
    def sealer(self) -> Sealer:
        if self._sealer is None:
            key = _seal_key()
            if not key:
                raise RuntimeError(NO_KEY)
            self._sealer = Sealer(key)
        return self._sealer

    def seal(self, text: str | None) -> str | None:
        return None if text is None else self.sealer.seal(text)

    def unseal(self, token: str | None) -> str | None:
        return None if token is None else self.sealer.unseal(token)

    def hash(self, purpose: bytes, text: str | None) -> str | None:
        if text is None:
            return None
        key = self.sealer.derived_key(purpose)
        return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def _seal_key() -> str | None:
    given = context.config.attributes.get("seal_key") or os.environ.get("MELDBOT_SEAL_KEY")
    if given:
        return str(given)
    path = Path(os.environ.get("MELDBOT_DATA_DIR", "var")) / "seal.key"
    return path.read_text().strip() if path.exists() else None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _drop_column(table: str, column: str) -> None:
    # Plain SQL on both (SQLite ≥ 3.35): a batch copy of ``cases`` would lose the
    # partial indexes of the lists.
    op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")


def _convert(
    table: str, key: str, read: Sequence[str], write: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """Each row that holds a value in ``read`` gets ``write(row)``'s values."""
    bind = op.get_bind()
    rows_of = sa.table(table, *(sa.column(name) for name in (key, *read)))
    held = sa.or_(*(rows_of.c[name].is_not(None) for name in read))
    for row in bind.execute(sa.select(rows_of).where(held)).mappings().all():
        values = write(dict(row))
        target = sa.table(table, sa.column(key), *(sa.column(name) for name in values))
        bind.execute(sa.update(target).where(target.c[key] == row[key]).values(values))


def _audit_triggers_off() -> None:
    if _postgresql():
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")


def _audit_triggers_on(sqlite: Sequence[str]) -> None:
    if _postgresql():
        for trigger in PG_TRIGGERS:
            op.execute(f"CREATE TRIGGER {trigger} EXECUTE FUNCTION audit_log_append_only()")
    else:
        for statement in sqlite:
            op.execute(statement)


def _keyed_table(name: str, keys: Sequence[sa.Column[Any]], *rest: sa.Column[Any]) -> None:
    op.create_table(
        name,
        *keys,
        *rest,
        sa.PrimaryKeyConstraint(*(key.name for key in keys), name=f"pk_{name}"),
    )


def _rebuild_dialogs_and_addresses(keys: Keys, *, sealed: bool) -> None:
    """Both tables are rewritten whole (their primary key changes); their rows are few."""
    bind = op.get_bind()
    dialogs = bind.execute(sa.text("SELECT * FROM dialog_states")).mappings().all()
    addresses = bind.execute(sa.text("SELECT * FROM platform_addresses")).mappings().all()
    op.drop_index("ix_dialog_states_expires_at", table_name="dialog_states")
    op.drop_table("dialog_states")
    op.drop_index("ix_platform_addresses_seen_on", table_name="platform_addresses")
    op.drop_table("platform_addresses")
    if sealed:
        dialog_key = [
            sa.Column("key_hash", sa.String(64), nullable=False),
            sa.Column("key_sealed", sa.Text(), nullable=False),
        ]
        address_key = [
            sa.Column("platform", sa.String(10), nullable=False),
            sa.Column("key_hash", sa.String(64), nullable=False),
            sa.Column("key_sealed", sa.Text(), nullable=False),
        ]
    else:
        dialog_key = [sa.Column("key", sa.String(200), nullable=False)]
        address_key = [
            sa.Column("platform", sa.String(10), nullable=False),
            sa.Column("key", sa.String(300), nullable=False),
        ]
    _keyed_table(
        "dialog_states",
        dialog_key[:1],
        *dialog_key[1:],
        sa.Column("state_sealed", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_dialog_states_expires_at", "dialog_states", ["expires_at"])
    _keyed_table(
        "platform_addresses",
        address_key[:2],
        *address_key[2:],
        sa.Column("reference_sealed", sa.Text(), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
    )
    op.create_index("ix_platform_addresses_seen_on", "platform_addresses", ["seen_on"])
    for row in dialogs:
        key = _key_of(keys, row, sealed=not sealed)
        values = {"state_sealed": row["state_sealed"], "expires_at": row["expires_at"]}
        values |= (
            {"key_hash": keys.hash(DIALOGS, key), "key_sealed": keys.seal(key)}
            if sealed
            else {"key": key}
        )
        _insert("dialog_states", values)
    for row in addresses:
        key = _key_of(keys, row, sealed=not sealed)
        values = {
            "platform": row["platform"],
            "reference_sealed": row["reference_sealed"],
            "seen_on": row["seen_on"],
        }
        values |= (
            {"key_hash": keys.hash(ADDRESSES, key), "key_sealed": keys.seal(key)}
            if sealed
            else {"key": key}
        )
        _insert("platform_addresses", values)


def _key_of(keys: Keys, row: Any, *, sealed: bool) -> str:
    return (keys.unseal(row["key_sealed"]) if sealed else row["key"]) or ""


def _insert(table: str, values: dict[str, Any]) -> None:
    target = sa.table(table, *(sa.column(name) for name in values))
    op.get_bind().execute(sa.insert(target).values(values))


def upgrade() -> None:
    keys = Keys()
    for column in ("reporter_hash", "handler_hash"):
        op.add_column("cases", sa.Column(column, sa.String(64), nullable=True))
    for column in ("reporter_sealed", "handler_sealed", "handler_name_sealed"):
        op.add_column("cases", sa.Column(column, sa.Text(), nullable=True))

    def case(row: dict[str, Any]) -> dict[str, Any]:
        reporter = None
        if row["reporter_platform"] and row["reporter_user_id"]:
            reporter = f"{row['reporter_platform']}:{row['reporter_user_id']}"
        return {
            "reporter_hash": keys.hash(PEOPLE, reporter),
            "reporter_sealed": keys.seal(reporter),
            "handler_hash": keys.hash(PEOPLE, row["handler_id"]),
            "handler_sealed": keys.seal(row["handler_id"]),
            "handler_name_sealed": keys.seal(row["handler_name"]),
        }

    plain = ("reporter_platform", "reporter_user_id", "handler_id", "handler_name")
    _convert("cases", "id", plain, case)
    op.drop_index("ix_cases_reporter_user_id", table_name="cases")
    op.drop_index("ix_cases_handler", table_name="cases")
    for column in plain:
        _drop_column("cases", column)
    op.create_index("ix_cases_reporter_hash", "cases", ["reporter_hash"])
    op.create_index("ix_cases_handler", "cases", ["handler_hash", "id"])

    op.add_column("consultations", sa.Column("answered_by_sealed", sa.Text(), nullable=True))
    _convert(
        "consultations",
        "id",
        ["answered_by"],
        lambda row: {"answered_by_sealed": keys.seal(row["answered_by"])},
    )
    _drop_column("consultations", "answered_by")

    # The audit log is append-only: its triggers step aside for this one conversion.
    _audit_triggers_off()
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("actor_hash", sa.String(64), nullable=True))
        batch.add_column(sa.Column("actor_sealed", sa.Text(), nullable=True))
        batch.add_column(sa.Column("actor_name_sealed", sa.Text(), nullable=True))

    def audit(row: dict[str, Any]) -> dict[str, Any]:
        return {
            "actor_hash": keys.hash(PEOPLE, row["actor"]),
            "actor_sealed": keys.seal(row["actor"]),
            "actor_name_sealed": keys.seal(row["actor_name"]),
        }

    _convert("audit_log", "id", ["actor", "actor_name"], audit)
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("actor_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("actor_sealed", existing_type=sa.Text(), nullable=False)
        batch.drop_column("actor")
        batch.drop_column("actor_name")
        batch.create_index("ix_audit_log_actor_hash", ["actor_hash"])
    _audit_triggers_on(APPEND_ONLY_SQLITE)

    _rebuild_dialogs_and_addresses(keys, sealed=True)


def downgrade() -> None:
    keys = Keys()
    _rebuild_dialogs_and_addresses(keys, sealed=False)

    _audit_triggers_off()
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("actor", sa.String(200), nullable=True))
        batch.add_column(sa.Column("actor_name", sa.String(200), nullable=True))
    _convert(
        "audit_log",
        "id",
        ["actor_sealed", "actor_name_sealed"],
        lambda row: {
            "actor": keys.unseal(row["actor_sealed"]),
            "actor_name": keys.unseal(row["actor_name_sealed"]),
        },
    )
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("actor", existing_type=sa.String(200), nullable=False)
        batch.drop_index("ix_audit_log_actor_hash")
        for column in ("actor_hash", "actor_sealed", "actor_name_sealed"):
            batch.drop_column(column)
    _audit_triggers_on(APPEND_ONLY_SQLITE_0009)

    op.add_column("consultations", sa.Column("answered_by", sa.String(200), nullable=True))
    _convert(
        "consultations",
        "id",
        ["answered_by_sealed"],
        lambda row: {"answered_by": keys.unseal(row["answered_by_sealed"])},
    )
    _drop_column("consultations", "answered_by_sealed")

    op.add_column("cases", sa.Column("reporter_platform", sa.String(10), nullable=True))
    op.add_column("cases", sa.Column("reporter_user_id", sa.String(100), nullable=True))
    op.add_column("cases", sa.Column("handler_id", sa.String(100), nullable=True))
    op.add_column("cases", sa.Column("handler_name", sa.String(200), nullable=True))

    def case(row: dict[str, Any]) -> dict[str, Any]:
        reporter = keys.unseal(row["reporter_sealed"])
        platform, _, user_id = (reporter or "").partition(":")
        return {
            "reporter_platform": platform or None,
            "reporter_user_id": user_id or None,
            "handler_id": keys.unseal(row["handler_sealed"]),
            "handler_name": keys.unseal(row["handler_name_sealed"]),
        }

    sealed = ("reporter_sealed", "handler_sealed", "handler_name_sealed")
    _convert("cases", "id", sealed, case)
    op.drop_index("ix_cases_reporter_hash", table_name="cases")
    op.drop_index("ix_cases_handler", table_name="cases")
    for column in ("reporter_hash", *sealed, "handler_hash"):
        _drop_column("cases", column)
    op.create_index("ix_cases_reporter_user_id", "cases", ["reporter_user_id"])
    op.create_index("ix_cases_handler", "cases", ["handler_id", "id"])
