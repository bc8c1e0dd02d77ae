"""managers invited into a case for a measure, with the reporter's consent

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-01 17:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "manager_invitations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("manager_hash", sa.String(length=64), nullable=False),
        sa.Column("manager_sealed", sa.Text(), nullable=False),
        sa.Column("manager_name_sealed", sa.Text(), nullable=False),
        sa.Column("shared_sealed", sa.Text(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("invited_by_sealed", sa.Text(), nullable=False),
        sa.Column("answer", sa.String(length=20), nullable=True),
        sa.Column("answer_note_sealed", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_manager_invitations_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_manager_invitations_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manager_invitations")),
    )
    op.create_index(op.f("ix_manager_invitations_case_id"), "manager_invitations", ["case_id"])
    op.create_index(
        op.f("ix_manager_invitations_measure_id"), "manager_invitations", ["measure_id"]
    )
    op.create_index(
        op.f("ix_manager_invitations_manager_hash"), "manager_invitations", ["manager_hash"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_manager_invitations_manager_hash"), table_name="manager_invitations")
    op.drop_index(op.f("ix_manager_invitations_measure_id"), table_name="manager_invitations")
    op.drop_index(op.f("ix_manager_invitations_case_id"), table_name="manager_invitations")
    op.drop_table("manager_invitations")
