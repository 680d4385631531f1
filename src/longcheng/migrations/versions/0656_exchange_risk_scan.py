"""exchange incremental risk scan

Revision ID: 0656
Revises: 0655
Create Date: 2026-12-06 05:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0656"
down_revision = "0655"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_risk_scan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("since", longcheng.core.db.UTCDateTime(), nullable=True),
        sa.Column("watermark", longcheng.core.db.UTCDateTime(), nullable=True),
        sa.Column("lots", sa.Integer(), nullable=False),
        sa.Column("new_signals", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("ran_at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_exchange_lot_closed_at", "exchange_lot", ["closed_at"])


def downgrade() -> None:
    op.drop_index("ix_exchange_lot_closed_at", table_name="exchange_lot")
    op.drop_table("exchange_risk_scan")
