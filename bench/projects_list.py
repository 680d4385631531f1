"""Benchmark the projects module through the database: lights, the list page and the monthly report.

Run: .venv/bin/python bench/projects_list.py [--projects 10000] [--nodes 30] [--db PATH] [--requests 300]

1. Builds a SQLite database (migrated) with N fictional projects × M plan nodes, their lists,
   investors, this year's monthly investment and some 督办单 (Core inserts, fixed seed).
2. Recomputes every light through the database (``projects.service.recompute.recompute_all``: load, compute,
   store the changed rows, audit) — first run (every row changes) and a second run. Target < 2 s.
3. Times the list page ``GET /projects`` over HTTP (the real app, logged in as an admin) with a mix
   of filters, sorts and pages; prints p50/p95/max. Target p95 < 50 ms.
4. Runs ``longcheng projects report --month YYYY-MM --out DIR`` through the CLI (XLSX and PDF).
   Target < 30 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import local_today, utcnow
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.core.users import create as create_user
from longcheng.projects.models import (
    InvestmentMonth,
    PlanNode,
    Project,
    ProjectInvestor,
    ProjectListEntry,
)
from longcheng.projects.schedule.stages import STAGE_ORDER
from longcheng.projects.service.recompute import recompute_all
from longcheng.projects.supervision.models import SupervisionOrder
from longcheng.registry import reference as ref

LISTS = [("省重大", 0.04), ("市重大", 0.25), ("区重大", 0.55), ("532", 0.12), ("1231", 0.05)]
INDUSTRIES = ["3841", "3670", "3825", "3491", "3091", "3976", "2761", "3450", "6513", "3585"]
LEADERS = [f"{s}{g}（副区长）" for s in "王李张刘陈" for g in ("建国", "海燕", "立新")]


def _project(rng: random.Random, n: int, today: date, now: Any) -> dict[str, Any]:
    zone = rng.choice(ref.zones())
    stage = rng.choices(STAGE_ORDER, [0.08, 0.1, 0.14, 0.1, 0.28, 0.12, 0.13, 0.05])[0]
    total = int(rng.lognormvariate(11.2, 0.9)) * 10**6
    row: dict[str, Any] = {
        "code": f"BM-{n:06d}",
        "name": f"基准测试{n}号项目",
        "project_type": "industrial",
        "summary": "",
        "district": zone.district,
        "park": zone.code,
        "industry": rng.choice(INDUSTRIES),
        "cooperation": None,
        "partner_region": "",
        "stage": stage.value,
        "currency": "CNY",
        "agreed_investment_fen": total,
        "total_investment_fen": total,
        "leader_name": rng.choice(LEADERS),
        "responsible_unit": "",
        "investor_names": f"基准投资方{n % 3000}有限公司",
        "warnings": "",
        "light": "green",
        "light_reasons": "",
        "source": "bench",
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
    row["search_text"] = "\n".join([row["code"], row["name"], row["investor_names"], row["leader_name"]])
    when = today - timedelta(days=rng.randint(5, 300))
    for s in STAGE_ORDER:
        row[f"{s.value}_on"] = None
    for s in reversed(STAGE_ORDER[: stage.rank + 1]):
        row[f"{s.value}_on"] = when
        when -= timedelta(days=rng.randint(10, 90))
    return row


def build(url: str, n_projects: int, n_nodes: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    rng, today, now = random.Random(5), local_today(), utcnow()
    with transaction(make_sessionmaker(engine)) as session:
        create_user(session, actor=SYSTEM, username="benchadmin", password="bench-password", role=Role.admin)
        projects = [_project(rng, n, today, now) for n in range(n_projects)]
        session.execute(insert(Project), projects)
        ids = dict(session.execute(select(Project.code, Project.id)).all())
        _children(session, rng, projects, ids, n_nodes, today)
    engine.dispose()


def _children(
    session: Session,
    rng: random.Random,
    projects: list[dict[str, Any]],
    ids: dict[str, int],
    n_nodes: int,
    today: date,
) -> None:
    nodes, lists, investors, months, orders = [], [], [], [], []
    for p in projects:
        pid = ids[p["code"]]
        start = today + timedelta(days=rng.randint(-700, 200))
        for k in range(n_nodes):
            planned = start + timedelta(days=15 * k + rng.randint(0, 10))
            done = planned if planned < today and rng.random() < 0.97 else None
            nodes.append(
                {
                    "project_id": pid,
                    "seq": k,
                    "code": f"n{k:02d}",
                    "name": f"节点{k}",
                    "stage": None,
                    "after": None,
                    "planned": planned,
                    "original": planned,
                    "note": "",
                    "done_on": done,
                }
            )
        lists += [{"project_id": pid, "list_name": name} for name, share in LISTS if rng.random() < share]
        investors.append({"project_id": pid, "position": 0, "uscc": None, "name": p["investor_names"]})
        if p["started_on"] is not None:
            plan = p["total_investment_fen"] // 40
            months += [
                {
                    "project_id": pid,
                    "year": today.year,
                    "month": m,
                    "planned_fen": plan,
                    "completed_fen": int(plan * rng.uniform(0.5, 1.2)) if m < today.month else 0,
                }
                for m in range(1, 13)
            ]
        if rng.random() < 0.3:
            due = today + timedelta(days=rng.randint(-30, 10))
            orders.append(
                {
                    "number": f"DB-BM-{pid}",
                    "project_id": pid,
                    "subject": "督办",
                    "demand": "",
                    "issued_on": due - timedelta(days=7),
                    "reply_working_days": 5,
                    "reply_due": due,
                    "replied_on": None,
                    "issued_by": "bench",
                    "issued_by_id": None,
                    "created_at": utcnow(),
                }
            )
    for model, rows in (
        (PlanNode, nodes),
        (ProjectListEntry, lists),
        (ProjectInvestor, investors),
        (InvestmentMonth, months),
        (SupervisionOrder, orders),
    ):
        for i in range(0, len(rows), 20_000):
            session.execute(insert(model), rows[i : i + 20_000])


def bench_lights(url: str) -> None:
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    for label in ("first run (every light stored)", "second run (nothing changes)"):
        t0 = time.perf_counter()
        with transaction(factory) as session:
            result = recompute_all(session, actor=SYSTEM)
        elapsed = time.perf_counter() - t0
        counts = {k.value: v for k, v in result.counts.items()}
        print(
            f"lights {label}: {elapsed:.2f} s  projects={result.projects} changed={result.changed} {counts}"
        )
    engine.dispose()


def bench_list(url: str, requests: int) -> None:
    from fastapi.testclient import TestClient

    from longcheng.core.config import Settings
    from longcheng.web import create_app

    app = create_app(Settings(database_url=url, secret_key="bench"))
    rng = random.Random(7)
    variants: list[dict[str, Any]] = [
        {},
        {"sort": "-total"},
        {"sort": "name"},
        {"sort": "-signed"},
        {"sort": "stage"},
        {"district": "xinbei"},
        {"district": "wujin", "stage": "started"},
        {"list": "市重大"},
        {"light": "red"},
        {"q": "基准测试12"},
        {"industry": "38"},
        {"min_wan": "50000", "max_wan": "500000"},
        {"leader": "王建国（副区长）"},
        {"park": "wj_hitech", "sort": "-total"},
        {"list": "532", "light": "yellow"},
    ]
    timings = []
    with TestClient(app) as client:
        token = client.get("/login").text.split('name="csrf_token" value="')[1].split('"')[0]
        client.post(
            "/login", data={"username": "benchadmin", "password": "bench-password", "csrf_token": token}
        )
        for i in range(requests + 20):
            params = {**rng.choice(variants), "page": str(rng.choice([1, 1, 1, 2, 5, 40]))}
            t0 = time.perf_counter()
            resp = client.get("/projects", params=params)
            elapsed = time.perf_counter() - t0
            assert resp.status_code == 200, resp.text[:300]
            if i >= 20:  # warm-up requests are not counted
                timings.append(elapsed * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"list page GET /projects: n={len(timings)} p50={statistics.median(timings):.1f} ms "
        f"p95={p95:.1f} ms max={timings[-1]:.1f} ms (target p95 < 50 ms)"
    )


def bench_report(url: str, out: Path) -> None:
    from typer.testing import CliRunner

    from longcheng.cli import app

    os.environ["LONGCHENG_DATABASE_URL"] = url
    month = (local_today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    t0 = time.perf_counter()
    result = CliRunner().invoke(app, ["projects", "report", "--month", month, "--out", str(out)])
    elapsed = time.perf_counter() - t0
    print(result.output.strip())
    print(f"report via CLI (month {month}, XLSX + PDF): {elapsed:.2f} s (target < 30 s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--nodes", type=int, default=30)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db", type=Path, default=Path("/tmp/longcheng-bench-projects.sqlite3"))
    parser.add_argument("--out", type=Path, default=Path("/tmp/longcheng-bench-report"))
    args = parser.parse_args()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{args.db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{args.db}"
    t0 = time.perf_counter()
    build(url, args.projects, args.nodes)
    elapsed = time.perf_counter() - t0
    print(f"built {args.projects} projects × {args.nodes} nodes in {elapsed:.1f} s -> {args.db}")
    bench_lights(url)
    bench_list(url, args.requests)
    bench_report(url, args.out)


if __name__ == "__main__":
    main()
