"""Database plumbing: the PostgreSQL driver we ship, and the bulk append of imports and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.audit import AuditRecord
from longcheng.core.db import append_rows, normalise_url


def test_postgresql_urls_use_psycopg() -> None:
    """``postgresql://`` and ``postgres://`` map to psycopg 3; an explicit driver and SQLite are kept."""
    assert normalise_url("postgresql://u:p@h:5432/d") == "postgresql+psycopg://u:p@h:5432/d"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgresql+psycopg://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///var/x.sqlite3") == "sqlite:///var/x.sqlite3"


def test_the_engine_speaks_through_psycopg_on_postgresql(session: Session) -> None:
    """The test database (either backend) is reached through the driver the app ships."""
    dialect = session.get_bind().dialect
    assert dialect.driver == ("psycopg" if dialect.name == "postgresql" else "pysqlite")


def test_append_rows_stores_what_an_insert_stores(session: Session) -> None:
    """Appended rows (COPY on PostgreSQL) read back with their values, UTC times and NULLs intact."""
    at = datetime(2026, 3, 1, 20, 30, tzinfo=timezone(timedelta(hours=8)))
    rows = [
        {
            "seq": 10_000 + n,
            "at": at,
            "actor_id": None if n % 2 else n,
            "actor": "测试\t制表符",
            "action": "test.append",
            "entity_type": "org",
            "entity_id": f"id-{n}",
            "diff": '{"新":"值\\n换行"}',
            "reason": "",
            "prev_hash": "0" * 64,
            "hash": f"{n:064d}",
        }
        for n in range(3)
    ]
    append_rows(session, AuditRecord, rows)
    append_rows(session, AuditRecord, [])
    stored = session.scalars(
        select(AuditRecord).where(AuditRecord.action == "test.append").order_by(AuditRecord.seq)
    ).all()
    assert [r.seq for r in stored] == [10_000, 10_001, 10_002]
    assert stored[0].at == at.astimezone(UTC)
    assert stored[0].at.tzinfo is not None
    assert [r.actor_id for r in stored] == [0, None, 2]
    assert stored[1].actor == "测试\t制表符"
    assert stored[2].diff == '{"新":"值\\n换行"}'
