"""registry people and holders (法定代表人, 股东, 董事, 监事)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "registry_org_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("id_token", sa.String(length=200), nullable=True),
        sa.Column("person_index", sa.String(length=64), nullable=True),
        sa.Column("holder_uscc", sa.String(length=18), nullable=True),
        sa.Column("share_ratio", sa.Numeric(precision=7, scale=4), nullable=True),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("recorded_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["registry_org.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_registry_org_person_uscc", "registry_org_person", ["uscc", "role"])
    op.create_index("ix_registry_org_person_index", "registry_org_person", ["person_index"])
    op.create_index("ix_registry_org_person_name", "registry_org_person", ["name"])
    op.create_index("ix_registry_org_person_holder", "registry_org_person", ["holder_uscc"])


def downgrade() -> None:
    op.drop_table("registry_org_person")
