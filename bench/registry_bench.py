"""Registry targets: list page and API p95 with 100,000 organisations; import of 100,000 rows.

Usage: .venv/bin/python bench/registry_bench.py [--orgs 100000] [--backend sqlite|postgres|both]

Prints, per backend: the import time and peak memory for 10,000 and 100,000 rows (each in its own
process, so memory is comparable: flat means the 100,000-row peak is close to the 10,000-row one),
then p50/p95 of the list page and the JSON API over a mix of searches, filters, sorts and pages,
measured through real HTTP against uvicorn on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
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
from sqlalchemy import create_engine, text

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.migrate import upgrade
from longcheng.registry import demo, importer
from longcheng.web import create_app

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(importer.HEADERS)
        for item in demo.generate(count, seed=99):
            tags = "；".join(
                f"{t['tag']}:{t['valid_from']}" for t in item["tags"] if t["tag"] != "little_giant"
            )
            rev = next((f["value"] for f in item["facts"] if f["kind"] == "revenue"), 0)
            cells = {
                "统一社会信用代码": item["uscc"],
                "机构名称": item["name"],
                "所属区": item["district"],
                "所属园区": item["park"] or "",
                "行业代码": item["industry"],
                "成立日期": str(item["established"]),
                "地址": item["address"],
                "企业标签": tags.replace("high_tech", "高新技术企业")
                .replace("tech_sme", "科技型中小企业")
                .replace("srdi", "专精特新中小企业")
                .replace("gazelle", "瞪羚企业")
                .replace("champion", "制造业单项冠军")
                .replace("unicorn", "独角兽企业"),
                "数据年度": "2025",
                "营业收入（万元）": f"{rev / 1_000_000:,.2f}",
                "从业人数": "120",
            }
            w.writerow([cells.get(h, "") for h in importer.HEADERS])


def fresh_db(backend: str, tmp: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / (name + '.sqlite3')}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def import_once(url: str, csv_path: str) -> None:
    """Child process: migrate, import, print seconds and peak RSS as JSON."""
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    with transaction(make_sessionmaker(engine)) as session:
        report = importer.run_import(session, actor=SYSTEM, path=Path(csv_path), max_bytes=1 << 31)
    elapsed = time.perf_counter() - start
    assert report.ok, report.errors[:5]
    print(
        json.dumps(
            {
                "rows": report.created,
                "seconds": elapsed,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
        )
    )


def run_import(url: str, csv_path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child-import", url, str(csv_path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def serve(url: str) -> tuple[uvicorn.Server, int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(Settings(database_url=url, secret_key="bench")),
            host="127.0.0.1",
            port=port,
            log_level="warning",
        )
    )
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, port


def queries(n: int) -> list[dict[str, str]]:
    rng = random.Random(5)
    words = ["龙城", "光伏", "锂", "智造", "常州天目", "研究院", "储能科技", "芙蓉"]
    out = []
    for _ in range(n):
        q: dict[str, str] = {}
        r = rng.random()
        if r < 0.4:
            q["q"] = rng.choice(words)
        if rng.random() < 0.4:
            q["district"] = rng.choice(["xinbei", "wujin", "liyang", "tianning"])
        if rng.random() < 0.25:
            q["tag"] = rng.choice(["high_tech", "tech_sme", "srdi"])
        if rng.random() < 0.2:
            q["industry"] = rng.choice(["38", "39", "35"])
        q["sort"] = rng.choice(["name", "-established", "uscc"])
        q["page"] = str(rng.choice([1, 1, 1, 2, 3, 10]))
        out.append(q)
    return out


def measure(client: httpx.Client, path: str, qs: list[dict[str, str]]) -> tuple[float, float]:
    times = []
    for q in qs:
        start = time.perf_counter()
        resp = client.get(path, params=q)
        times.append((time.perf_counter() - start) * 1000)
        assert resp.status_code == 200, resp.text[:200]
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def bench_backend(backend: str, orgs: int, tmp: Path, requests: int = 300) -> None:
    small, big = tmp / "small.csv", tmp / "big.csv"
    if not big.exists():
        write_csv(small, orgs // 10)
        write_csv(big, orgs)
    r_small = run_import(fresh_db(backend, tmp, "bench_small"), small)
    url = fresh_db(backend, tmp, "bench_big")
    r_big = run_import(url, big)
    for label, r in (("10%", r_small), ("100%", r_big)):
        print(
            f"[{backend}] import {r['rows']:>7.0f} rows ({label}): {r['seconds']:.1f} s, "
            f"peak {r['peak_mb']:.0f} MB"
        )
    ratio = r_big["peak_mb"] / r_small["peak_mb"]
    print(
        f"[{backend}] import target < 30 s; peak memory ratio {ratio:.2f}x for 10x the rows "
        "(flat when close to 1)"
    )
    engine = make_engine(url)
    with transaction(make_sessionmaker(engine)) as session:
        user = users.create(session, actor=SYSTEM, username="bench", password="bench-pass-1", role=Role.admin)
        token = users.create_token(session, actor=SYSTEM, user_id=user.id, name="bench")
    engine.dispose()
    server, port = serve(url)
    qs = queries(requests)
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"}
    ) as client:
        measure(client, "/api/v1/registry/orgs", qs[:30])  # warm-up
        api = measure(client, "/api/v1/registry/orgs", qs)
        page = measure(client, "/registry", qs)
    server.should_exit = True
    for label, (p50, p95) in (("API  /api/v1/registry/orgs", api), ("page /registry", page)):
        print(f"[{backend}] {label:28s} over {orgs} orgs: p50 {p50:.1f} ms, p95 {p95:.1f} ms (target < 50)")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child-import":
        import_once(sys.argv[2], sys.argv[3])
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=300, help="requests per measured endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
            bench_backend(backend, args.orgs, Path(d), args.requests)


if __name__ == "__main__":
    main()
