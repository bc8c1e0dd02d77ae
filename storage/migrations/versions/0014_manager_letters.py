"""letters sent to an invited manager, sealed, once per request

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "manager_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("request_key", sa.String(length=64), nullable=False),
        sa.Column("filename_sealed", sa.Text(), nullable=False),
        sa.Column("content_sealed", sa.LargeBinary(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_by_sealed", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_manager_letters_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["manager_invitations.id"],
            name=op.f("fk_manager_letters_invitation_id_manager_invitations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_manager_letters")),
        sa.UniqueConstraint(
            "invitation_id",
            "request_key",
            name="uq_manager_letters_invitation_id_request_key",
        ),
    )
    op.create_index(op.f("ix_manager_letters_case_id"), "manager_letters", ["case_id"])
    op.create_index(op.f("ix_manager_letters_invitation_id"), "manager_letters", ["invitation_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_manager_letters_invitation_id"), table_name="manager_letters")
    op.drop_index(op.f("ix_manager_letters_case_id"), table_name="manager_letters")
    op.drop_table("manager_letters")
