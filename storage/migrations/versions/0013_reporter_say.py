"""the reporter's say on a proposed measure, the aangifte record, external reports

Revision ID: 0013
Revises: 0010
Create Date: 2026-12-01 17:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "measure_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("asked_by_sealed", sa.Text(), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_measure_proposals_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_measure_proposals_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_proposals")),
        sa.UniqueConstraint("event_id", name=op.f("uq_measure_proposals_event_id")),
    )
    op.create_index(op.f("ix_measure_proposals_case_id"), "measure_proposals", ["case_id"])
    op.create_table(
        "aangifte_records",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("filed_by", sa.String(length=20), nullable=False),
        sa.Column("number_sealed", sa.Text(), nullable=False),
        sa.Column("recorded_by_sealed", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_aangifte_records_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_aangifte_records")),
    )
    op.create_table(
        "external_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=30), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("made_by_sealed", sa.Text(), nullable=False),
        sa.Column("recorded_by_sealed", sa.Text(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_external_reports_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_reports")),
    )
    op.create_index(op.f("ix_external_reports_case_id"), "external_reports", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_external_reports_case_id"), table_name="external_reports")
    op.drop_table("external_reports")
    op.drop_table("aangifte_records")
    op.drop_index(op.f("ix_measure_proposals_case_id"), table_name="measure_proposals")
    op.drop_table("measure_proposals")
