"""grants: innovation vouchers and service providers

Revision ID: 0511
Revises: 0510
Create Date: 2026-12-06 05:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0511"
down_revision = "0510"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grants_voucher_provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("account_token", sa.String(length=300), nullable=False),
        sa.Column("account_masked", sa.String(length=40), nullable=False),
        sa.Column("bank_name", sa.String(length=120), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_voucher_provider")),
        sa.UniqueConstraint("uscc", name=op.f("uq_grants_voucher_provider_uscc")),
    )
    with op.batch_alter_table("grants_voucher_provider", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_voucher_provider_state"), ["state"], unique=False)
    op.create_table(
        "grants_voucher",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("firm_uscc", sa.String(length=18), nullable=False),
        sa.Column("firm_name", sa.String(length=200), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("contract_ref", sa.String(length=60), nullable=False),
        sa.Column("redeemed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claimed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("approved_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["grants_programme.id"],
            name=op.f("fk_grants_voucher_programme_id_grants_programme"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["grants_voucher_provider.id"],
            name=op.f("fk_grants_voucher_provider_id_grants_voucher_provider"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_voucher")),
        sa.UniqueConstraint("code", name=op.f("uq_grants_voucher_code")),
    )
    with op.batch_alter_table("grants_voucher", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_voucher_firm_uscc"), ["firm_uscc"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_voucher_programme_id"), ["programme_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_voucher_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_voucher_state"), ["state"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grants_voucher", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_voucher_state"))
        batch_op.drop_index(batch_op.f("ix_grants_voucher_provider_id"))
        batch_op.drop_index(batch_op.f("ix_grants_voucher_programme_id"))
        batch_op.drop_index(batch_op.f("ix_grants_voucher_firm_uscc"))
    op.drop_table("grants_voucher")
    with op.batch_alter_table("grants_voucher_provider", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_voucher_provider_state"))
    op.drop_table("grants_voucher_provider")
