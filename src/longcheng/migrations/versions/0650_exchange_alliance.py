"""exchange alliance: rulebook versions, member overrides, institution profiles

Revision ID: 0650
Revises: 0600
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0650"
down_revision = "0600"
branch_labels = ("exchange_alliance",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_rule_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=20), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("diff", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("proposed_by", sa.String(length=120), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("reviewed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rule_version")),
        sa.UniqueConstraint("version", name=op.f("uq_exchange_rule_version_version")),
    )
    op.create_index(
        op.f("ix_exchange_rule_version_effective_from"), "exchange_rule_version", ["effective_from"]
    )
    op.create_table(
        "exchange_rule_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("asset_class", sa.String(length=20), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("set_by", sa.String(length=120), nullable=False),
        sa.Column("set_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["exchange_institution.id"],
            name=op.f("fk_exchange_rule_override_institution_id_exchange_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rule_override")),
        sa.UniqueConstraint("institution_id", "asset_class", "key", name="uq_exchange_rule_override"),
    )
    op.create_index(
        op.f("ix_exchange_rule_override_institution_id"), "exchange_rule_override", ["institution_id"]
    )
    op.create_table(
        "exchange_institution_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("portal_title", sa.String(length=120), nullable=False),
        sa.Column("brand_color", sa.String(length=7), nullable=False),
        sa.Column("bank_name", sa.String(length=120), nullable=False),
        sa.Column("bank_account", sa.String(length=40), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["institution_id"],
            ["exchange_institution.id"],
            name=op.f("fk_exchange_institution_profile_institution_id_exchange_institution"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_institution_profile")),
        sa.UniqueConstraint("institution_id", name=op.f("uq_exchange_institution_profile_institution_id")),
    )


def downgrade() -> None:
    op.drop_table("exchange_institution_profile")
    op.drop_index(op.f("ix_exchange_rule_override_institution_id"), table_name="exchange_rule_override")
    op.drop_table("exchange_rule_override")
    op.drop_index(op.f("ix_exchange_rule_version_effective_from"), table_name="exchange_rule_version")
    op.drop_table("exchange_rule_version")
