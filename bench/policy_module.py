"""Policy module targets: the registry-backed batch for 100,000 firms end to end, and 一键查 p95.

Usage: .venv/bin/python bench/policy_module.py [--orgs 100000] [--backend sqlite|postgres|both]

Per backend, on a fresh database: seed the fictional registry (not timed), import policy inputs
for ~4 % of the firms, then time two registry-backed runs end to end (read the registry and the
policy inputs, evaluate every enterprise clause, store the qualifying set with its bases, diff
with the previous run, write the notifications, one audit record, commit). Between the runs
1 % of the firms get a corrected R&D figure, so the second diff has work to do. Then 一键查
(``GET /api/v1/policy/orgs/{uscc}``) is measured over real HTTP against uvicorn for random firms.
"""

from __future__ import annotations

import argparse
import random
import resource
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx
import uvicorn
from sqlalchemy import create_engine, text

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.policy.demo import _inputs
from longcheng.policy.inputs.service import records as input_records
from longcheng.policy.runs.service import run_registry_batch
from longcheng.registry import demo
from longcheng.registry import service as registry_service
from longcheng.registry.schemas import FactCreate
from longcheng.web import create_app

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
YEAR = 2025


def fresh_db(backend: str, tmp: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'policy_bench.sqlite3'}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text('DROP DATABASE IF EXISTS "policy_bench" WITH (FORCE)'))
        conn.execute(text('CREATE DATABASE "policy_bench"'))
    admin.dispose()
    return "postgresql://postgres@127.0.0.1:5432/policy_bench"


def seed(url: str, orgs: int) -> tuple[list[str], str]:
    """Registry firms, policy inputs and an admin token; returns the enterprise USCCs and the token."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    start = time.perf_counter()
    with transaction(sessions) as session:
        demo.seed(session, actor=SYSTEM, count=orgs, seed=11)
        usccs = [u for u, _, _ in registry_service.org_rows(session, actor=SYSTEM, org_types=("enterprise",))]
        input_records.write_inputs(session, actor=SYSTEM, rows=_inputs(random.Random(3), usccs, YEAR))
        user = users.create(session, actor=SYSTEM, username="bench", password="bench-pass-1", role=Role.admin)
        token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="bench")
    print(f"  seeded {orgs} organisations ({len(usccs)} enterprises) in {time.perf_counter() - start:.1f} s")
    engine.dispose()
    return usccs, token


def timed_run(url: str, label: str) -> None:
    """One registry-backed run in its own transaction, with the time of each phase."""
    engine = make_engine(url)
    marks: list[tuple[str, float]] = []

    def step(phase: str, done: int, _total: int) -> None:
        if not marks or marks[-1][0] != phase:
            marks.append((phase, time.perf_counter()))

    start = time.perf_counter()
    with transaction(make_sessionmaker(engine)) as session:
        run, _ = run_registry_batch(session, actor=SYSTEM, year=YEAR, progress=step)
        counts = (run.population, run.qualifying, run.new_count, run.dropped_count, run.changed_count)
    total = time.perf_counter() - start
    engine.dispose()
    ends = [t for _, t in marks[1:]] + [start + total]
    phases = "; ".join(f"{name} {end - at:.2f} s" for (name, at), end in zip(marks, ends, strict=True))
    print(f"  {label}: {total:.2f} s end to end ({phases}; commit included in the last phase)")
    print(
        f"    firms {counts[0]}, qualifying pairs {counts[1]}, "
        f"new {counts[2]}, dropped {counts[3]}, changed {counts[4]}"
    )


def corrections(url: str, usccs: list[str]) -> None:
    """1 % of the firms file a corrected 2025 R&D figure (not timed)."""
    rng = random.Random(9)
    chosen = rng.sample(usccs, max(1, len(usccs) // 100))
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        facts = registry_service.facts_table(
            session, actor=SYSTEM, kinds=("rd_spending",), years=(YEAR,), usccs=chosen
        )
        for uscc in chosen:
            value = facts.get((uscc, "rd_spending", YEAR), 100_000_000)
            data = FactCreate(kind="rd_spending", year=YEAR, value=value * 3 // 2, source="更正申报（基准）")
            registry_service.add_fact(session, actor=SYSTEM, uscc=uscc, data=data)
    engine.dispose()


def serve(url: str) -> tuple[uvicorn.Server, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(Settings(database_url=url, secret_key="bench")),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def lookups(url: str, token: str, usccs: list[str], count: int) -> None:
    server, port = serve(url)
    rng = random.Random(17)
    picks = [rng.choice(usccs) for _ in range(count)]
    headers = {"Authorization": f"Bearer {token}"}
    times: list[float] = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as client:

        def get(uscc: str) -> httpx.Response:
            return client.get(f"/api/v1/policy/orgs/{uscc}", params={"year": YEAR})

        for uscc in picks[:20]:
            get(uscc)  # warm-up: pack load, connection pool
        for uscc in picks:
            begin = time.perf_counter()
            resp = get(uscc)
            times.append((time.perf_counter() - begin) * 1000)
            assert resp.status_code == 200, resp.text[:200]
    server.should_exit = True
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    p50 = statistics.median(times)
    print(f"  一键查 GET /api/v1/policy/orgs/{{uscc}} × {count}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def bench(backend: str, orgs: int, count: int) -> None:
    print(f"[{backend}]")
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_db(backend, Path(tmp))
        usccs, token = seed(url, orgs)
        timed_run(url, "run 1 (first of the year: every qualifying pair is new)")
        corrections(url, usccs)
        timed_run(url, "run 2 (after 1 % of firms corrected R&D: diff against run 1)")
        lookups(url, token, usccs, count)
    print(f"  peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--lookups", type=int, default=300)
    args = parser.parse_args()
    for backend in ("sqlite", "postgres") if args.backend == "both" else (args.backend,):
        bench(backend, args.orgs, args.lookups)


if __name__ == "__main__":
    main()
