"""grants: progress report plans, reports and their files

Revision ID: 0520
Revises: 0512
Create Date: 2026-12-06 06:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0520"
down_revision = "0512"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grants_progress_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("every_months", sa.Integer(), nullable=False),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("remind_days", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["grants_programme.id"],
            name=op.f("fk_grants_progress_plan_programme_id_grants_programme"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_progress_plan")),
        sa.UniqueConstraint("programme_id", name=op.f("uq_grants_progress_plan_programme_id")),
    )
    op.create_table(
        "grants_progress_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("submitted_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_by", sa.String(length=120), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=False),
        sa.Column("reviewed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["grants_acceptance_task.id"],
            name=op.f("fk_grants_progress_report_task_id_grants_acceptance_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_progress_report")),
        sa.UniqueConstraint("task_id", "seq", name="uq_grants_progress_report_seq"),
    )
    with op.batch_alter_table("grants_progress_report", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_progress_report_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_progress_report_due_on"), ["due_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_grants_progress_report_state"), ["state"], unique=False)
    op.create_table(
        "grants_progress_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("uploaded_by", sa.String(length=120), nullable=False),
        sa.Column("uploaded_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["grants_progress_report.id"],
            name=op.f("fk_grants_progress_file_report_id_grants_progress_report"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grants_progress_file")),
    )
    with op.batch_alter_table("grants_progress_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_grants_progress_file_report_id"), ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_table("grants_progress_file")
    op.drop_table("grants_progress_report")
    op.drop_table("grants_progress_plan")
