"""Throughput under load: requests/s and p50/p95/p99 with 50 concurrent clients on list pages and APIs.

Usage: .venv/bin/python bench/load.py [--orgs 100000] [--backend sqlite|postgres|both]
       [--clients 50] [--requests 3000] [--workers N] [--smoke]

Per backend: a demo-like database (``--orgs`` fictional organisations from ``registry.demo``,
the generator ``bench/registry_bench.py`` imports, plus ``--projects`` demo projects, 300 by
default) is built once and kept (``bench/out/load_<orgs>.sqlite3``, or the PostgreSQL database
``load_bench_<orgs>``; ``--fresh`` rebuilds it). Then ``longcheng serve`` runs as its own
subprocess on a free port of 127.0.0.1 with ``--workers`` processes (default:
``LONGCHENG_WEB_WORKERS``, one per CPU core), and a small asyncio HTTP/1.1 client (keep-alive,
one connection per client; light enough not to starve the server of CPU) sends ``--requests``
GETs per scenario from ``--clients`` concurrent clients after a warm-up, each request a
different mix of search, filters, sort and page. Bounded: a fixed number of requests,
127.0.0.1 only, a 30 s timeout per request. Target (issue 16, item 27):
≥ 400 requests/s with p95 < 250 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, func, select, text

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.modules import wire
from longcheng.projects import demo as projects_demo
from longcheng.registry import demo as registry_demo
from longcheng.registry.models import Organisation

OUT = Path(__file__).resolve().parent / "out"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
HOST = "127.0.0.1"
TIMEOUT = 30.0
WORDS = ["龙城", "光伏", "锂", "智造", "常州天目", "研究院", "储能科技", "芙蓉"]


def database_url(backend: str, orgs: int, fresh: bool, folder: Path) -> tuple[str, bool]:
    """The URL of the kept database and whether it must be (re)built."""
    if backend == "sqlite":
        folder.mkdir(exist_ok=True)
        path = folder / f"load_{orgs}.sqlite3"
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}", not path.exists()
    name = f"load_bench_{orgs}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first()
        if fresh or not exists:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@{HOST}:5432/{name}", bool(fresh or not exists)


def build(url: str, orgs: int, projects: int, rebuild: bool) -> str:
    """Seed the database when needed; return a fresh admin API token."""
    wire()
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    with transaction(sessions) as session:
        have = session.scalar(select(func.count()).select_from(Organisation))
    if rebuild or have != orgs:
        start = time.perf_counter()
        with transaction(sessions) as session:
            registry_demo.seed(session, actor=SYSTEM, count=orgs)
            projects_demo.seed(session, actor=SYSTEM, count=projects, orgs=orgs)
        print(
            f"  built {orgs} organisations + {projects} projects in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
    with transaction(sessions) as session:
        user = users.get_by_username(session, "loadbench")
        if user is None:
            user = users.create(
                session, actor=SYSTEM, username="loadbench", password="bench-pass-1", role=Role.admin
            )
        token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="load")
    engine.dispose()
    return token


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    """``longcheng serve`` in its own process group, answering on 127.0.0.1 only."""
    env = {**os.environ, "LONGCHENG_DATABASE_URL": url, "LONGCHENG_SECRET_KEY": "load-bench-secret"}
    env["LONGCHENG_WEB_WORKERS"] = str(workers)
    cli = Path(sys.executable).with_name("longcheng")
    cmd = [str(cli), "serve", "--host", HOST, "--port", str(port), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, env=env, start_new_session=True)
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as conn:
                conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                if conn.recv(16).startswith(b"HTTP/1.1 200"):
                    return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not answer /healthz within 300 s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def _read_response(reader: asyncio.StreamReader) -> int:
    """Read one HTTP/1.1 response (Content-Length or chunked); return its status."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:] if ln)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status


async def _client(port: int, token: str, paths: list[str], latencies: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        for path in paths:
            request = f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nAuthorization: Bearer {token}\r\n\r\n"
            start = time.perf_counter()
            writer.write(request.encode())
            status = await asyncio.wait_for(_read_response(reader), TIMEOUT)
            latencies.append((time.perf_counter() - start) * 1000)
            if status != 200:
                errors.append(f"{status} {path}")
    finally:
        writer.close()


async def _run(port: int, token: str, paths: list[str], clients: int) -> tuple[float, list[float], list[str]]:
    latencies: list[float] = []
    errors: list[str] = []
    shares = [paths[i::clients] for i in range(clients)]
    start = time.perf_counter()
    await asyncio.gather(*(_client(port, token, share, latencies, errors) for share in shares))
    return time.perf_counter() - start, latencies, errors


def _registry_query(rng: random.Random) -> dict[str, str]:
    q: dict[str, str] = {}
    if rng.random() < 0.4:
        q["q"] = rng.choice(WORDS)
    if rng.random() < 0.4:
        q["district"] = rng.choice(["xinbei", "wujin", "liyang", "tianning"])
    if rng.random() < 0.25:
        q["tag"] = rng.choice(["high_tech", "tech_sme", "srdi"])
    if rng.random() < 0.2:
        q["industry"] = rng.choice(["38", "39", "35"])
    q["sort"] = rng.choice(["name", "-established", "uscc"])
    q["page"] = str(rng.choice([1, 1, 1, 2, 3, 10]))
    return q


def _projects_query(rng: random.Random) -> dict[str, str]:
    q: dict[str, str] = {}
    if rng.random() < 0.3:
        q["district"] = rng.choice(["xinbei", "wujin", "liyang", "tianning"])
    if rng.random() < 0.3:
        q["q"] = rng.choice(["新能源", "智能", "项目", "产业园"])
    q["page"] = str(rng.choice([1, 1, 2, 3]))
    return q


SCENARIOS: dict[str, tuple[str, Callable[[random.Random], dict[str, str]]]] = {
    "API  /api/v1/registry/orgs": ("/api/v1/registry/orgs", _registry_query),
    "page /registry": ("/registry", _registry_query),
    "API  /api/v1/projects": ("/api/v1/projects", _projects_query),
    "page /projects": ("/projects", _projects_query),
}


def paths_for(scenario: str, count: int, seed: int) -> list[str]:
    base, make = SCENARIOS[scenario]
    rng = random.Random(seed)
    return [f"{base}?{urlencode(make(rng))}" for _ in range(count)]


def percentile(sorted_ms: list[float], p: float) -> float:
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p))]


def measure(port: int, token: str, args: argparse.Namespace, backend: str) -> None:
    mixed = [p for i, name in enumerate(SCENARIOS) for p in paths_for(name, args.requests // 4, 100 + i)]
    random.Random(7).shuffle(mixed)
    plan = {name: paths_for(name, args.requests, i) for i, name in enumerate(SCENARIOS)}
    plan["mixed (all four)"] = mixed
    asyncio.run(_run(port, token, mixed[: max(args.clients, len(mixed) // 5)], args.clients))  # warm-up
    for name, paths in plan.items():
        seconds, latencies, errors = asyncio.run(_run(port, token, paths, args.clients))
        latencies.sort()
        p50, p95, p99 = (percentile(latencies, p) for p in (0.50, 0.95, 0.99))
        ok = "ok" if len(paths) / seconds >= 400 and p95 < 250 else "below target"
        print(
            f"[{backend}] {name:28s} {len(paths) / seconds:7.1f} req/s  p50 {p50:6.1f}  p95 {p95:6.1f}  "
            f"p99 {p99:6.1f} ms  ({len(paths)} requests, {args.clients} clients, {ok})",
            flush=True,
        )
        if errors:
            raise SystemExit(f"{len(errors)} requests failed, e.g. {errors[:3]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="per scenario")
    parser.add_argument("--workers", type=int, default=Settings().web_workers)
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept database")
    parser.add_argument(
        "--smoke", action="store_true", help="tiny run: 300 orgs, 10 projects, 5 clients, 40 requests"
    )
    args = parser.parse_args()
    if args.smoke:
        args.orgs, args.projects, args.clients, args.requests, args.workers = 300, 10, 5, 40, 1
    print(f"load average at start: {os.getloadavg()[0]:.1f}; {args.workers} worker(s)", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
            run_backend(backend, args, Path(tmp) if args.smoke else OUT)
    print(f"load average at end: {os.getloadavg()[0]:.1f}", flush=True)


def run_backend(backend: str, args: argparse.Namespace, folder: Path) -> None:
    """Build or reuse the database, start the server, measure every scenario, stop the server."""
    url, rebuild = database_url(backend, args.orgs, args.fresh, folder)
    token = build(url, args.orgs, args.projects, rebuild)
    port = free_port()
    server = start_server(url, port, args.workers)
    try:
        measure(port, token, args, backend)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
