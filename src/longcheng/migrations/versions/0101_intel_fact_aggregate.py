"""intel: mark facts whose amount totals many projects (aggregate)

Revision ID: 0101
Revises: 0100
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0101"
down_revision = "0100"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("intel_fact") as batch:
        batch.add_column(sa.Column("aggregate", sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("intel_fact") as batch:
        batch.drop_column("aggregate")
