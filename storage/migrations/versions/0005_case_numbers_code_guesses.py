"""case numbers from one upsert per year

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_numbers",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_case_numbers")),
    )
    # Numbering goes on where the existing cases left off.
    op.execute(
        "INSERT INTO case_numbers (year, last) SELECT year, max(sequence) FROM cases GROUP BY year"
    )


def downgrade() -> None:
    op.drop_table("case_numbers")
