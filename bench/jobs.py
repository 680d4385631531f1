"""Benchmark the job queue: enqueue-to-start latency with an idle worker, and sustained throughput.

Run: .venv/bin/python bench/jobs.py [--latency-jobs 200] [--seconds 60] [--rate 25] [--threads 2]

1. Migrates a fresh SQLite database in a temporary folder and starts one ``longcheng worker``
   (SqliteHuey in the data folder) as a subprocess.
2. Latency: submits one small ``platform.demo`` job (1 step, no sleep) at a time, waits until
   it has started, and records started_at − created_at (the job row is written, committed and
   dispatched in between). Target p95 < 200 ms.
3. Throughput: submits small jobs at ``--rate`` per second for ``--seconds`` and counts how many
   finished inside the window and how long the backlog took to drain. Target ≥ 1,000 jobs/minute.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.migrate import upgrade
from longcheng.modules import wire
from longcheng.platform.jobs import queue
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.jobs.tasks import DEMO

SMALL = {"steps": 1, "seconds": 0}


def _submit(factory, cfg: Settings) -> int:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        job_id = job_service.submit(session, actor=WORKER, kind=DEMO, params=SMALL).id
    queue.dispatch(cfg, [job_id])
    return job_id


def latency(factory, cfg: Settings, n: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(n):
        job_id = _submit(factory, cfg)
        while True:
            with transaction(factory) as session:
                job = session.get(Job, job_id)
                assert job is not None
                if job.started_at is not None:
                    out.append((job.started_at - job.created_at).total_seconds() * 1000)
                    break
            time.sleep(0.005)
        time.sleep(0.2)  # the worker is idle again before the next job
    return out


def _finished(factory) -> int:  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        stmt = select(func.count()).select_from(Job).where(Job.state == JobState.done)
        return int(session.scalar(stmt) or 0)


def throughput(factory, cfg: Settings, seconds: float, rate: float) -> tuple[int, int, int, float]:  # type: ignore[no-untyped-def]
    before = _finished(factory)
    start = time.monotonic()
    sent = 0
    while (elapsed := time.monotonic() - start) < seconds:
        while sent < elapsed * rate:
            _submit(factory, cfg)
            sent += 1
        time.sleep(0.01)
    in_window = _finished(factory) - before
    while _finished(factory) - before < sent and time.monotonic() - start < seconds * 3:
        time.sleep(0.1)
    return sent, in_window, _finished(factory) - before, time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--latency-jobs", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--rate", type=float, default=25)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    wire()
    tmp = Path(tempfile.mkdtemp(prefix="jobs-bench-"))
    cfg = Settings(database_url=f"sqlite:///{tmp / 'bench.sqlite3'}", data_dir=tmp / "var")
    engine = make_engine(cfg.database_url)
    upgrade(engine)
    factory = make_sessionmaker(write_engine(engine))
    env = {**os.environ, "LONGCHENG_DATABASE_URL": cfg.database_url, "LONGCHENG_DATA_DIR": str(cfg.data_dir)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "longcheng.cli", "worker", "--threads", str(args.threads)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)
        print(f"load average at start: {os.getloadavg()}")
        lat = sorted(latency(factory, cfg, args.latency_jobs))
        p50, p95 = statistics.median(lat), lat[int(len(lat) * 0.95) - 1]
        print(
            f"enqueue-to-start latency over {len(lat)} jobs: "
            f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {lat[-1]:.1f} ms"
        )
        sent, in_window, total, drained = throughput(factory, cfg, args.seconds, args.rate)
        per_min = in_window * 60 / args.seconds
        print(
            f"throughput: sent {sent} in {args.seconds:.0f} s, {in_window} done inside the window "
            f"({per_min:.0f}/min); all {total} done after {drained:.1f} s"
        )
        print(f"load average at end: {os.getloadavg()}")
    finally:
        worker.terminate()
        worker.wait()


if __name__ == "__main__":
    main()
