"""grants: firms' subscriptions to programmes (window opening and closing reminders)

Revision ID: 0530
Revises: 0520
Create Date: 2026-12-06 06:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0530"
down_revision = "0520"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grants_subscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["grants_programme.id"],
            name=op.f("fk_grants_subscription_programme_id_grants_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_subscription")),
        sa.UniqueConstraint("programme_id", "uscc", name="uq_grants_subscription_once"),
    )
    with op.batch_alter_table("grants_subscription", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grants_subscription_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_grants_subscription_uscc"), ["uscc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grants_subscription", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_subscription_uscc"))
        batch_op.drop_index(batch_op.f("ix_grants_subscription_programme_id"))
    op.drop_table("grants_subscription")
