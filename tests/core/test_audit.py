"""The audit trail: recorded with each change, hash-chained, and proven intact or not by the CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from tests.factories import make_org
from typer.testing import CliRunner

from longcheng.cli import app
from longcheng.core import audit
from longcheng.core.actors import SYSTEM
from longcheng.core.db import make_engine, make_sessionmaker, transaction

runner = CliRunner()


def seed(url: str, n: int = 3) -> None:
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        for i in range(n):
            make_org(session, name=f"常州痕迹{i}有限公司")
    engine.dispose()


def tamper(url: str, *statements: str) -> None:
    """What an intruder with database rights would do: lift the append-only guard, then edit."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_record_no_update"))
            conn.execute(text("DROP TRIGGER audit_record_no_delete"))
        else:
            conn.execute(text("ALTER TABLE audit_record DISABLE TRIGGER audit_record_append_only"))
        for sql in statements:
            conn.execute(text(sql))
    engine.dispose()


def test_intact_chain_verifies(cli_db: str) -> None:
    """An untouched log passes: exit code 0 and the number of records checked."""
    seed(cli_db)
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "已校验 3 条记录" in result.output


def test_edited_row_fails_and_is_named(cli_db: str) -> None:
    """Editing one audit row makes verify exit 1 and name that row."""
    seed(cli_db)
    tamper(cli_db, "UPDATE audit_record SET reason = 'x' WHERE seq = 2")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "第 2 条记录内容被篡改" in result.output


def test_removed_row_fails(cli_db: str) -> None:
    """Deleting a record in the middle is detected as a removal."""
    seed(cli_db)
    tamper(cli_db, "DELETE FROM audit_record WHERE seq = 2")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "第 2 条记录缺失" in result.output


def test_reordered_rows_fail(cli_db: str) -> None:
    """Swapping two records' places breaks the chain."""
    seed(cli_db)
    tamper(
        cli_db,
        "UPDATE audit_record SET seq = seq + 100 WHERE seq IN (1, 2)",
        "UPDATE audit_record SET seq = 2 WHERE seq = 101",
        "UPDATE audit_record SET seq = 1 WHERE seq = 102",
    )
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert "第 1 条" in result.output


def test_log_refuses_updates(cli_db: str) -> None:
    """Without lifting the guard, the database itself refuses to change an audit row."""
    seed(cli_db, 1)
    engine = make_engine(cli_db)
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("UPDATE audit_record SET reason = 'x'"))
    engine.dispose()


def test_diff_keeps_only_changed_fields(session: object) -> None:
    """A record of an edit keeps the old and new value of each changed field only."""
    assert audit.make_diff({"name": "甲", "district": "xinbei"}, {"name": "乙", "district": "xinbei"}) == {
        "name": ["甲", "乙"]
    }
    assert SYSTEM.label == "系统（系统管理员）"
