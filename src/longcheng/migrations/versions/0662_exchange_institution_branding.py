"""exchange institution branding: contact and short intro on the member portal

Revision ID: 0662
Revises: 0661
Create Date: 2026-12-06 06:58:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0662"
down_revision = "0661"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_institution_profile") as t:
        t.add_column(sa.Column("contact", sa.String(length=200), nullable=False, server_default=""))
        t.add_column(sa.Column("intro", sa.String(length=500), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("exchange_institution_profile") as t:
        t.drop_column("intro")
        t.drop_column("contact")
