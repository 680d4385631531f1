"""Alembic owns the schema: the migrated database matches the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from longcheng.core.db import Base
from longcheng.core.migrate import current_revision, head_revisions, include_name
from longcheng.modules import load_models


def test_models_and_migrations_agree(engine: Engine) -> None:
    """No table, column or index exists in the models without a migration (or the reverse)."""
    load_models()
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": include_name})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_database_is_at_every_head(engine: Engine) -> None:
    """Upgrading applies every module's newest revision."""
    assert current_revision(engine) == ",".join(sorted(head_revisions(engine)))
