"""A write lock held elsewhere is a 503 with Retry-After; an import checks its file without it.

These tests use a real SQLite file and a second connection that holds the write lock
(``BEGIN IMMEDIATE``), as a long import in another request would.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from tests.factories import new_uscc

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import is_lock_timeout, make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.registry import importer
from longcheng.web import create_app

HEADERS = importer.HEADERS


@pytest.fixture
def locked_app(tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Path]]:
    """The real app on its own SQLite file, with an admin token, and a short lock wait."""
    db = tmp_path / "lock.sqlite3"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        admin = users.create(
            session, actor=SYSTEM, username="locker", password="pw-123456789", role=Role.admin
        )
        token = users.create_token(session, actor=SYSTEM, user_id=admin.id, name="t")
    engine.dispose()
    settings = Settings(
        database_url=f"sqlite:///{db}", secret_key="t", data_dir=tmp_path, sqlite_busy_timeout_ms=100
    )
    app = create_app(settings)
    with TestClient(app) as client:
        yield client, {"Authorization": f"Bearer {token}"}, db
    app.state.longcheng.engine.dispose()


def csv_file(*districts: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(HEADERS)
    for d in districts:
        cells = {
            "统一社会信用代码": new_uscc(),
            "机构名称": f"常州锁测试{new_uscc()[-6:]}有限公司",
            "所属区": d,
        }
        writer.writerow([cells.get(h, "") for h in HEADERS])
    return buf.getvalue().encode()


def hold_write_lock(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None, timeout=0.1)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def test_write_while_locked_is_503_with_retry_after(
    locked_app: tuple[TestClient, dict[str, str], Path],
) -> None:
    """A write that cannot get the lock in time answers 503 and says when to retry; reads still work."""
    client, headers, db = locked_app
    blocker = hold_write_lock(db)
    try:
        resp = client.post(
            "/api/v1/registry/orgs",
            json={"uscc": new_uscc(), "name": "常州锁定测试有限公司"},
            headers=headers,
        )
        assert resp.status_code == 503
        assert resp.headers["Retry-After"].isdigit()
        assert resp.json()["code"] == "db.busy"
        assert client.get("/api/v1/registry/orgs", headers=headers).status_code == 200
    finally:
        blocker.rollback()
        blocker.close()
    resp = client.post(
        "/api/v1/registry/orgs", json={"uscc": new_uscc(), "name": "常州锁定测试有限公司"}, headers=headers
    )
    assert resp.status_code == 201, resp.text


def test_import_checks_the_file_without_the_write_lock(
    locked_app: tuple[TestClient, dict[str, str], Path],
) -> None:
    """While another writer holds the lock, a bad file is still checked in full (422 with rows);
    a good file is checked, then waits for the lock only to write (503, nothing written)."""
    client, headers, db = locked_app
    blocker = hold_write_lock(db)
    try:
        bad = client.post(
            "/api/v1/registry/import",
            headers=headers,
            files={"file": ("a.csv", csv_file("新北区", "火星区"))},
        )
        assert bad.status_code == 422, bad.text
        assert bad.json()["errors"][0]["line"] == 3
        good = client.post(
            "/api/v1/registry/import", headers=headers, files={"file": ("b.csv", csv_file("新北区"))}
        )
        assert good.status_code == 503
        assert good.headers["Retry-After"]
    finally:
        blocker.rollback()
        blocker.close()
    good = client.post(
        "/api/v1/registry/import", headers=headers, files={"file": ("b.csv", csv_file("新北区"))}
    )
    assert good.status_code == 200
    assert good.json()["created"] == 1


class FakeDriverError(Exception):
    def __init__(self, *args: object, sqlstate: str | None = None) -> None:
        super().__init__(*args)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("orig", "locked"),
    [
        (FakeDriverError("database is locked"), True),
        (FakeDriverError("x", sqlstate="55P03"), True),
        (FakeDriverError({"C": "55P03", "M": "canceling statement due to lock timeout"}), True),
        (FakeDriverError({"C": "40P01", "M": "deadlock detected"}), True),
        (FakeDriverError("no such table: x"), False),
    ],
)
def test_lock_timeouts_are_recognised_on_both_databases(orig: Exception, locked: bool) -> None:
    """SQLite's "database is locked" and PostgreSQL's lock-timeout and deadlock states are busy."""
    assert is_lock_timeout(OperationalError("SELECT 1", {}, orig)) is locked
