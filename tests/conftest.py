"""Test fixtures: migrations once per worker and backend, one rolled-back transaction per test.

Every database test runs on SQLite and, when a PostgreSQL server answers (or
``LONGCHENG_TEST_DATABASE_URL`` names one), on PostgreSQL too; without one, the PostgreSQL
variants are skipped with the reason shown in the summary.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, create_engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from longcheng.core.config import Settings
from longcheng.core.db import make_engine, normalise_url
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.modules import wire
from longcheng.platform.jobs import worker
from longcheng.platform.jobs.models import Job, JobState
from longcheng.web import create_app

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/postgres"


def _test_key_file() -> None:
    """One personal-data key ring per test process (and its subprocesses, through the environment)."""
    if os.environ.get("LONGCHENG_PII_KEY_FILE"):
        return
    path = Path(tempfile.mkdtemp(prefix="longcheng-keys-")) / "pii.key"
    vault.init_key_file(path)
    os.environ["LONGCHENG_PII_KEY_FILE"] = str(path)


_test_key_file()
REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def _pg_admin_url() -> str | None:
    url = os.environ.get("LONGCHENG_TEST_DATABASE_URL")
    if url:
        return url
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            return PG_DEFAULT
    except OSError:
        return None


PG_URL = _pg_admin_url()
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(
            PG_URL is None,
            reason="PostgreSQL 不可用：127.0.0.1:5432 无应答且未设置 LONGCHENG_TEST_DATABASE_URL",
        ),
    ),
]


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def _admin() -> Engine:
    assert PG_URL is not None
    return create_engine(normalise_url(PG_URL), isolation_level="AUTOCOMMIT")


def fresh_pg_database(name: str) -> str:
    """Create (or recreate) a PostgreSQL database and return its URL.

    Names carry the process id so that two test runs on one server never drop each other's
    databases; :func:`drop_pg_database` removes them at the end.
    """
    assert PG_URL is not None
    name = f"{name}_{os.getpid()}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _CREATED.append(name)
    return re.sub(r"/[^/]*$", f"/{name}", PG_URL)


_CREATED: list[str] = []


@pytest.fixture(scope="session", autouse=True)
def _wired_modules() -> None:
    """Connect the modules' announcements as the app and the CLI do (tests call services directly too)."""
    wire()


@pytest.fixture(scope="session", autouse=True)
def _drop_created_databases() -> Iterator[None]:
    """Drop every PostgreSQL database this test process created (per-test CLI databases too)."""
    yield
    if PG_URL is not None and _CREATED:
        admin = _admin()
        with admin.connect() as conn:
            for name in _CREATED:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    return fresh_pg_database(f"longcheng_test_{_worker()}")


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One outer transaction per test, rolled back at the end whatever the test committed."""
    conn = engine.connect()
    outer = conn.begin()
    yield conn
    outer.rollback()
    conn.close()


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    return sessionmaker(bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint")


@pytest.fixture
def session(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    s = session_factory()
    yield s
    s.close()


@pytest.fixture(params=BACKENDS)
def cli_db(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A fresh, migrated database and data folder that CLI commands reach through the environment."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    else:
        url = fresh_pg_database(f"longcheng_cli_{tmp_path.name[-20:].lower()}")
    eng = make_engine(url)
    upgrade(eng)
    eng.dispose()
    monkeypatch.setenv("LONGCHENG_DATABASE_URL", url)
    monkeypatch.setenv("LONGCHENG_DATA_DIR", str(tmp_path / "var"))
    return url


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=db_url, secret_key="test-secret", data_dir=tmp_path, max_upload_bytes=5 * 1024 * 1024
    )


@pytest.fixture
def app_client(settings: Settings, session_factory: sessionmaker[Session]) -> Iterator[TestClient]:
    """The real app over HTTP, its sessions joined to the test's rolled-back transaction."""
    app = create_app(settings)
    state = app.state.longcheng
    state.sessions = state.write_sessions = session_factory
    with TestClient(app, base_url="http://testserver") as client:
        yield client
    state.engine.dispose()


@pytest.fixture
def run_jobs(settings: Settings, session_factory: sessionmaker[Session]) -> Callable[[], dict[int, JobState]]:
    """Run every queued job now, as the worker would, inside the test's rolled-back transaction."""
    runtime = worker.Runtime(settings, session_factory, worker_id="test-host:1:jobs")

    def run() -> dict[int, JobState]:
        with session_factory() as s:
            ids = list(s.scalars(select(Job.id).where(Job.state == JobState.queued).order_by(Job.id)))
        outcome: dict[int, JobState] = {}
        for job_id in ids:
            state = worker.execute(runtime, job_id)
            if state is not None:
                outcome[job_id] = state
        return outcome

    return run
