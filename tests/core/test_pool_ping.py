"""PostgreSQL connections that died in the pool: replaced before use, or a clear 503, never a 500.

A pooled connection is pinged at checkout only when it has been idle past
``db.PING_AFTER_IDLE_SECONDS`` (a busy worker skips a round trip per request). The attack here is
what a database restart does: every server process of the database is ended while the web
worker's pool still holds their connections.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.conftest import PG_URL, _admin, fresh_pg_database

from longcheng.core import db, users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.registry import demo as registry_demo
from longcheng.web import create_app

pytestmark = pytest.mark.skipif(
    PG_URL is None, reason="PostgreSQL 不可用：127.0.0.1:5432 无应答且未设置 LONGCHENG_TEST_DATABASE_URL"
)
LIST = "/api/v1/registry/orgs?page=1"


@pytest.fixture(scope="module")
def pg_site() -> tuple[str, str]:
    """A migrated PostgreSQL database with 30 firms and an admin's API token."""
    url = fresh_pg_database("longcheng_ping")
    engine = make_engine(url)
    upgrade(engine)
    with transaction(make_sessionmaker(engine)) as session:
        registry_demo.seed(session, actor=SYSTEM, count=30)
        user = users.create(session, actor=SYSTEM, username="pinger", password="ping-pass-1", role=Role.admin)
        token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="ping")
    engine.dispose()
    return url, token


@pytest.fixture
def client(pg_site: tuple[str, str], tmp_path: Path) -> Iterator[TestClient]:
    url, token = pg_site
    settings = Settings(database_url=url, secret_key="ping-secret-key", data_dir=tmp_path, web_threads=2)
    app = create_app(settings)
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as c:
        yield c
    app.state.longcheng.engine.dispose()


def end_every_connection(url: str) -> int:
    """What a restart does to the web worker's pool: every other session of the database ends."""
    name = url.rsplit("/", 1)[1]
    admin = _admin()
    with admin.connect() as conn:
        ended = conn.execute(
            text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = :n"),
            {"n": name},
        ).scalar_one()
    admin.dispose()
    return int(ended)


def test_a_connection_that_died_while_idle_is_replaced_unseen(
    client: TestClient, pg_site: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get(LIST).status_code == 200
    assert end_every_connection(pg_site[0]) >= 1
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # every pooled connection counts as idle
    answers = [client.get(LIST) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json()["total"] == 30


def test_a_connection_that_died_in_the_window_gives_a_busy_answer_then_recovers(
    client: TestClient, pg_site: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert client.get(LIST).status_code == 200
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600.0)  # nothing is pinged
    assert end_every_connection(pg_site[0]) >= 1
    failed = client.get(LIST)
    assert failed.status_code == 503
    assert failed.headers["retry-after"]
    assert failed.json()["code"] == "db.busy"
    assert "数据库连接中断" in failed.json()["message"]
    # The pool dropped every connection as old as the dead one: the next request is served.
    again = client.get(LIST)
    assert again.status_code == 200
    assert again.json()["total"] == 30
