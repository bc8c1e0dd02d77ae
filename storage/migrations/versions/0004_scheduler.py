"""scheduler: timers, outbox rows for scheduled posts, department and aftercare on cases

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "timers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("job", sa.String(length=300), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("payload_sealed", sa.Text(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_timers_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timers")),
        sa.UniqueConstraint("key", name=op.f("uq_timers_key")),
    )
    op.create_index("ix_timers_due", "timers", ["done_at", "due_at"])
    op.create_index(op.f("ix_timers_job"), "timers", ["job"])
    op.create_index(op.f("ix_timers_case_id"), "timers", ["case_id"])
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("timer_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("claims", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch.create_foreign_key(
            op.f("fk_outbox_timer_id_timers"), "timers", ["timer_id"], ["id"], ondelete="CASCADE"
        )
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("department", sa.String(length=100), nullable=True))
        batch.add_column(
            sa.Column("aftercare", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("aftercare")
        batch.drop_column("department")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_constraint(op.f("fk_outbox_timer_id_timers"), type_="foreignkey")
        batch.drop_column("claims")
        batch.drop_column("timer_id")
    op.drop_index(op.f("ix_timers_case_id"), table_name="timers")
    op.drop_index(op.f("ix_timers_job"), table_name="timers")
    op.drop_index("ix_timers_due", table_name="timers")
    op.drop_table("timers")
