"""grants: 先建后补 acceptance tasks, evidence and inspections

Revision ID: 0510
Revises: 0503
Create Date: 2026-12-06 04:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0510"
down_revision = "0503"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grants_acceptance_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("rectify_due", sa.Date(), nullable=True),
        sa.Column("submitted_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["grants_application.id"],
            name=op.f("fk_grants_acceptance_task_application_id_grants_application"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_acceptance_task")),
        sa.UniqueConstraint("application_id", name=op.f("uq_grants_acceptance_task_application_id")),
    )
    with op.batch_alter_table("grants_acceptance_task", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_acceptance_task_state"), ["state"], unique=False)
    op.create_table(
        "grants_acceptance_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("uploaded_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["grants_acceptance_task.id"],
            name=op.f("fk_grants_acceptance_file_task_id_grants_acceptance_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_acceptance_file")),
    )
    with op.batch_alter_table("grants_acceptance_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_acceptance_file_task_id"), ["task_id"], unique=False)
    op.create_table(
        "grants_acceptance_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("members", sa.String(length=500), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("result", sa.String(length=10), nullable=False),
        sa.Column("rectify_due", sa.Date(), nullable=True),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("recorded_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["grants_acceptance_task.id"],
            name=op.f("fk_grants_acceptance_inspection_task_id_grants_acceptance_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_acceptance_inspection")),
    )
    with op.batch_alter_table("grants_acceptance_inspection", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_grants_acceptance_inspection_task_id"), ["task_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("grants_acceptance_inspection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_acceptance_inspection_task_id"))
    op.drop_table("grants_acceptance_inspection")
    with op.batch_alter_table("grants_acceptance_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_acceptance_file_task_id"))
    op.drop_table("grants_acceptance_file")
    with op.batch_alter_table("grants_acceptance_task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_grants_acceptance_task_state"))
    op.drop_table("grants_acceptance_task")
