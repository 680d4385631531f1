"""Benchmark the web policy batch as a job: the page that starts it, and list pages while it runs.

Run: .venv/bin/python bench/jobs_web.py [--orgs 100000] [--requests 200]

1. Migrates a fresh SQLite database in a temporary folder and seeds ``--orgs`` fictional
   organisations (not timed); starts the app under uvicorn on 127.0.0.1 and one
   ``longcheng worker`` subprocess on the same database and data folder.
2. Baseline: ``--requests`` mixed ``GET /registry`` list pages (district, tag and name filters,
   pages 1–5) with no job running.
3. Logs in as a city-wide officer through the form and times ``POST /policy/runs`` (the page
   that starts the run: it answers 303 with the job; target < 100 ms), then the follow-up page
   with the inline progress.
4. While the worker runs the job, the same list-page mix again, then waits for the job to end
   and prints the run's time in the worker. Targets: start page < 100 ms; list p95 as at rest.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx
import uvicorn
from sqlalchemy import select

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.platform.jobs.models import Job
from longcheng.registry import demo
from longcheng.web import create_app

PASSWORD = "bench-pass-1"
DISTRICTS = ["xinbei", "wujin", "tianning", "zhonglou", "jintan", "liyang"]
QUERIES = ["常州", "科技", "新能源", "电", "智能制造"]


def seed(url: str, orgs: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    with transaction(make_sessionmaker(engine)) as session:
        demo.seed(session, actor=SYSTEM, count=orgs, seed=11)
        users.create(session, actor=SYSTEM, username="benchcity", password=PASSWORD, role=Role.officer)
    engine.dispose()
    print(f"seeded {orgs} organisations in {time.perf_counter() - start:.1f} s")


def serve(cfg: Settings) -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(cfg), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return port


def login(client: httpx.Client) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token is not None
    data = {"username": "benchcity", "password": PASSWORD, "csrf_token": token.group(1)}
    assert client.post("/login", data=data).status_code == 303
    return token.group(1)


def list_mix(client: httpx.Client, n: int, rng: random.Random) -> list[float]:
    out = []
    for _ in range(n):
        params: dict[str, str] = {"page": str(rng.randint(1, 5))}
        pick = rng.random()
        if pick < 0.4:
            params["district"] = rng.choice(DISTRICTS)
        elif pick < 0.7:
            params["q"] = rng.choice(QUERIES)
        else:
            params["tag"] = rng.choice(["high_tech", "srdi"])
        start = time.perf_counter()
        assert client.get("/registry", params=params).status_code == 200
        out.append((time.perf_counter() - start) * 1000)
    return out


def describe(label: str, ms: list[float]) -> None:
    p95 = statistics.quantiles(ms, n=20)[18]
    print(f"{label}: n={len(ms)} p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms")


def job_times(url: str) -> tuple[str, float | None]:
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        job = session.scalars(select(Job).order_by(Job.id.desc())).first()
        assert job is not None
        took = (job.ended_at - job.started_at).total_seconds() if job.ended_at and job.started_at else None
        state = f"{job.state} {job.progress}% {job.status_line} {job.error}".strip()
    engine.dispose()
    return state, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="jobs-web-"))
    url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    seed(url, args.orgs)
    cfg = Settings(database_url=url, secret_key="bench", data_dir=tmp)
    port = serve(cfg)
    env = {**os.environ, "LONGCHENG_DATABASE_URL": url, "LONGCHENG_DATA_DIR": str(tmp)}
    worker = subprocess.Popen(
        [sys.executable, "-m", "longcheng.cli", "worker"], env=env, stderr=subprocess.DEVNULL
    )
    rng = random.Random(5)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
            token = login(client)
            list_mix(client, 20, rng)
            assert client.get("/policy/runs").status_code == 200  # warm-up: the policy pack is loaded once
            describe("GET /registry at rest", list_mix(client, args.requests, rng))
            start = time.perf_counter()
            resp = client.post("/policy/runs", data={"csrf_token": token, "year": "2025", "notify": "1"})
            started_ms = (time.perf_counter() - start) * 1000
            assert resp.status_code == 303, resp.text[:300]
            start = time.perf_counter()
            assert client.get(resp.headers["location"]).status_code == 200
            page_ms = (time.perf_counter() - start) * 1000
            print(f"POST /policy/runs (starts the job): {started_ms:.1f} ms; progress page {page_ms:.1f} ms")
            describe("GET /registry while the worker runs the batch", list_mix(client, args.requests, rng))
            print(f"job after the list requests: {job_times(url)[0]}")
            while not job_times(url)[0].startswith(("done", "failed", "cancelled")):
                time.sleep(1)
            state, took = job_times(url)
            print(f"job: {state}; {took:.1f} s in the worker" if took else f"job: {state}")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
