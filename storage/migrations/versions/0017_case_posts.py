"""what meldbot posted about a case, sealed, so that retention can take it down

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_posts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=10), nullable=False),
        sa.Column("ref_sealed", sa.Text(), nullable=False),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_case_posts_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_posts")),
    )
    op.create_index(op.f("ix_case_posts_case_id"), "case_posts", ["case_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_case_posts_case_id"), table_name="case_posts")
    op.drop_table("case_posts")
