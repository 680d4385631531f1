"""exchange tender procedures: quote rounds, compliance findings, panel replacements

Revision ID: 0660
Revises: 0656
Create Date: 2026-12-06 06:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0660"
down_revision = "0656"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_tender") as t:
        t.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="1"))
        t.add_column(sa.Column("rounds", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("exchange_tender_bid") as t:
        t.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="1"))
        t.add_column(sa.Column("compliant", sa.Boolean(), nullable=True))
        t.add_column(sa.Column("compliance_note", sa.String(length=500), nullable=False, server_default=""))
    with op.batch_alter_table("exchange_tender_panel") as t:
        t.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("exchange_tender_panel") as t:
        t.drop_column("replaces_id")
    with op.batch_alter_table("exchange_tender_bid") as t:
        t.drop_column("compliance_note")
        t.drop_column("compliant")
        t.drop_column("round")
    with op.batch_alter_table("exchange_tender") as t:
        t.drop_column("rounds")
        t.drop_column("round")
