"""exchange fingerprint of registrations and bids

Revision ID: 0655
Revises: 0654
Create Date: 2026-12-06 05:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0655"
down_revision = "0654"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_fingerprint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("ip", sa.String(length=45), nullable=False),
        sa.Column("ua_hash", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["exchange_listing.id"]),
        sa.ForeignKeyConstraint(["bidder_id"], ["exchange_bidder.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_exchange_fingerprint_listing_id", "exchange_fingerprint", ["listing_id"])
    op.create_index("ix_exchange_fingerprint_bidder_id", "exchange_fingerprint", ["bidder_id"])


def downgrade() -> None:
    op.drop_table("exchange_fingerprint")
