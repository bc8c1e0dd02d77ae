"""the web chat's history, sealed, so that a restart loses nothing on the page

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "web_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("conversation_hash", sa.String(length=64), nullable=False),
        sa.Column("conversation_sealed", sa.Text(), nullable=False),
        sa.Column("thread", sa.String(length=64), nullable=True),
        sa.Column("content_sealed", sa.Text(), nullable=False),
        sa.Column("file_key", sa.String(length=64), nullable=True),
        sa.Column("file_sealed", sa.LargeBinary(), nullable=True),
        sa.Column("posted_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_entries")),
        sa.UniqueConstraint("entry_id", name=op.f("uq_web_entries_entry_id")),
        sa.UniqueConstraint("file_key", name=op.f("uq_web_entries_file_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_web_entries_conversation_hash"), "web_entries", ["conversation_hash"])
    op.create_index(op.f("ix_web_entries_thread"), "web_entries", ["thread"])
    op.create_table(
        "web_members",
        sa.Column("channel", sa.String(length=80), nullable=False),
        sa.Column("person_hash", sa.String(length=64), nullable=False),
        sa.Column("person_sealed", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("channel", "person_hash", name=op.f("pk_web_members")),
    )


def downgrade() -> None:
    op.drop_table("web_members")
    op.drop_index(op.f("ix_web_entries_thread"), table_name="web_entries")
    op.drop_index(op.f("ix_web_entries_conversation_hash"), table_name="web_entries")
    op.drop_table("web_entries")
