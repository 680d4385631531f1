"""carriers: coordinates of carriers and leads, a lead's note and edit time, carrier photos

Revision ID: 0760
Revises: 0750
Create Date: 2026-12-06 06:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0760"
down_revision = "0750"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("carriers_carrier") as batch:
        batch.add_column(sa.Column("lat", sa.Numeric(precision=9, scale=6), nullable=True))
        batch.add_column(sa.Column("lon", sa.Numeric(precision=9, scale=6), nullable=True))
    with op.batch_alter_table("carriers_lead") as batch:
        batch.add_column(sa.Column("lat", sa.Numeric(precision=9, scale=6), nullable=True))
        batch.add_column(sa.Column("lon", sa.Numeric(precision=9, scale=6), nullable=True))
        batch.add_column(sa.Column("note", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("updated_at", longcheng.core.db.UTCDateTime(), nullable=True))
    op.create_table(
        "carriers_photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("caption", sa.String(length=200), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers_carrier.id"],
            name=op.f("fk_carriers_photo_carrier_id_carriers_carrier"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers_photo")),
    )
    op.create_index(op.f("ix_carriers_photo_carrier_id"), "carriers_photo", ["carrier_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_carriers_photo_carrier_id"), table_name="carriers_photo")
    op.drop_table("carriers_photo")
    with op.batch_alter_table("carriers_lead") as batch:
        batch.drop_column("updated_at")
        batch.drop_column("note")
        batch.drop_column("lon")
        batch.drop_column("lat")
    with op.batch_alter_table("carriers_carrier") as batch:
        batch.drop_column("lon")
        batch.drop_column("lat")
