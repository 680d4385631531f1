"""exchange members: a member's status, and the revocation of a client's mandate

Revision ID: 0621
Revises: 0620
Create Date: 2026-12-06 10:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0621"
down_revision = "0620"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_member") as t:
        t.add_column(sa.Column("status", sa.String(length=12), nullable=False, server_default="active"))
    with op.batch_alter_table("exchange_mandate") as t:
        t.add_column(sa.Column("revoked_at", longcheng.core.db.UTCDateTime(), nullable=True))
        t.add_column(sa.Column("revoked_by", sa.String(length=120), nullable=True))
        t.add_column(sa.Column("revoke_reason", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_mandate") as t:
        t.drop_column("revoke_reason")
        t.drop_column("revoked_by")
        t.drop_column("revoked_at")
    with op.batch_alter_table("exchange_member") as t:
        t.drop_column("status")
