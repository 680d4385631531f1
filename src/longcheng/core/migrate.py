"""Alembic, driven from code: ``longcheng db upgrade`` and the test fixtures call :func:`upgrade`."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

DERIVED_COLUMNS = ("search_grams",)  # PostgreSQL's generated search columns (migration 0006)
DERIVED_TABLE_SUFFIXES = ("_fts", "_fts_data", "_fts_idx", "_fts_content", "_fts_docsize", "_fts_config")


def include_name(name: str | None, type_: str, _parents: object) -> bool:
    """Leave derived search tables, columns and indexes (SQLite FTS5, PostgreSQL pairs) out of comparisons."""
    if name is None:
        return True
    if type_ == "table":
        return not name.endswith(DERIVED_TABLE_SUFFIXES)
    if type_ == "column":
        return name not in DERIVED_COLUMNS
    return not (type_ == "index" and name.endswith(("_trgm", "_grams")))


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("longcheng").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema to ``revision`` (default: every module's newest; modules branch from 0001)."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def current_revision(engine: Engine) -> str | None:
    """The applied revisions, comma-separated when several modules have their own branch."""
    with engine.connect() as conn:
        heads = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(heads)) or None


def head_revisions(engine: Engine) -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config(engine)).get_heads())
