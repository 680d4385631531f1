"""Throughput under load: requests/s and p50/p95/p99 with 50 concurrent clients on list pages and APIs.

Usage: .venv/bin/python bench/load.py [--orgs 100000] [--backend sqlite|postgres|both]
       [--clients 50] [--seconds 10] [--requests 3000] [--workers N]
       [--generator auto|wrk|python] [--cpu N] [--smoke]

Per backend: a demo-like database (``--orgs`` fictional organisations from ``registry.demo``,
the generator ``bench/registry_bench.py`` imports, plus ``--projects`` demo projects, 300 by
default) is built once and kept (``bench/out/load_<orgs>.sqlite3``, or the PostgreSQL database
``load_bench_<orgs>``; ``--fresh`` rebuilds it). Then ``longcheng serve`` runs as its own
subprocess on a free port of 127.0.0.1 with ``--workers`` processes (default:
``LONGCHENG_WEB_WORKERS``, one per CPU core) and each scenario gets ``--requests`` different
GETs (a mix of search, filters, sort and page) from ``--clients`` concurrent keep-alive
clients after a warm-up. The generator (``bench/loadgen.py``) is ``wrk`` when it is installed
(``apt-get install wrk``; it cycles through the URLs for ``--seconds`` per scenario) and a
Python asyncio client otherwise (each URL once; it takes CPU from the server, so its figures
are lower); the output names the one that ran.

``--cpu N`` measures instead what one request costs the server: one worker, N sequential
requests per scenario, the server process's CPU time (user + system, from ``/proc``) divided
by N; then the same N again ("asked again": list totals already kept). Other processes on the
machine inflate it less than wall-clock figures, but a loaded machine still inflates it.

Bounded: fixed requests or seconds, 127.0.0.1 only, a 30 s timeout per request. Target
(issue 16, item 27): ≥ 400 requests/s with p95 < 250 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
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

from loadgen import HOST, Figures, have_wrk, run_python, run_wrk, server_cpu_ms
from sqlalchemy import Engine, create_engine, func, select, text

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.modules import wire
from longcheng.projects import demo as projects_demo
from longcheng.registry import demo as registry_demo
from longcheng.registry.models import Organisation

OUT = Path(__file__).resolve().parent / "out"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
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


def use_pii_key(folder: Path) -> None:
    """One personal-data key file beside the kept databases, for the seed and the server alike."""
    key = folder / "load-pii.key"
    folder.mkdir(parents=True, exist_ok=True)
    if not key.exists():
        vault.init_key_file(key)
    os.environ["LONGCHENG_PII_KEY_FILE"] = str(key)


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
        settle(engine)
    with transaction(sessions) as session:
        user = users.get_by_username(session, "loadbench")
        if user is None:
            user = users.create(
                session, actor=SYSTEM, username="loadbench", password="bench-pass-1", role=Role.admin
            )
        token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="load")
    engine.dispose()
    return token


def settle(engine: Engine) -> None:
    """``VACUUM (ANALYZE)`` on PostgreSQL after the load, as autovacuum does on a server soon after
    a bulk load (it is off on this machine's server, 2026-12-06): without the visibility map a
    count reads every row from the table instead of answering from an index (26 ms → 6 ms)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")


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


def mixed_paths(count: int) -> list[str]:
    """``count`` URLs of the four scenarios together (a quarter each), shuffled with a fixed seed."""
    mixed = [p for i, name in enumerate(SCENARIOS) for p in paths_for(name, count // len(SCENARIOS), 100 + i)]
    random.Random(7).shuffle(mixed)
    return mixed


def run_scenario(port: int, token: str, paths: list[str], args: argparse.Namespace) -> Figures:
    if args.generator == "wrk":
        return run_wrk(port, token, paths, args.clients, args.seconds)
    return run_python(port, token, paths, args.clients)


def measure(port: int, token: str, args: argparse.Namespace, backend: str) -> None:
    """Every scenario, then all four mixed, after a warm-up on the mix."""
    mixed = mixed_paths(args.requests)
    plan = {name: paths_for(name, args.requests, i) for i, name in enumerate(SCENARIOS)}
    plan["mixed (all four)"] = mixed
    run_python(port, token, mixed[: max(args.clients, len(mixed) // 5)], args.clients)
    for name, paths in plan.items():
        fig = run_scenario(port, token, paths, args)
        ok = "ok" if fig.rate >= 400 and fig.p95 < 250 else "below target"
        print(
            f"[{backend}] {name:28s} {fig.rate:7.1f} req/s  p50 {fig.p50:6.1f}  p95 {fig.p95:6.1f}  "
            f"p99 {fig.p99:6.1f} ms  ({fig.requests} requests in {fig.seconds:.1f} s, "
            f"{args.clients} clients, {fig.generator}, load {os.getloadavg()[0]:.1f}, {ok})",
            flush=True,
        )
        if fig.failed:
            raise SystemExit(f"{fig.failed} requests failed: {fig.example}")


def measure_cpu(pid: int, port: int, token: str, args: argparse.Namespace, backend: str) -> None:
    """Server CPU per request over ``--cpu`` sequential requests per scenario (one worker)."""
    plan = {"/healthz": ["/healthz"] * args.cpu}
    plan.update({name: paths_for(name, args.cpu, i) for i, name in enumerate(SCENARIOS)})
    for name, paths in plan.items():
        server_cpu_ms(pid, port, token, paths[: max(1, len(paths) // 5)])  # warm-up
        cpu, wall = server_cpu_ms(pid, port, token, paths)
        again, _ = server_cpu_ms(pid, port, token, paths)  # the same questions: totals kept
        print(
            f"[{backend}] {name:28s} server CPU {cpu:6.2f} ms/request, {again:6.2f} asked again  "
            f"(wall {wall:6.2f} ms; {len(paths)} sequential requests, load {os.getloadavg()[0]:.1f})",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="different URLs per scenario")
    parser.add_argument("--seconds", type=float, default=10.0, help="per scenario (wrk)")
    parser.add_argument("--workers", type=int, default=Settings().web_workers)
    parser.add_argument("--generator", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument("--cpu", type=int, default=0, metavar="N", help="server CPU per request instead")
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept database")
    parser.add_argument(
        "--smoke", action="store_true", help="tiny run: 300 orgs, 10 projects, 5 clients, 40 requests"
    )
    args = parser.parse_args()
    if args.smoke:
        args.orgs, args.projects, args.clients, args.requests, args.workers = 300, 10, 5, 40, 1
        args.seconds, args.cpu = 1.0, min(args.cpu, 20)
    if args.generator == "auto":
        args.generator = "wrk" if have_wrk() else "python"
    if args.cpu:
        args.workers = 1
    what = f"server CPU over {args.cpu} sequential requests" if args.cpu else f"generator {args.generator}"
    print(f"load average at start: {os.getloadavg()[0]:.1f}; {args.workers} worker(s); {what}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
            run_backend(backend, args, Path(tmp) if args.smoke else OUT)
    print(f"load average at end: {os.getloadavg()[0]:.1f}", flush=True)


def run_backend(backend: str, args: argparse.Namespace, folder: Path) -> None:
    """Build or reuse the database, start the server, measure every scenario, stop the server."""
    use_pii_key(folder)
    url, rebuild = database_url(backend, args.orgs, args.fresh, folder)
    token = build(url, args.orgs, args.projects, rebuild)
    port = free_port()
    server = start_server(url, port, args.workers)
    try:
        if args.cpu:
            measure_cpu(server.pid, port, token, args, backend)
        else:
            measure(port, token, args, backend)
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
