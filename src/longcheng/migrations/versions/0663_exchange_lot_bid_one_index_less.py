"""exchange lot bids: drop the lot_id index that both unique constraints already lead with

The planner, before a table's first ANALYZE, read a busy lot's bids through the one-column
index and filtered every bid of the lot for each batch of the bid writer (the idempotency
lookup); ``uq_exchange_lot_bid_idem`` (lot, registration, key) and ``uq_exchange_lot_bid_seq``
(lot, sequence) answer every lookup by lot, and one index fewer is one write fewer per bid.

Revision ID: 0663
Revises: 0662
Create Date: 2026-12-06 16:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0663"
down_revision = "0662"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_lot_bid") as t:
        t.drop_index("ix_exchange_lot_bid_lot_id")


def downgrade() -> None:
    with op.batch_alter_table("exchange_lot_bid") as t:
        t.create_index("ix_exchange_lot_bid_lot_id", ["lot_id"], unique=False)
