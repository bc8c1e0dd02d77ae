"""console queries: case lists and clocks, the blind index, restricted cases, the audit log
kept append-only and beyond a case's deletion

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NOTHING_DUE = datetime(9999, 12, 31, tzinfo=UTC)
OPEN = sa.text("status <> 'closed'")
# The defaults meldbot shipped with: cases from before this revision get the promised
# first contact by them (their legal clocks are worked out at their next change).
FIRST_CONTACT, URGENT_CONTACT = timedelta(hours=24), timedelta(minutes=30)
CONTACT_EVENTS = ("claimed", "on_it", "called_back")

APPEND_ONLY_PG = (
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        -- A deleted case or consultation empties its foreign key; nothing else may change.
        IF (NEW.case_id IS NULL OR NEW.case_id = OLD.case_id)
           AND (NEW.consultation_id IS NULL OR NEW.consultation_id = OLD.consultation_id)
           AND (to_jsonb(NEW) - 'case_id' - 'consultation_id')
               = (to_jsonb(OLD) - 'case_id' - 'consultation_id') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$""",
    """CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
)

APPEND_ONLY_SQLITE = (
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT ((NEW.case_id IS NULL OR NEW.case_id = OLD.case_id)
        AND (NEW.consultation_id IS NULL OR NEW.consultation_id = OLD.consultation_id)
        AND NEW.id = OLD.id AND NEW.reference IS OLD.reference AND NEW.actor IS OLD.actor
        AND NEW.actor_name IS OLD.actor_name AND NEW.action IS OLD.action
        AND NEW.detail IS OLD.detail AND NEW.at IS OLD.at)
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END""",
)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _cases_table() -> sa.TableClause:
    return sa.table(
        "cases",
        sa.column("id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("urgency", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("due_at", sa.DateTime(timezone=True)),
        sa.column("first_contact_at", sa.DateTime(timezone=True)),
        sa.column("urgency_rank", sa.SmallInteger()),
    )


def _fill_clocks() -> None:
    bind = op.get_bind()
    cases = _cases_table()
    events = sa.table(
        "case_events",
        sa.column("case_id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    bind.execute(sa.update(cases).where(cases.c.urgency == "urgent").values(urgency_rank=0))
    contact = (
        sa.select(events.c.case_id, sa.func.min(events.c.created_at))
        .where(events.c.kind.in_(CONTACT_EVENTS))
        .group_by(events.c.case_id)
    )
    contacted = {case_id: _aware(moment) for case_id, moment in bind.execute(contact)}
    for case_id, moment in contacted.items():
        bind.execute(sa.update(cases).where(cases.c.id == case_id).values(first_contact_at=moment))
    still_waiting = sa.select(cases.c.id, cases.c.created_at, cases.c.urgency).where(
        cases.c.status != "closed"
    )
    for case_id, created, urgency in bind.execute(still_waiting).all():
        if case_id not in contacted:
            promise = URGENT_CONTACT if urgency == "urgent" else FIRST_CONTACT
            due = _aware(created) + promise
            bind.execute(sa.update(cases).where(cases.c.id == case_id).values(due_at=due))


def upgrade() -> None:
    # Plain ADD COLUMNs with defaults: rebuilding ``cases`` on SQLite would drop the table,
    # and with foreign keys on, that deletes every row pointing at it.
    sqlite = op.get_bind().dialect.name == "sqlite"
    nothing_due = "'9999-12-31 00:00:00.000000'" if sqlite else "'9999-12-31 00:00:00+00'"
    op.add_column(
        "cases",
        sa.Column(
            "due_at",
            sa.DateTime(timezone=True),
            nullable=False,
            server_default=sa.text(nothing_due),
        ),
    )
    op.add_column("cases", sa.Column("first_contact_at", sa.DateTime(timezone=True)))
    op.add_column(
        "cases",
        sa.Column("urgency_rank", sa.SmallInteger(), nullable=False, server_default="1"),
    )
    op.add_column(
        "cases", sa.Column("restricted", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    _fill_clocks()
    op.create_index("ix_cases_open", "cases", ["id"], postgresql_where=OPEN, sqlite_where=OPEN)
    op.create_index("ix_cases_category", "cases", ["category", "id"])
    op.create_index("ix_cases_handler", "cases", ["handler_id", "id"])
    op.create_index("ix_cases_year", "cases", ["year", "id"])
    op.create_index("ix_cases_priority", "cases", ["urgency_rank", "due_at", "id"])
    op.create_index(
        "ix_cases_open_priority",
        "cases",
        ["urgency_rank", "due_at", "id"],
        postgresql_where=OPEN,
        sqlite_where=OPEN,
    )
    op.create_index(
        "ix_cases_open_due", "cases", ["due_at"], postgresql_where=OPEN, sqlite_where=OPEN
    )

    op.create_table(
        "case_words",
        sa.Column("word", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_case_words_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("word", "case_id", name=op.f("pk_case_words")),
    )
    op.create_index(op.f("ix_case_words_case_id"), "case_words", ["case_id"])
    if not sqlite:
        # How often each word occurs, word by word: the planner walks the newest cases for
        # a common word and reads a rare word's few cases first, and must know which is which.
        op.execute("ALTER TABLE case_words ALTER COLUMN word SET STATISTICS 10000")
    op.create_table(
        "case_restrictions",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=64), nullable=False),
        sa.Column("person_sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_restrictions_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", "person", name=op.f("pk_case_restrictions")),
    )
    op.create_index(op.f("ix_case_restrictions_person"), "case_restrictions", ["person"])

    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("reference", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("actor_name", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("detail", sa.String(length=200), nullable=True))
        batch.drop_constraint("fk_audit_log_case_id_cases", type_="foreignkey")
        batch.create_foreign_key(
            "fk_audit_log_case_id_cases", "cases", ["case_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_audit_log_reference", ["reference"])
        batch.create_index("ix_audit_log_at", ["at"])
    op.execute(
        "UPDATE audit_log SET reference = "
        "(SELECT reference FROM cases WHERE cases.id = audit_log.case_id) "
        "WHERE case_id IS NOT NULL"
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    for statement in APPEND_ONLY_PG if postgresql else APPEND_ONLY_SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute("DROP TRIGGER audit_log_no_delete")
    # Entries of deleted cases cannot point at them again: 0007 kept none.
    op.execute("DELETE FROM audit_log WHERE case_id IS NULL AND consultation_id IS NULL")
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_index("ix_audit_log_at")
        batch.drop_index("ix_audit_log_reference")
        batch.drop_constraint("fk_audit_log_case_id_cases", type_="foreignkey")
        batch.create_foreign_key(
            "fk_audit_log_case_id_cases", "cases", ["case_id"], ["id"], ondelete="CASCADE"
        )
        batch.drop_column("detail")
        batch.drop_column("actor_name")
        batch.drop_column("reference")
    op.drop_index(op.f("ix_case_restrictions_person"), table_name="case_restrictions")
    op.drop_table("case_restrictions")
    op.drop_index(op.f("ix_case_words_case_id"), table_name="case_words")
    op.drop_table("case_words")
    for name in (
        "ix_cases_open_due",
        "ix_cases_open_priority",
        "ix_cases_priority",
        "ix_cases_year",
        "ix_cases_handler",
        "ix_cases_category",
        "ix_cases_open",
    ):
        op.drop_index(name, table_name="cases")
    for column in ("restricted", "urgency_rank", "first_contact_at", "due_at"):
        op.drop_column("cases", column)  # SQLite ≥ 3.35 drops a column in place
