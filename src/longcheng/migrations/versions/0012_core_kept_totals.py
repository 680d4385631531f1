"""core: list totals shared by the web worker processes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "core_kept_total",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("marks", sa.String(length=64), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("counted_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_core_kept_total")),
    )
    with op.batch_alter_table("core_kept_total", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_core_kept_total_counted_at"), ["counted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("core_kept_total", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_core_kept_total_counted_at"))
    op.drop_table("core_kept_total")
