"""registry name trigram index on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24

PostgreSQL answers name searches of three or more characters from a pg_trgm GIN index. Where
the extension cannot be created (no privilege), the search still works by scanning.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

INDEX = "ix_registry_org_search_trgm"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    savepoint = bind.begin_nested()
    try:
        bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
        savepoint.commit()
    except sa.exc.DBAPIError:
        savepoint.rollback()
        return
    op.execute(f"CREATE INDEX {INDEX} ON registry_org USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
