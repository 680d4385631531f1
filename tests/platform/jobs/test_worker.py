"""The real worker: `longcheng worker` as a subprocess against a temporary SQLite database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from longcheng.core import audit
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.migrate import upgrade
from longcheng.platform.jobs import queue
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.jobs.tasks import DEMO, DEMO_ENTITY

WAIT = 60.0


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return {
        **os.environ,
        "LONGCHENG_DATABASE_URL": url,
        "LONGCHENG_DATA_DIR": str(tmp_path / "var"),
        "LONGCHENG_JOB_STALE_SECONDS": "600",
    }


def _settings(env: dict[str, str]) -> Settings:
    return Settings(database_url=env["LONGCHENG_DATABASE_URL"], data_dir=Path(env["LONGCHENG_DATA_DIR"]))


@pytest.fixture
def start_worker(env: dict[str, str]) -> Iterator[Callable[[], subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "longcheng.cli", "worker"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


def _submit(env: dict[str, str], **params: object) -> int:
    cfg = _settings(env)
    factory = make_sessionmaker(make_engine(cfg.database_url))
    with transaction(factory) as session:
        job_id = job_service.submit(session, actor=WORKER, kind=DEMO, params=params).id
    assert queue.dispatch(cfg, [job_id])
    return job_id


def _job(env: dict[str, str], job_id: int) -> Job:
    factory = make_sessionmaker(make_engine(env["LONGCHENG_DATABASE_URL"]))
    with transaction(factory) as session:
        job = session.get(Job, job_id)
        assert job is not None
        return job


def _wait(env: dict[str, str], job_id: int, ok: Callable[[Job], bool]) -> Job:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        job = _job(env, job_id)
        if ok(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not get there: {_job(env, job_id)!r}")


def test_worker_runs_a_job_and_stops_cleanly(env: dict[str, str], start_worker: Callable) -> None:
    """A submitted job runs in the worker to done; SIGINT stops the worker without a traceback."""
    proc = start_worker()
    job_id = _submit(env, steps=2, seconds=0)
    job = _wait(env, job_id, lambda j: j.job_state.finished)
    assert job.job_state is JobState.done
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    assert proc.stdout is not None
    assert "Traceback" not in proc.stdout.read().decode()


def test_killed_worker_fails_the_job_and_retry_writes_once(
    env: dict[str, str], start_worker: Callable
) -> None:
    """Kill -9 mid-job: the next worker fails it (nothing half-written); a retry completes it once."""
    first = start_worker()
    job_id = _submit(env, steps=200, seconds=0.05)
    _wait(env, job_id, lambda j: j.job_state is JobState.running and j.progress > 0)
    first.send_signal(signal.SIGKILL)
    first.wait()
    start_worker()
    job = _wait(env, job_id, lambda j: j.job_state is JobState.failed)
    assert "后台进程已停止" in job.error
    factory = make_sessionmaker(write_engine(make_engine(env["LONGCHENG_DATABASE_URL"])))
    with transaction(factory) as session:
        assert audit.history(session, entity_type=DEMO_ENTITY, entity_id=job.key) == []
        session.execute(update(Job).where(Job.id == job_id).values(params='{"steps": 2, "seconds": 0}'))
        job_service.retry(session, job_id, actor=WORKER)
    queue.dispatch(_settings(env), [job_id])
    done = _wait(env, job_id, lambda j: j.job_state.finished)
    assert done.job_state is JobState.done
    with transaction(factory) as session:
        assert len(audit.history(session, entity_type=DEMO_ENTITY, entity_id=job.key)) == 1


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_unreachable_redis_is_a_clear_error(env: dict[str, str]) -> None:
    """LONGCHENG_REDIS_URL set but nobody answers: a Chinese error and exit 1, within seconds."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    bad = {**env, "LONGCHENG_REDIS_URL": f"redis://127.0.0.1:{port}/0"}
    done = subprocess.run(
        [sys.executable, "-m", "longcheng.cli", "worker"], env=bad, capture_output=True, timeout=60, text=True
    )
    assert done.returncode == 1
    assert "无法连接任务队列 Redis" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.skipif(not _redis_up(), reason="Redis 不可用：127.0.0.1:6379 无应答")
def test_redis_queue(env: dict[str, str], start_worker: Callable) -> None:
    """With LONGCHENG_REDIS_URL the same job runs through Redis (own key prefix per test)."""
    env["LONGCHENG_REDIS_URL"] = "redis://127.0.0.1:6379/0"
    env["LONGCHENG_QUEUE_NAME"] = f"longcheng-test-{os.getpid()}-{time.monotonic_ns()}"
    start_worker()
    cfg = Settings(
        database_url=env["LONGCHENG_DATABASE_URL"],
        data_dir=Path(env["LONGCHENG_DATA_DIR"]),
        redis_url=env["LONGCHENG_REDIS_URL"],
        queue_name=env["LONGCHENG_QUEUE_NAME"],
    )
    factory = make_sessionmaker(make_engine(cfg.database_url))
    with transaction(factory) as session:
        job_id = job_service.submit(session, actor=WORKER, kind=DEMO, params={"steps": 1, "seconds": 0}).id
    assert queue.dispatch(cfg, [job_id])
    assert _wait(env, job_id, lambda j: j.job_state.finished).job_state is JobState.done
