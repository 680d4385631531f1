"""talent: people (tokens and blind indexes), data sources, monthly runs, payment lines

Revision ID: 0900
Revises: 0001
Create Date: 2026-12-06 03:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0900"
down_revision = "0001"
branch_labels = ("talent",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "talent_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("qualifying", sa.Integer(), nullable=False),
        sa.Column("total_fen", sa.BigInteger(), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("stopped_count", sa.Integer(), nullable=False),
        sa.Column("changed_count", sa.Integer(), nullable=False),
        sa.Column("notified", sa.Integer(), nullable=False),
        sa.Column("payment_lines", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("finished_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["talent_runs.id"], name=op.f("fk_talent_runs_previous_id_talent_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_runs")),
        sa.UniqueConstraint("key", name=op.f("uq_talent_runs_key")),
    )
    op.create_index("ix_talent_runs_month_id", "talent_runs", ["month", "id"], unique=False)
    op.create_table(
        "talent_source_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("covers_month", sa.String(length=7), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("imported_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_source_imports")),
    )
    op.create_index(
        "ix_talent_source_imports_source_id", "talent_source_imports", ["source", "id"], unique=False
    )
    op.create_table(
        "talent_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("id_token", sa.Text(), nullable=False),
        sa.Column("id_index", sa.String(length=64), nullable=False),
        sa.Column("id_masked", sa.String(length=18), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=2), nullable=False),
        sa.Column("degree", sa.String(length=12), nullable=False),
        sa.Column("school", sa.String(length=120), nullable=False),
        sa.Column("graduation_date", sa.Date(), nullable=False),
        sa.Column("employer_uscc", sa.String(length=18), nullable=True),
        sa.Column("employer_name", sa.String(length=200), nullable=False),
        sa.Column("district", sa.String(length=20), nullable=True),
        sa.Column("industry", sa.String(length=80), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("left_date", sa.Date(), nullable=True),
        sa.Column("si_months", sa.Integer(), nullable=False),
        sa.Column("housing", sa.String(length=12), nullable=False),
        sa.Column("bank_token", sa.Text(), nullable=True),
        sa.Column("bank_masked", sa.String(length=40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"], name=op.f("fk_talent_people_user_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_people")),
        sa.UniqueConstraint("id_index", name=op.f("uq_talent_people_id_index")),
        sa.UniqueConstraint("user_id", name=op.f("uq_talent_people_user_id")),
    )
    op.create_index(op.f("ix_talent_people_employer_uscc"), "talent_people", ["employer_uscc"], unique=False)
    op.create_table(
        "talent_pii_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("granted_by", sa.String(length=120), nullable=False),
        sa.Column("granted_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["app_user.id"], name=op.f("fk_talent_pii_grants_user_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_pii_grants")),
        sa.UniqueConstraint("user_id", name=op.f("uq_talent_pii_grants_user_id")),
    )
    op.create_table(
        "talent_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("requested", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["talent_people.id"], name=op.f("fk_talent_corrections_person_id_talent_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_corrections")),
    )
    op.create_index(
        op.f("ix_talent_corrections_person_id"), "talent_corrections", ["person_id"], unique=False
    )
    op.create_table(
        "talent_employments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("employer_uscc", sa.String(length=18), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("confirmed_by", sa.String(length=120), nullable=False),
        sa.Column("confirmed_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"], ["talent_people.id"], name=op.f("fk_talent_employments_person_id_talent_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_employments")),
        sa.UniqueConstraint(
            "person_id", "employer_uscc", "start_date", name=op.f("uq_talent_employments_person_id")
        ),
    )
    op.create_index(
        op.f("ix_talent_employments_employer_uscc"), "talent_employments", ["employer_uscc"], unique=False
    )
    op.create_index(
        op.f("ix_talent_employments_person_id"), "talent_employments", ["person_id"], unique=False
    )
    op.create_table(
        "talent_payments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("payable_ref", sa.String(length=80), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["talent_people.id"], name=op.f("fk_talent_payments_person_id_talent_people")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["talent_runs.id"], name=op.f("fk_talent_payments_run_id_talent_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_payments")),
        sa.UniqueConstraint("key", name=op.f("uq_talent_payments_key")),
    )
    op.create_index(
        "ix_talent_payments_person_month", "talent_payments", ["person_id", "month"], unique=False
    )
    op.create_table(
        "talent_recoveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("recovered_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["talent_people.id"], name=op.f("fk_talent_recoveries_person_id_talent_people")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["talent_runs.id"], name=op.f("fk_talent_recoveries_run_id_talent_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_recoveries")),
    )
    op.create_index(op.f("ix_talent_recoveries_person_id"), "talent_recoveries", ["person_id"], unique=False)
    op.create_table(
        "talent_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("degree", sa.String(length=12), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("months_in_city", sa.Integer(), nullable=False),
        sa.Column("si_paid", sa.Boolean(), nullable=False),
        sa.Column("qualifies", sa.Boolean(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(length=60), nullable=False),
        sa.Column("change", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["talent_people.id"], name=op.f("fk_talent_results_person_id_talent_people")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["talent_runs.id"], name=op.f("fk_talent_results_run_id_talent_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_results")),
        sa.UniqueConstraint("run_id", "person_id", name=op.f("uq_talent_results_run_id")),
    )
    op.create_index("ix_talent_results_person", "talent_results", ["person_id"], unique=False)
    op.create_table(
        "talent_social_insurance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("employer_uscc", sa.String(length=18), nullable=False),
        sa.Column("paid", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["talent_source_imports.id"],
            name=op.f("fk_talent_social_insurance_import_id_talent_source_imports"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["talent_people.id"],
            name=op.f("fk_talent_social_insurance_person_id_talent_people"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_talent_social_insurance")),
        sa.UniqueConstraint("person_id", "month", name=op.f("uq_talent_social_insurance_person_id")),
    )


def downgrade() -> None:
    op.drop_table("talent_social_insurance")
    op.drop_index("ix_talent_results_person", table_name="talent_results")
    op.drop_table("talent_results")
    op.drop_index(op.f("ix_talent_recoveries_person_id"), table_name="talent_recoveries")
    op.drop_table("talent_recoveries")
    op.drop_index("ix_talent_payments_person_month", table_name="talent_payments")
    op.drop_table("talent_payments")
    op.drop_index(op.f("ix_talent_employments_person_id"), table_name="talent_employments")
    op.drop_index(op.f("ix_talent_employments_employer_uscc"), table_name="talent_employments")
    op.drop_table("talent_employments")
    op.drop_index(op.f("ix_talent_corrections_person_id"), table_name="talent_corrections")
    op.drop_table("talent_corrections")
    op.drop_table("talent_pii_grants")
    op.drop_index(op.f("ix_talent_people_employer_uscc"), table_name="talent_people")
    op.drop_table("talent_people")
    op.drop_index("ix_talent_source_imports_source_id", table_name="talent_source_imports")
    op.drop_table("talent_source_imports")
    op.drop_index("ix_talent_runs_month_id", table_name="talent_runs")
    op.drop_table("talent_runs")
