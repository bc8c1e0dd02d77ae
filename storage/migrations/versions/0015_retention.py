"""retention: the tombstone's columns, a case's warning and extension, the destruction
list, and the audit log's own retention on PostgreSQL

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As 0009's, with one way through: the retention sets ``meldbot.audit_before`` for its own
# transaction (set_config(..., true)) and may then delete the entries older than that.
APPEND_ONLY_PG = """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
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
    IF TG_OP = 'DELETE'
       AND OLD.at < NULLIF(current_setting('meldbot.audit_before', true), '')::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$"""

APPEND_ONLY_PG_0009 = """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.case_id IS NULL OR NEW.case_id = OLD.case_id)
           AND (NEW.consultation_id IS NULL OR NEW.consultation_id = OLD.consultation_id)
           AND (to_jsonb(NEW) - 'case_id' - 'consultation_id')
               = (to_jsonb(OLD) - 'case_id' - 'consultation_id') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$"""


def upgrade() -> None:
    # Plain ADD COLUMNs: rebuilding ``cases`` on SQLite would cascade-delete its children.
    for column in ("purged_at", "purged_contact_at", "purged_reaction_at"):
        op.add_column("cases", sa.Column(column, sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "case_retention",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("warned_due", sa.DateTime(timezone=True), nullable=True),
        sa.Column("extended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason_sealed", sa.Text(), nullable=True),
        sa.Column("extended_by_sealed", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_retention_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_case_retention")),
    )
    op.create_table(
        "destroyed_cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=40), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("rule", sa.String(length=100), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purged_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_destroyed_cases")),
        sa.UniqueConstraint("reference", name=op.f("uq_destroyed_cases_reference")),
    )
    op.create_index(op.f("ix_destroyed_cases_purged_at"), "destroyed_cases", ["purged_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_PG)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY_PG_0009)
    op.drop_index(op.f("ix_destroyed_cases_purged_at"), table_name="destroyed_cases")
    op.drop_table("destroyed_cases")
    op.drop_table("case_retention")
    for column in ("purged_reaction_at", "purged_contact_at", "purged_at"):
        op.drop_column("cases", column)
