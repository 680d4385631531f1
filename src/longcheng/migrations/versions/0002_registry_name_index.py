"""registry name index (SQLite FTS5 of single characters and character pairs)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from longcheng.registry.search import FTS_TABLE, grams

revision = "0002"
down_revision = "0001"
branch_labels = ("registry",)
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL searches names with LIKE; see longcheng.registry.search
    op.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(uni, bi, tokenize='unicode61')")
    rows = bind.execute(sa.text("SELECT id, search_text FROM registry_org")).all()
    params = [{"id": i, "uni": grams(t)[0], "bi": grams(t)[1]} for i, t in rows]
    if params:
        bind.execute(sa.text(f"INSERT INTO {FTS_TABLE} (rowid, uni, bi) VALUES (:id, :uni, :bi)"), params)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP TABLE {FTS_TABLE}")
