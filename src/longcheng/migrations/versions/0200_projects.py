"""projects: investment projects, plans, lights, supervision orders, files, evidence

Revision ID: 0200
Revises: 0001
Create Date: 2026-11-24 04:35:30.056030
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0200"
down_revision = "0001"
branch_labels = ("projects",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projects_ceremony",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("project_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_ceremony")),
        sa.UniqueConstraint("name", name=op.f("uq_projects_ceremony_name")),
    )
    op.create_table(
        "projects_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("stored_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_file")),
        sa.UniqueConstraint("sha256", name=op.f("uq_projects_file_sha256")),
    )
    op.create_table(
        "projects_fx_rate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("cny_micro", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_fx_rate")),
        sa.UniqueConstraint("currency", "on_date", name="uq_projects_fx_rate_key"),
    )
    op.create_table(
        "projects_light_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("node_yellow_within_working_days", sa.Integer(), nullable=False),
        sa.Column("node_red_after_overdue_working_days", sa.Integer(), nullable=False),
        sa.Column("order_yellow_within_working_days", sa.Integer(), nullable=False),
        sa.Column("order_late_reply_red_working_days", sa.Integer(), nullable=False),
        sa.Column("schedule_yellow_below_pct_x10", sa.Integer(), nullable=False),
        sa.Column("schedule_red_below_pct_x10", sa.Integer(), nullable=False),
        sa.Column("updated_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_light_settings")),
    )
    op.create_table(
        "projects_project",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("project_type", sa.String(length=20), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("district", sa.String(length=30), nullable=False),
        sa.Column("park", sa.String(length=30), nullable=True),
        sa.Column("industry", sa.String(length=4), nullable=True),
        sa.Column("cooperation", sa.String(length=30), nullable=True),
        sa.Column("partner_region", sa.String(length=60), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("lead_on", sa.Date(), nullable=True),
        sa.Column("negotiating_on", sa.Date(), nullable=True),
        sa.Column("signed_on", sa.Date(), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("producing_on", sa.Date(), nullable=True),
        sa.Column("at_capacity_on", sa.Date(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("stated_agreed", sa.BigInteger(), nullable=True),
        sa.Column("stated_total", sa.BigInteger(), nullable=True),
        sa.Column("fx_rate_micro", sa.BigInteger(), nullable=True),
        sa.Column("fx_rate_on", sa.Date(), nullable=True),
        sa.Column("agreed_investment_fen", sa.BigInteger(), nullable=False),
        sa.Column("total_investment_fen", sa.BigInteger(), nullable=False),
        sa.Column("land_centi_mu", sa.BigInteger(), nullable=True),
        sa.Column("floor_area_m2", sa.BigInteger(), nullable=True),
        sa.Column("expected_output_fen", sa.BigInteger(), nullable=True),
        sa.Column("expected_tax_fen", sa.BigInteger(), nullable=True),
        sa.Column("expected_jobs", sa.Integer(), nullable=True),
        sa.Column("leader_name", sa.String(length=60), nullable=False),
        sa.Column("leader_user_id", sa.Integer(), nullable=True),
        sa.Column("responsible_unit", sa.String(length=100), nullable=False),
        sa.Column("investor_names", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("light", sa.String(length=10), nullable=False),
        sa.Column("light_reasons", sa.Text(), nullable=False),
        sa.Column("light_on", sa.Date(), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["leader_user_id"], ["app_user.id"], name=op.f("fk_projects_project_leader_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_project")),
        sa.UniqueConstraint("code", name=op.f("uq_projects_project_code")),
    )
    with op.batch_alter_table("projects_project", schema=None) as batch_op:
        batch_op.create_index("ix_projects_project_district_stage", ["district", "stage", "id"], unique=False)
        batch_op.create_index("ix_projects_project_industry", ["industry", "id"], unique=False)
        batch_op.create_index("ix_projects_project_leader", ["leader_name", "id"], unique=False)
        batch_op.create_index(
            "ix_projects_project_light", ["light", "total_investment_fen", "id"], unique=False
        )
        batch_op.create_index("ix_projects_project_name", ["name", "id"], unique=False)
        batch_op.create_index("ix_projects_project_park", ["park", "id"], unique=False)
        batch_op.create_index("ix_projects_project_signed", ["signed_on", "id"], unique=False)
        batch_op.create_index(
            "ix_projects_project_stage_total", ["stage", "total_investment_fen", "id"], unique=False
        )
        batch_op.create_index("ix_projects_project_total", ["total_investment_fen", "id"], unique=False)
        batch_op.create_index("ix_projects_project_updated", ["updated_at", "id"], unique=False)

    op.create_table(
        "projects_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("source_kind", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.String(length=80), nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=True),
        sa.Column("event", sa.String(length=20), nullable=True),
        sa.Column("cue", sa.String(length=200), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("org_names", sa.Text(), nullable=False),
        sa.Column("project_name", sa.String(length=200), nullable=False),
        sa.Column("place_code", sa.String(length=30), nullable=True),
        sa.Column("district", sa.String(length=30), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("match_reasons", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_evidence_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_evidence")),
    )
    with op.batch_alter_table("projects_evidence", schema=None) as batch_op:
        batch_op.create_index("ix_projects_evidence_project", ["project_id", "status"], unique=False)
        batch_op.create_index("ix_projects_evidence_source", ["source_kind", "source_ref"], unique=False)
        batch_op.create_index("ix_projects_evidence_status", ["status", "reported_on"], unique=False)

    op.create_table(
        "projects_investment_month",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("planned_fen", sa.BigInteger(), nullable=False),
        sa.Column("completed_fen", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_investment_month_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_investment_month")),
        sa.UniqueConstraint("project_id", "year", "month", name="uq_projects_investment_month_key"),
    )
    with op.batch_alter_table("projects_investment_month", schema=None) as batch_op:
        batch_op.create_index("ix_projects_investment_month_year", ["year", "project_id"], unique=False)

    op.create_table(
        "projects_investor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_investor_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_investor")),
    )
    with op.batch_alter_table("projects_investor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_investor_project_id"), ["project_id"], unique=False)
        batch_op.create_index("ix_projects_investor_uscc", ["uscc", "project_id"], unique=False)

    op.create_table(
        "projects_list_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_list_entry_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_list_entry")),
        sa.UniqueConstraint("project_id", "list_name", name="uq_projects_list_entry_project_list"),
    )
    with op.batch_alter_table("projects_list_entry", schema=None) as batch_op:
        batch_op.create_index("ix_projects_list_entry_list", ["list_name", "project_id"], unique=False)

    op.create_table(
        "projects_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_person_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_projects_person_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_person")),
    )
    with op.batch_alter_table("projects_person", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_person_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_person_user_id"), ["user_id"], unique=False)

    op.create_table(
        "projects_plan_node",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=True),
        sa.Column("after", sa.String(length=40), nullable=True),
        sa.Column("planned", sa.Date(), nullable=False),
        sa.Column("original", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_plan_node_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_plan_node")),
        sa.UniqueConstraint("project_id", "code", name="uq_projects_plan_node_project_code"),
    )
    op.create_table(
        "projects_supervision_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("demand", sa.Text(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("reply_working_days", sa.Integer(), nullable=False),
        sa.Column("reply_due", sa.Date(), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=True),
        sa.Column("issued_by", sa.String(length=120), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects_project.id"],
            name=op.f("fk_projects_supervision_order_project_id_projects_project"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_supervision_order")),
        sa.UniqueConstraint("number", name=op.f("uq_projects_supervision_order_number")),
    )
    with op.batch_alter_table("projects_supervision_order", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_supervision_order_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "projects_supervision_reply",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("replied_on", sa.Date(), nullable=False),
        sa.Column("replied_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["projects_supervision_order.id"],
            name=op.f("fk_projects_supervision_reply_order_id_projects_supervision_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_supervision_reply")),
    )
    with op.batch_alter_table("projects_supervision_reply", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_supervision_reply_order_id"), ["order_id"], unique=False
        )

    op.create_table(
        "projects_reply_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reply_id", sa.Integer(), nullable=False),
        sa.Column("file_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["projects_file.id"], name=op.f("fk_projects_reply_file_file_id_projects_file")
        ),
        sa.ForeignKeyConstraint(
            ["reply_id"],
            ["projects_supervision_reply.id"],
            name=op.f("fk_projects_reply_file_reply_id_projects_supervision_reply"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects_reply_file")),
    )
    with op.batch_alter_table("projects_reply_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_projects_reply_file_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_projects_reply_file_reply_id"), ["reply_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("projects_reply_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_reply_file_reply_id"))
        batch_op.drop_index(batch_op.f("ix_projects_reply_file_file_id"))

    op.drop_table("projects_reply_file")
    with op.batch_alter_table("projects_supervision_reply", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_supervision_reply_order_id"))

    op.drop_table("projects_supervision_reply")
    with op.batch_alter_table("projects_supervision_order", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_supervision_order_project_id"))

    op.drop_table("projects_supervision_order")
    op.drop_table("projects_plan_node")
    with op.batch_alter_table("projects_person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_person_user_id"))
        batch_op.drop_index(batch_op.f("ix_projects_person_project_id"))

    op.drop_table("projects_person")
    with op.batch_alter_table("projects_list_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_list_entry_list")

    op.drop_table("projects_list_entry")
    with op.batch_alter_table("projects_investor", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_investor_uscc")
        batch_op.drop_index(batch_op.f("ix_projects_investor_project_id"))

    op.drop_table("projects_investor")
    with op.batch_alter_table("projects_investment_month", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_investment_month_year")

    op.drop_table("projects_investment_month")
    with op.batch_alter_table("projects_evidence", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_evidence_status")
        batch_op.drop_index("ix_projects_evidence_source")
        batch_op.drop_index("ix_projects_evidence_project")

    op.drop_table("projects_evidence")
    with op.batch_alter_table("projects_project", schema=None) as batch_op:
        batch_op.drop_index("ix_projects_project_updated")
        batch_op.drop_index("ix_projects_project_total")
        batch_op.drop_index("ix_projects_project_stage_total")
        batch_op.drop_index("ix_projects_project_signed")
        batch_op.drop_index("ix_projects_project_park")
        batch_op.drop_index("ix_projects_project_name")
        batch_op.drop_index("ix_projects_project_light")
        batch_op.drop_index("ix_projects_project_leader")
        batch_op.drop_index("ix_projects_project_industry")
        batch_op.drop_index("ix_projects_project_district_stage")

    op.drop_table("projects_project")
    op.drop_table("projects_light_settings")
    op.drop_table("projects_fx_rate")
    op.drop_table("projects_file")
    op.drop_table("projects_ceremony")
