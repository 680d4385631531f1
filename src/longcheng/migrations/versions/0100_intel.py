"""intel: documents, articles, facts and links

Revision ID: 0100
Revises: 0001
Create Date: 2026-11-24 04:40:04.251887
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import longcheng.core.db

revision = "0100"
down_revision = "0001"
branch_labels = ("intel",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "intel_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("encoding", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("text_sha256", sa.String(length=64), nullable=False),
        sa.Column("text_chars", sa.Integer(), nullable=False),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("fact_count", sa.Integer(), nullable=False),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_document")),
        sa.UniqueConstraint("sha256", name=op.f("uq_intel_document_sha256")),
    )
    with op.batch_alter_table("intel_document", schema=None) as batch_op:
        batch_op.create_index("ix_intel_document_created", ["created_at", "id"], unique=False)

    op.create_table(
        "intel_article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=10), nullable=True),
        sa.Column("date_text", sa.String(length=60), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("file_start", sa.Integer(), nullable=False),
        sa.Column("file_end", sa.Integer(), nullable=False),
        sa.Column("place", sa.String(length=30), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["intel_document.id"],
            name=op.f("fk_intel_article_document_id_intel_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_article")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_intel_article_content_hash")),
    )
    with op.batch_alter_table("intel_article", schema=None) as batch_op:
        batch_op.create_index("ix_intel_article_document", ["document_id", "seq"], unique=False)
        batch_op.create_index("ix_intel_article_published", ["published", "id"], unique=False)

    op.create_table(
        "intel_fact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("file_start", sa.Integer(), nullable=False),
        sa.Column("file_end", sa.Integer(), nullable=False),
        sa.Column("cue_start", sa.Integer(), nullable=False),
        sa.Column("cue_end", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("amount_text", sa.String(length=80), nullable=False),
        sa.Column("cue", sa.String(length=200), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=True),
        sa.Column("planned", sa.Boolean(), nullable=False),
        sa.Column("value_fen", sa.BigInteger(), nullable=True),
        sa.Column("low_fen", sa.BigInteger(), nullable=False),
        sa.Column("high_fen", sa.BigInteger(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("qualifier", sa.String(length=20), nullable=False),
        sa.Column("project", sa.String(length=200), nullable=True),
        sa.Column("org", sa.String(length=200), nullable=True),
        sa.Column("orgs", sa.Text(), nullable=False),
        sa.Column("place", sa.String(length=30), nullable=True),
        sa.Column("place_name", sa.String(length=60), nullable=True),
        sa.Column("district", sa.String(length=30), nullable=True),
        sa.Column("fact_date", sa.String(length=30), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("month", sa.String(length=7), nullable=True),
        sa.Column("org_uscc", sa.String(length=18), nullable=True),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["intel_article.id"],
            name=op.f("fk_intel_fact_article_id_intel_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["intel_document.id"],
            name=op.f("fk_intel_fact_document_id_intel_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_fact")),
    )
    with op.batch_alter_table("intel_fact", schema=None) as batch_op:
        batch_op.create_index("ix_intel_fact_article", ["article_id", "start"], unique=False)
        batch_op.create_index("ix_intel_fact_created", ["created_at", "id"], unique=False)
        batch_op.create_index("ix_intel_fact_document", ["document_id"], unique=False)
        batch_op.create_index("ix_intel_fact_kind_month", ["kind", "month"], unique=False)
        batch_op.create_index("ix_intel_fact_org", ["org_uscc"], unique=False)
        batch_op.create_index("ix_intel_fact_published", ["published", "id"], unique=False)

    op.create_table(
        "intel_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fact_id", sa.Integer(), nullable=False),
        sa.Column("target_type", sa.String(length=10), nullable=False),
        sa.Column("target", sa.String(length=30), nullable=False),
        sa.Column("target_name", sa.String(length=200), nullable=False),
        sa.Column("mention", sa.String(length=200), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(length=120), nullable=False),
        sa.Column("decided_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", longcheng.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["fact_id"], ["intel_fact.id"], name=op.f("fk_intel_link_fact_id_intel_fact"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intel_link")),
        sa.UniqueConstraint("fact_id", "target_type", "target", name="uq_intel_link_target"),
    )
    with op.batch_alter_table("intel_link", schema=None) as batch_op:
        batch_op.create_index("ix_intel_link_status", ["status", "score", "id"], unique=False)
        batch_op.create_index("ix_intel_link_target", ["target_type", "target", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("intel_link", schema=None) as batch_op:
        batch_op.drop_index("ix_intel_link_target")
        batch_op.drop_index("ix_intel_link_status")

    op.drop_table("intel_link")
    with op.batch_alter_table("intel_fact", schema=None) as batch_op:
        batch_op.drop_index("ix_intel_fact_published")
        batch_op.drop_index("ix_intel_fact_org")
        batch_op.drop_index("ix_intel_fact_kind_month")
        batch_op.drop_index("ix_intel_fact_document")
        batch_op.drop_index("ix_intel_fact_created")
        batch_op.drop_index("ix_intel_fact_article")

    op.drop_table("intel_fact")
    with op.batch_alter_table("intel_article", schema=None) as batch_op:
        batch_op.drop_index("ix_intel_article_published")
        batch_op.drop_index("ix_intel_article_document")

    op.drop_table("intel_article")
    with op.batch_alter_table("intel_document", schema=None) as batch_op:
        batch_op.drop_index("ix_intel_document_created")

    op.drop_table("intel_document")
