"""Carrier portal search: p95 of the public JSON search with filters at N carriers.

    .venv/bin/python bench/carriers_search.py --carriers 50000 --requests 300 [--backend sqlite|postgres]

Fills a fresh database with N synthetic carriers of every kind (bulk insert), then sends a mix
of filtered searches (kind, district, minimum area, rent ceiling, power, keyword, pages) to the
public ``GET /api/v1/carriers`` through the real app in process, and prints p50/p95 in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, text

from longcheng.carriers.models import KIND_LABELS, Carrier
from longcheng.core.config import Settings
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.web import create_app

DISTRICTS = ["wujin", "xinbei", "tianning", "zhonglou", "jintan", "liyang"]
PARKS = {"wujin": ["wj_hitech", "west_taihu", "kejiaocheng"], "xinbei": ["cz_hitech", "binjiang"]}
INDUSTRIES = ["智能制造", "新能源汽车零部件", "光伏", "储能", "生物医药", "新材料", "集成电路", "软件"]
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def rows(count: int, rng: random.Random) -> list[dict[str, Any]]:
    out = []
    kinds = list(KIND_LABELS)
    for i in range(1, count + 1):
        kind = kinds[i % len(kinds)]
        district = rng.choice(DISTRICTS)
        total = rng.randint(500, 60_000)
        land = kind == "land"
        out.append(
            {
                "code": f"ZT{i:06d}",
                "name": f"{rng.choice(INDUSTRIES)}载体{i}号",
                "kind": kind,
                "district": district,
                "park": rng.choice(PARKS.get(district, [None])),
                "operator": "",
                "address": f"测试路{i}号",
                "industries": "、".join(rng.sample(INDUSTRIES, 2)),
                "total_area_m2": total,
                "available_area_m2": rng.randint(0, total),
                "land_mu": Decimal(total) / Decimal("666.67") if land else None,
                "land_use": "industrial" if land else None,
                "plot_ratio": Decimal("1.5") if land else None,
                "rent_fen_per_m2_month": None if land else rng.randint(800, 6000),
                "price_fen": rng.randint(10**8, 10**10) if land else None,
                "power_kva": rng.randint(100, 10_000),
                "floor_load_kn_m2": None,
                "clear_height_m": None,
                "status": "available",
                "description": "",
            }
        )
    return out


def queries(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out = []
    for _ in range(n):
        q: dict[str, Any] = {}
        if rng.random() < 0.7:
            q["kind"] = rng.choice(list(KIND_LABELS))
        if rng.random() < 0.6:
            q["district"] = rng.choice(DISTRICTS)
        if rng.random() < 0.5:
            q["min_area"] = rng.choice([1000, 5000, 20000])
        if rng.random() < 0.3:
            q["max_rent"] = rng.choice([15, 25, 40])
        if rng.random() < 0.3:
            q["min_power"] = rng.choice([500, 2000, 8000])
        if rng.random() < 0.2:
            q["q"] = rng.choice(INDUSTRIES)
        q["page"] = rng.choice([1, 1, 1, 2, 5])
        out.append(q)
    return out


def database(backend: str, folder: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{folder / 'carriers.sqlite3'}"
    name = f"bench_carriers_{int(time.time())}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carriers", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    rng = random.Random(14)
    with tempfile.TemporaryDirectory() as tmp:
        url = database(args.backend, Path(tmp))
        engine = create_engine(url)
        upgrade(engine)
        start = time.perf_counter()
        data = rows(args.carriers, rng)
        with engine.begin() as conn:
            for i in range(0, len(data), 5000):
                conn.execute(insert(Carrier), data[i : i + 5000])
        print(f"{args.backend}: inserted {args.carriers} carriers in {time.perf_counter() - start:.1f} s")
        settings = Settings(database_url=url, secret_key="bench", data_dir=Path(tmp))
        if not vault.key_file_of(settings).exists():  # the tests' environment may name one
            vault.init_key_file(vault.key_file_of(settings))
        app = create_app(settings)
        times = []
        with TestClient(app) as client:
            for q in queries(random.Random(1), 30):  # warm-up: statement caches, page cache
                client.get("/api/v1/carriers", params=q)
            for q in queries(rng, args.requests):
                t0 = time.perf_counter()
                resp = client.get("/api/v1/carriers", params=q)
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status_code == 200, resp.text
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(f"GET /api/v1/carriers with filters: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
