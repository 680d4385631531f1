"""platform: notification centre (messages per user, e-mail preferences)

Revision ID: 0401
Revises: 0400
Create Date: 2026-12-06 02:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0401"
down_revision = "0400"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platform_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("source_module", sa.String(length=40), nullable=False),
        sa.Column("source_type", sa.String(length=60), nullable=False),
        sa.Column("source_id", sa.String(length=80), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("email_state", sa.String(length=20), nullable=False),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_error", sa.Text(), nullable=False),
        sa.Column("emailed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_platform_notifications_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_notifications")),
        sa.UniqueConstraint("user_id", "dedupe_key", name="uq_platform_notifications_user_dedupe"),
    )
    with op.batch_alter_table("platform_notifications", schema=None) as batch_op:
        batch_op.create_index("ix_platform_notifications_email", ["email_state", "user_id"], unique=False)
        batch_op.create_index("ix_platform_notifications_inbox", ["user_id", "read_at", "id"], unique=False)
    op.create_table(
        "platform_notification_prefs",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("email_mode", sa.String(length=20), nullable=False),
        sa.Column("updated_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["app_user.id"],
            name=op.f("fk_platform_notification_prefs_user_id_app_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_platform_notification_prefs")),
    )


def downgrade() -> None:
    op.drop_table("platform_notification_prefs")
    with op.batch_alter_table("platform_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_platform_notifications_inbox")
        batch_op.drop_index("ix_platform_notifications_email")
    op.drop_table("platform_notifications")
