"""intake: who chose the category, a self-harm flag and the addressee on cases; the values
a correction set on case events; a sealed payload on outbox rows (receipts and codes)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("category_source", sa.String(length=20), nullable=True))
        batch.add_column(
            sa.Column("self_harm", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(
            sa.Column("addressee", sa.String(length=20), nullable=False, server_default="meldpunt")
        )
        batch.create_index(batch.f("ix_cases_addressee"), ["addressee"])
    # What a reporter chose before this version was theirs.
    op.execute("UPDATE cases SET category_source = 'reporter' WHERE category IS NOT NULL")
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("category", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("urgency", sa.String(length=10), nullable=True))
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("payload_sealed", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("payload_sealed")
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("urgency")
        batch.drop_column("category")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index(batch.f("ix_cases_addressee"))
        batch.drop_column("addressee")
        batch.drop_column("self_harm")
        batch.drop_column("category_source")
