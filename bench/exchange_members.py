"""Benchmark the operators' member list (search, status filter, paging), its XLSX export and a
member's detail page, on generated members, clients and mandates.

Run: PYTHONPATH=src .venv/bin/python bench/exchange_members.py [--members 5000] [--mandates 50000]
     [--requests 300] [--backend sqlite|postgres]

Inserts (not timed, bulk Core inserts) one institution, ``--members`` members (one in ten
suspended), ``--mandates`` mandates spread over them and as many client bidders, one revoked in
twenty; then times, through the real app in process with an operator's API token, the list page
with a mix of name searches, status filters and pages 1–5 (after 30 warm-up requests), the
export of every member and the detail page of the member with the most mandates.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction
from longcheng.core.ids import make_uscc
from longcheng.core.migrate import upgrade
from longcheng.core.pii import vault
from longcheng.exchange.models import Bidder, Institution, Mandate, Member
from longcheng.web import create_app

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bidding_setup import drop_database, fresh_url  # noqa: E402

T0 = datetime(2026, 1, 1, tzinfo=UTC)
WORDS = ["恒信", "产权", "经纪", "常州", "苏南", "联合", "正和", "金坛"]


def _insert(engine: Any, table: Any, rows: list[dict[str, Any]]) -> None:
    with engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(insert(table), rows[i : i + 5000])


def seed(engine: Any, n_members: int, n_mandates: int, rng: random.Random) -> str:
    """The rows, and an API token of the institution's operator."""
    inst_uscc = make_uscc(rng, division="320400")
    _insert(engine, Institution, [{"id": 1, "code": "CZ", "name": "常州产权交易所", "uscc": inst_uscc}])
    members = [
        {
            "id": i + 1,
            "institution_id": 1,
            "name": f"常州{rng.choice(WORDS)}{rng.choice(WORDS)}第{i}号经纪有限公司",
            "uscc": make_uscc(rng),
            "status": "suspended" if i % 10 == 0 else "active",
            "created_at": T0,
        }
        for i in range(n_members)
    ]
    _insert(engine, Member, members)
    bidders = [
        {
            "id": i + 1,
            "kind": "org",
            "name": f"委托{i}号公司",
            "uscc": make_uscc(rng),
            "virtual_account": f"VA{i}",
        }
        for i in range(n_mandates)
    ]
    _insert(engine, Bidder, bidders)
    today = date.today()
    mandates = [
        {
            "member_id": 1 + (i % min(50, n_members) if i % 3 == 0 else rng.randrange(n_members)),
            "bidder_id": i + 1,
            "valid_from": today - timedelta(days=30),
            "valid_to": today + timedelta(days=rng.randrange(-10, 200)),
            "doc_name": "委托书.pdf",
            "doc_sha256": "0" * 64,
            "doc_size": 1000,
            "doc_type": "application/pdf",
            "recorded_by": "压测",
            "revoked_at": T0 if i % 20 == 0 else None,
            "revoke_reason": "压测撤销" if i % 20 == 0 else None,
        }
        for i in range(n_mandates)
    ]
    _insert(engine, Mandate, mandates)
    with transaction(make_sessionmaker(engine)) as s:
        op = users.create(
            s,
            actor=SYSTEM,
            username="bench_op",
            password="bench-pass-1",
            role=Role.operator,
            org_uscc=inst_uscc,
        )
        return users.create_token(s, actor=SYSTEM, user_id=op.id, name="bench")


def _queries(rng: random.Random, n: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for _ in range(n):
        q: dict[str, Any] = {"page": rng.randint(1, 5)}
        if rng.random() < 0.5:
            q["q"] = rng.choice(WORDS)[: rng.randint(1, 2)]
        if rng.random() < 0.4:
            q["status"] = rng.choice(["active", "suspended"])
        out.append(q)
    return out


def _p(times: list[float]) -> str:
    times.sort()
    return f"p50 {statistics.median(times):.1f} ms, p95 {times[max(0, int(len(times) * 0.95) - 1)]:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--mandates", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    rng = random.Random(21)
    with tempfile.TemporaryDirectory() as tmp:
        url = fresh_url(args.backend, Path(tmp))
        engine = make_engine(url)
        upgrade(engine)
        token = seed(engine, args.members, args.mandates, rng)
        settings = Settings(database_url=url, secret_key="bench", data_dir=Path(tmp))
        if not vault.key_file_of(settings).exists():
            vault.init_key_file(vault.key_file_of(settings))
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(settings)) as client:
            for q in _queries(random.Random(1), 30):
                client.get("/exchange/members", params=q, headers=headers)
            times = []
            for q in _queries(rng, args.requests):
                t0 = time.perf_counter()
                resp = client.get("/exchange/members", params=q, headers=headers)
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status_code == 200, resp.text
            print(f"{args.backend}: GET /exchange/members ({args.members} members): {_p(times)}")
            t0 = time.perf_counter()
            resp = client.get("/exchange/members/export.xlsx", headers=headers)
            assert resp.status_code == 200
            print(f"{args.backend}: export of every member: {(time.perf_counter() - t0) * 1000:.0f} ms")
            detail = [0.0] * 20
            for i in range(20):
                t0 = time.perf_counter()
                assert client.get("/exchange/members/1", headers=headers).status_code == 200
                detail[i] = (time.perf_counter() - t0) * 1000
            print(f"{args.backend}: GET /exchange/members/1 (~{args.mandates // 150} mandates): {_p(detail)}")
        engine.dispose()
        if args.backend == "postgres":
            drop_database(url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
