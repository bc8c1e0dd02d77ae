"""consultations and receipts: anonymous consultations, anonymous reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(length=8), nullable=False),
        sa.Column("secret_hash", sa.String(length=200), nullable=False),
        sa.Column("contact_sealed", sa.Text(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipts")),
        sa.UniqueConstraint("pseudonym", name=op.f("uq_receipts_pseudonym")),
    )
    op.create_table(
        "consultations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("receipt_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("language", sa.String(length=5), nullable=False),
        sa.Column("coordination_platform", sa.String(length=10), nullable=False),
        sa.Column("answered_by", sa.String(length=200), nullable=True),
        sa.Column("alert_conversation", sa.String(length=200), nullable=True),
        sa.Column("alert_message_id", sa.String(length=200), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["receipt_id"],
            ["receipts.id"],
            name=op.f("fk_consultations_receipt_id_receipts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_consultations_case_id_cases"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultations")),
    )
    op.create_index(op.f("ix_consultations_receipt_id"), "consultations", ["receipt_id"])
    op.create_index(op.f("ix_consultations_status"), "consultations", ["status"])
    op.create_index(op.f("ix_consultations_updated_at"), "consultations", ["updated_at"])
    op.create_table(
        "consultation_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("consultation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("author_name_sealed", sa.Text(), nullable=True),
        sa.Column("text_sealed", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultation_id"],
            ["consultations.id"],
            name=op.f("fk_consultation_entries_consultation_id_consultations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_entries")),
    )
    op.create_index(
        op.f("ix_consultation_entries_consultation_id"),
        "consultation_entries",
        ["consultation_id"],
    )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("receipt_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_cases_receipt_id"), ["receipt_id"])
        batch.create_foreign_key(
            batch.f("fk_cases_receipt_id_receipts"),
            "receipts",
            ["receipt_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("consultation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("entry_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_outbox_consultation_id_consultations"),
            "consultations",
            ["consultation_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_foreign_key(
            batch.f("fk_outbox_entry_id_consultation_entries"),
            "consultation_entries",
            ["entry_id"],
            ["id"],
            ondelete="CASCADE",
        )
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("case_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("consultation_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_audit_log_consultation_id"), ["consultation_id"])
        batch.create_foreign_key(
            batch.f("fk_audit_log_consultation_id_consultations"),
            "consultations",
            ["consultation_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_constraint(
            batch.f("fk_audit_log_consultation_id_consultations"), type_="foreignkey"
        )
        batch.drop_index(batch.f("ix_audit_log_consultation_id"))
        batch.drop_column("consultation_id")
    op.execute("DELETE FROM audit_log WHERE case_id IS NULL")
    with op.batch_alter_table("audit_log") as batch:
        batch.alter_column("case_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(
            batch.f("fk_outbox_entry_id_consultation_entries"), type_="foreignkey"
        )
        batch.drop_constraint(
            batch.f("fk_outbox_consultation_id_consultations"), type_="foreignkey"
        )
        batch.drop_column("entry_id")
        batch.drop_column("consultation_id")
    with op.batch_alter_table("cases") as batch:
        batch.drop_constraint(batch.f("fk_cases_receipt_id_receipts"), type_="foreignkey")
        batch.drop_index(batch.f("ix_cases_receipt_id"))
        batch.drop_column("receipt_id")
    op.drop_table("consultation_entries")
    op.drop_table("consultations")
    op.drop_table("receipts")
