"""Alembic environment: the connection comes from :mod:`longcheng.core.migrate` or the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from longcheng.core.db import Base, make_engine
from longcheng.core.migrate import include_name
from longcheng.modules import load_models

load_models()
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=include_name,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        _run(conn)


run_migrations_online()
