"""grants: audit samples and findings

Revision ID: 0512
Revises: 0511
Create Date: 2026-12-06 05:01:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0512"
down_revision = "0511"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grants_audit_sample",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("drawn_by", sa.String(length=120), nullable=False),
        sa.Column("drawn_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["grants_programme.id"],
            name=op.f("fk_grants_audit_sample_programme_id_grants_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_audit_sample")),
    )
    with op.batch_alter_table("grants_audit_sample", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grants_audit_sample_programme_id"), ["programme_id"], unique=False
        )
    op.create_table(
        "grants_audit_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sample_id", sa.Integer(), nullable=False),
        sa.Column("payable_id", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=80), nullable=False),
        sa.Column("payee_name", sa.String(length=200), nullable=False),
        sa.Column("paid_fen", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("clawback_fen", sa.BigInteger(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["payable_id"], ["grants_payable.id"], name=op.f("fk_grants_audit_item_payable_id_grants_payable")
        ),
        sa.ForeignKeyConstraint(
            ["sample_id"],
            ["grants_audit_sample.id"],
            name=op.f("fk_grants_audit_item_sample_id_grants_audit_sample"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_audit_item")),
        sa.UniqueConstraint("sample_id", "payable_id", name="uq_grants_audit_item"),
    )
    with op.batch_alter_table("grants_audit_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_audit_item_sample_id"), ["sample_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("grants_audit_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_audit_item_sample_id"))
    op.drop_table("grants_audit_item")
    with op.batch_alter_table("grants_audit_sample", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_audit_sample_programme_id"))
    op.drop_table("grants_audit_sample")
