"""platform addresses: conversation references for proactive messages

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "platform_addresses",
        sa.Column("platform", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("reference_sealed", sa.Text(), nullable=False),
        sa.Column("seen_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("platform", "key", name=op.f("pk_platform_addresses")),
    )
    with op.batch_alter_table("platform_addresses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_platform_addresses_seen_on"), ["seen_on"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("platform_addresses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_addresses_seen_on"))
    op.drop_table("platform_addresses")
