"""exchange members acting for clients: member operators and client mandates

Revision ID: 0620
Revises: 0656
Create Date: 2026-12-06 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0620"
down_revision = "0656"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_member_operator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["exchange_member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id"),
    )
    op.create_index("ix_exchange_member_operator_member_id", "exchange_member_operator", ["member_id"])
    op.create_table(
        "exchange_mandate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("bidder_id", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("doc_name", sa.String(length=200), nullable=False),
        sa.Column("doc_sha256", sa.String(length=64), nullable=False),
        sa.Column("doc_size", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=60), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["bidder_id"], ["exchange_bidder.id"]),
        sa.ForeignKeyConstraint(["member_id"], ["exchange_member.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_exchange_mandate_member_id", "exchange_mandate", ["member_id"])
    op.create_index("ix_exchange_mandate_bidder_id", "exchange_mandate", ["bidder_id"])


def downgrade() -> None:
    op.drop_index("ix_exchange_mandate_bidder_id", table_name="exchange_mandate")
    op.drop_index("ix_exchange_mandate_member_id", table_name="exchange_mandate")
    op.drop_table("exchange_mandate")
    op.drop_index("ix_exchange_member_operator_member_id", table_name="exchange_member_operator")
    op.drop_table("exchange_member_operator")
