"""bans that end: the review outcome, the end, the police informed

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "ban_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("actor_name_sealed", sa.Text(), nullable=True),
        sa.Column("note_sealed", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_ban_records_measure_id_measures"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ban_records")),
    )
    op.create_index(op.f("ix_ban_records_measure_id"), "ban_records", ["measure_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_ban_records_measure_id"), table_name="ban_records")
    op.drop_table("ban_records")
