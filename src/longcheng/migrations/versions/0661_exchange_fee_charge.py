"""exchange fee charges: the commission on each deal and its split between institutions

Revision ID: 0661
Revises: 0660
Create Date: 2026-12-06 06:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0661"
down_revision = "0660"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_fee_charge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=False),
        sa.Column("listing_code", sa.String(length=30), nullable=False),
        sa.Column("listing_title", sa.String(length=200), nullable=False),
        sa.Column("buyer_name", sa.String(length=200), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column("commission_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("listing_institution_id", sa.Integer(), nullable=False),
        sa.Column("listing_share_fen", sa.BigInteger(), nullable=False),
        sa.Column("buyer_institution_id", sa.Integer(), nullable=False),
        sa.Column("buyer_share_fen", sa.BigInteger(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("charged_by", sa.String(length=120), nullable=False),
        sa.Column("charged_at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["listing_id"], ["exchange_listing.id"]),
        sa.ForeignKeyConstraint(["listing_institution_id"], ["exchange_institution.id"]),
        sa.ForeignKeyConstraint(["buyer_institution_id"], ["exchange_institution.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("listing_id", name=op.f("uq_exchange_fee_charge_listing_id")),
    )
    op.create_index("ix_exchange_fee_charge_listing_code", "exchange_fee_charge", ["listing_code"])
    op.create_index(
        "ix_exchange_fee_charge_listing_institution_id", "exchange_fee_charge", ["listing_institution_id"]
    )
    op.create_index(
        "ix_exchange_fee_charge_buyer_institution_id", "exchange_fee_charge", ["buyer_institution_id"]
    )
    op.create_index("ix_exchange_fee_charge_charged_at", "exchange_fee_charge", ["charged_at"])


def downgrade() -> None:
    op.drop_table("exchange_fee_charge")
