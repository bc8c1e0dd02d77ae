"""sessions: signed-in sessions on meldbot's own pages, console identities and their links
to chat identities

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("principal_sealed", sa.Text(), nullable=False),
        sa.Column("csrf_sealed", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("idle_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_sessions")),
    )
    op.create_index(op.f("ix_sessions_idle_until"), "sessions", ["idle_until"])
    op.create_index(op.f("ix_sessions_expires_at"), "sessions", ["expires_at"])
    op.create_table(
        "console_identities",
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.Column("principal_sealed", sa.Text(), nullable=False),
        sa.Column("signed_in_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject_hash", name=op.f("pk_console_identities")),
    )
    op.create_table(
        "identity_links",
        sa.Column("chat_hash", sa.String(length=64), nullable=False),
        sa.Column("subject_hash", sa.String(length=64), nullable=False),
        sa.Column("chat_sealed", sa.Text(), nullable=False),
        sa.Column("how", sa.String(length=20), nullable=False),
        sa.Column("linked_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["subject_hash"],
            ["console_identities.subject_hash"],
            name=op.f("fk_identity_links_subject_hash_console_identities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_hash", name=op.f("pk_identity_links")),
    )
    op.create_index(op.f("ix_identity_links_subject_hash"), "identity_links", ["subject_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_identity_links_subject_hash"), table_name="identity_links")
    op.drop_table("identity_links")
    op.drop_table("console_identities")
    op.drop_index(op.f("ix_sessions_expires_at"), table_name="sessions")
    op.drop_index(op.f("ix_sessions_idle_until"), table_name="sessions")
    op.drop_table("sessions")
