"""exchange tender evaluation by experts

Revision ID: 0654
Revises: 0653
Create Date: 2026-12-06 05:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0654"
down_revision = "0653"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_tender_panel",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("expert_code", sa.String(length=30), nullable=False),
        sa.Column("expert_name", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["tender_id"], ["exchange_tender.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tender_id", "expert_id", name="uq_exchange_tender_panel"),
    )
    op.create_index("ix_exchange_tender_panel_tender_id", "exchange_tender_panel", ["tender_id"])
    op.create_index("ix_exchange_tender_panel_user_id", "exchange_tender_panel", ["user_id"])
    op.create_table(
        "exchange_tender_evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tender_id", sa.Integer(), nullable=False),
        sa.Column("bid_id", sa.Integer(), nullable=False),
        sa.Column("expert_id", sa.Integer(), nullable=False),
        sa.Column("technical", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("scored_at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["tender_id"], ["exchange_tender.id"]),
        sa.ForeignKeyConstraint(["bid_id"], ["exchange_tender_bid.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("bid_id", "expert_id", name="uq_exchange_tender_evaluation"),
    )
    op.create_index("ix_exchange_tender_evaluation_tender_id", "exchange_tender_evaluation", ["tender_id"])
    op.create_index("ix_exchange_tender_evaluation_bid_id", "exchange_tender_evaluation", ["bid_id"])


def downgrade() -> None:
    op.drop_table("exchange_tender_evaluation")
    op.drop_table("exchange_tender_panel")
