"""case numbers from one upsert per year; receipt codes throttled per guesser, not per receipt

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
    op.create_table(
        "code_guesses",
        sa.Column("guesser", sa.String(length=64), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("guesser", name=op.f("pk_code_guesses")),
    )
    op.create_index(op.f("ix_code_guesses_window_start"), "code_guesses", ["window_start"])
    # The lock per receipt goes: anyone who saw a pseudonym could lock its owner out.
    with op.batch_alter_table("receipts") as batch:
        batch.drop_column("locked_until")
        batch.drop_column("failures")


def downgrade() -> None:
    with op.batch_alter_table("receipts") as batch:
        batch.add_column(
            sa.Column("failures", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
    op.drop_index(op.f("ix_code_guesses_window_start"), table_name="code_guesses")
    op.drop_table("code_guesses")
    op.drop_table("case_numbers")
