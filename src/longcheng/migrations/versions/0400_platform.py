"""platform: background jobs, schedules, schedule runs and deadlines

Revision ID: 0400
Revises: 0001
Create Date: 2026-12-06 00:45:49.610621
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0400"
down_revision = "0001"
branch_labels = ("platform",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "platform_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("status_line", sa.String(length=200), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=True),
        sa.Column("heartbeat_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("result_sha256", sa.String(length=64), nullable=True),
        sa.Column("result_name", sa.String(length=200), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_jobs")),
        sa.UniqueConstraint("kind", "key", name="uq_platform_jobs_kind_key"),
    )
    with op.batch_alter_table("platform_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_jobs_started_by"), ["started_by"], unique=False)
        batch_op.create_index("ix_platform_jobs_state_created", ["state", "created_at"], unique=False)

    op.create_table(
        "platform_schedules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("cron", sa.String(length=100), nullable=False),
        sa.Column("working_days_only", sa.Boolean(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_due_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_schedules")),
        sa.UniqueConstraint("name", name=op.f("uq_platform_schedules_name")),
    )
    op.create_table(
        "platform_deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("run_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fired_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["platform_jobs.id"], name=op.f("fk_platform_deadlines_job_id_platform_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_deadlines")),
        sa.UniqueConstraint("kind", "key", name="uq_platform_deadlines_kind_key"),
    )
    with op.batch_alter_table("platform_deadlines", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_platform_deadlines_run_at"), ["run_at"], unique=False)

    op.create_table(
        "platform_schedule_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=False),
        sa.Column("due_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["platform_jobs.id"], name=op.f("fk_platform_schedule_runs_job_id_platform_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["platform_schedules.id"],
            name=op.f("fk_platform_schedule_runs_schedule_id_platform_schedules"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_platform_schedule_runs")),
        sa.UniqueConstraint("schedule_id", "due_at", name="uq_platform_schedule_runs_due"),
    )
    with op.batch_alter_table("platform_schedule_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_platform_schedule_runs_schedule_id"), ["schedule_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("platform_schedule_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_schedule_runs_schedule_id"))

    op.drop_table("platform_schedule_runs")
    with op.batch_alter_table("platform_deadlines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_platform_deadlines_run_at"))

    op.drop_table("platform_deadlines")
    op.drop_table("platform_schedules")
    with op.batch_alter_table("platform_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_platform_jobs_state_created")
        batch_op.drop_index(batch_op.f("ix_platform_jobs_started_by"))

    op.drop_table("platform_jobs")
