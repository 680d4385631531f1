"""A burst of clients against one web worker: every request answered, none stalled on the pool.

A request's session used to be closed on a pool thread after its route; with 40 threads and 15
connections, 50 clients on one worker filled every thread with requests waiting for a
connection while the requests holding the connections waited for a thread: the worker answered
nothing for the pool's 30 s and then 500s. Tested with a real server and real clients.
"""

from __future__ import annotations

import http.client
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from tests.servers import serving

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import SPARE_CONNECTIONS, make_engine, make_sessionmaker, transaction
from longcheng.modules import wire
from longcheng.registry import demo as registry_demo
from longcheng.web import create_app


def seed(url: str) -> str:
    """Two hundred firms and an admin's API token."""
    wire()
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        registry_demo.seed(session, actor=SYSTEM, count=200)
        user = users.create(session, actor=SYSTEM, username="burst", password="burst-pass-1", role=Role.admin)
        token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="burst")
    engine.dispose()
    return token


def client(base: str, token: str, statuses: list[int], lock: threading.Lock) -> None:
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=120)
    auth = {"Authorization": f"Bearer {token}"}
    for page in (1, 2, 3):
        conn.request("GET", f"/api/v1/registry/orgs?page={page}", headers=auth)
        resp = conn.getresponse()
        resp.read()
        with lock:
            statuses.append(resp.status)
    conn.close()


def test_more_clients_than_threads_and_connections_are_all_answered(cli_db: str, tmp_path: Path) -> None:
    token = seed(cli_db)
    settings = Settings(database_url=cli_db, secret_key="pool-secret-key", data_dir=tmp_path, web_threads=4)
    statuses: list[int] = []
    lock = threading.Lock()
    with serving(create_app(settings)) as base:
        clients = [threading.Thread(target=client, args=(base, token, statuses, lock)) for _ in range(60)]
        for t in clients:
            t.start()
        for t in clients:
            t.join()
    assert statuses == [200] * 180


def test_no_free_connection_is_a_503_with_retry_after(cli_db: str, tmp_path: Path) -> None:
    """When something outside the requests holds every connection, a request waits its bounded
    time and is told to try again, never a 500."""
    token = seed(cli_db)
    settings = Settings(
        database_url=cli_db,
        secret_key="pool-secret-key",
        data_dir=tmp_path,
        web_threads=1,
        db_pool_timeout_seconds=0.2,
    )
    app = create_app(settings)
    engine = app.state.longcheng.engine
    # One kept, one more in a burst and the spares: every connection the pool will open.
    held = [engine.connect() for _ in range(2 * settings.threads_per_worker() + SPARE_CONNECTIONS)]
    try:
        with TestClient(app) as http:
            resp = http.get("/api/v1/registry/orgs", headers={"Authorization": f"Bearer {token}"})
        assert resp.status_code == 503
        assert resp.headers["retry-after"] == "5"
        assert resp.json()["code"] == "db.busy"
        assert "请求过多" in resp.json()["message"]
    finally:
        for conn in held:
            conn.close()
        engine.dispose()


def test_a_worker_runs_a_few_threads_on_sqlite_and_more_on_postgresql(tmp_path: Path) -> None:
    """SQLite works in the worker's process (more threads only contend for the interpreter),
    PostgreSQL in its own (threads wait on the network); a set value wins over both."""

    def threads(url: str, **extra: int) -> int:
        settings = Settings(database_url=url, secret_key="pool-secret-key", data_dir=tmp_path, **extra)
        return settings.threads_per_worker()

    assert threads(f"sqlite:///{tmp_path / 'a.sqlite3'}") == 4
    assert threads("postgresql://postgres@127.0.0.1:5432/longcheng") == 12
    assert threads("postgresql://postgres@127.0.0.1:5432/longcheng", web_threads=6) == 6
