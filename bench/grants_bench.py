"""Grants at scale: the staff queue over N applications, expert assignment with COI for N items ×
5 from a pool of 2,000, a payment batch of N → bank XLSX, and 50 concurrent payables on a
budget that fits 30.

Usage: .venv/bin/python bench/grants_bench.py [--applications 10000] [--experts 2000]
       [--requests 200] [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, insert, text

from longcheng.core import users
from longcheng.core.actors import SYSTEM, Role
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.ids import make_uscc
from longcheng.core.migrate import upgrade
from longcheng.core.pii import masking, vault
from longcheng.experts import service as experts_service
from longcheng.experts.models import Expert
from longcheng.grants.applications.models import Application
from longcheng.grants.batches import service as batches
from longcheng.grants.ledger import service as ledger
from longcheng.grants.payments import service as payments
from longcheng.grants.payments.models import Payable
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn
from longcheng.web import create_app

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
STAGES = ["submitted", "first_review", "second_review", "expert_review", "financial_review", "proposed"]
FIELDS = ["ai", "ic", "newenergy", "ev", "biomed", "materials", "equipment", "software"]


def fresh_db(backend: str, tmp: Path, name: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp / (name + '.sqlite3')}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def seed(factory: object, n: int, experts: int, rng: random.Random) -> tuple[int, list[str]]:
    with transaction(factory) as s:  # type: ignore[arg-type]
        p = programmes.create(
            s, actor=SYSTEM, data=ProgrammeIn(code="BENCH", name="基准专项", department="市科技局")
        )
        now = utcnow()
        w = programmes.add_window(
            s,
            actor=SYSTEM,
            programme_code="BENCH",
            data=WindowIn.model_validate(
                {
                    "code": "W",
                    "name": "基准批次",
                    "fiscal_year": 2026,
                    "opens_at": now - timedelta(days=30),
                    "closes_at": now + timedelta(days=30),
                    "sla": {"submitted": 3, "first_review": 5},
                }
            ),
        )
        ledger.set_budget(s, actor=SYSTEM, programme_code="BENCH", fiscal_year=2026, amount_fen=10**13)
        usccs = [make_uscc(rng, division="320411") for _ in range(n)]
        rows = [
            {
                "number": f"SB2026{i:06d}",
                "window_id": w.id,
                "programme_id": p.id,
                "fiscal_year": 2026,
                "applicant_uscc": u,
                "applicant_name": f"基准企业{i}",
                "district": rng.choice(["xinbei", "wujin", "tianning"]),
                "stage": rng.choice(STAGES),
                "stage_entered_at": now - timedelta(days=rng.randint(0, 20)),
                "requested_fen": rng.randint(10, 500) * 10**6,
                "policy_explanation": "{}",
                "form_data": "{}",
                "account_masked": "",
                "bank_name": "",
                "return_reason": "",
                "versions": 1,
                "created_at": now,
            }
            for i, u in enumerate(usccs)
        ]
        for start in range(0, n, 2000):
            s.execute(insert(Application), rows[start : start + 2000])
        expert_rows = [
            {
                "code": f"E{i:05d}",
                "name": f"专家{i}",
                "title": "",
                "employer_uscc": rng.choice(usccs),
                "employer_name": "",
                "fields_text": " " + " ".join(rng.sample(FIELDS, 2)) + " ",
                "id_masked": "",
                "phone": "",
                "email": "",
                "status": "active",
                "note": "",
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for i in range(experts)
        ]
        s.execute(insert(Expert), expert_rows)
        users.create(s, actor=SYSTEM, username="bench", password="bench-pass-1", role=Role.admin)
        return p.id, usccs


def p95(times: list[float]) -> tuple[float, float]:
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def bench_queue(settings: Settings, requests: int, rng: random.Random) -> tuple[float, float]:
    app = create_app(settings)
    with TestClient(app) as client:
        token_page = client.get("/login").text
        csrf = token_page.split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"username": "bench", "password": "bench-pass-1", "csrf_token": csrf})
        times = []
        for i in range(requests + 20):
            q = {"page": str(rng.choice([1, 1, 2, 5, 50]))}
            if rng.random() < 0.5:
                q["stage"] = rng.choice(STAGES)
            if rng.random() < 0.3:
                q["district"] = rng.choice(["xinbei", "wujin"])
            if rng.random() < 0.2:
                q["q"] = f"基准企业{rng.randint(1, 999)}"
            start = time.perf_counter()
            resp = client.get("/grants/queue", params=q)
            if i >= 20:
                times.append((time.perf_counter() - start) * 1000)
            assert resp.status_code == 200, resp.text[:300]
    return p95(times)


def bench_assign(factory: object, usccs: list[str], rng: random.Random) -> tuple[float, int, int]:
    items = [experts_service.AssignItem(f"A{i}", rng.choice(FIELDS), u) for i, u in enumerate(usccs)]
    with transaction(factory) as s:  # type: ignore[arg-type]
        start = time.perf_counter()
        result = experts_service.assign(s, actor=SYSTEM, context="bench", items=items, per_item=5, seed=42)
        elapsed = time.perf_counter() - start
    return elapsed, len(result.assigned), sum(result.excluded.values())


def bench_batch(factory: object, programme_id: int, n: int) -> tuple[float, float, int]:
    account = "6222020304050607089"
    tok = vault.encrypt(account, purpose=payments.PAYEE_ACCOUNT_PURPOSE)
    with transaction(factory) as s:  # type: ignore[arg-type]
        rows = [
            {
                "reference": f"GPB{i:09d}",
                "idempotency_key": f"bench-{i}",
                "programme_id": programme_id,
                "fiscal_year": 2026,
                "payee_name": f"基准企业{i}",
                "payee_account_token": tok,
                "payee_account_masked": masking.mask_bank_account(account),
                "payee_bank": "某银行",
                "amount_fen": 100_00 + i,
                "currency": "CNY",
                "source_kind": "bench",
                "source_ref": str(i),
                "memo": "",
                "state": "payable",
                "return_reason": "",
                "created_at": utcnow(),
            }
            for i in range(n)
        ]
        for start in range(0, n, 2000):
            s.execute(insert(Payable), rows[start : start + 2000])
    a1 = SYSTEM.__class__(id=1001, username="f1", role=Role.finance)
    a2 = SYSTEM.__class__(id=1002, username="f2", role=Role.finance)
    with transaction(factory) as s:  # type: ignore[arg-type]
        start = time.perf_counter()
        batch = batches.create_batch(s, actor=a1)
        batches.approve(s, actor=a1, batch_id=batch.id)
        batches.approve(s, actor=a2, batch_id=batch.id)
        built = time.perf_counter() - start
        start = time.perf_counter()
        content = batches.export_xlsx(s, actor=a1, batch_id=batch.id)
        exported = time.perf_counter() - start
    return built, exported, len(content)


def bench_race(factory: object) -> tuple[int, int, list[str]]:
    with transaction(factory) as s:  # type: ignore[arg-type]
        programmes.create(
            s, actor=SYSTEM, data=ProgrammeIn(code="RACE", name="并发专项", department="市财政局")
        )
        ledger.set_budget(s, actor=SYSTEM, programme_code="RACE", fiscal_year=2026, amount_fen=30 * 100_00)
    tok = vault.encrypt("6222000011112222", purpose=payments.PAYEE_ACCOUNT_PURPOSE)

    def attempt(i: int) -> bool:
        try:
            with transaction(factory) as s:  # type: ignore[arg-type]
                payments.add_direct_payable(
                    s,
                    actor=SYSTEM,
                    programme_code="RACE",
                    fiscal_year=2026,
                    payee_name=f"企业{i}",
                    payee_account_token=tok,
                    payee_bank="某银行",
                    amount_fen=100_00,
                    source_kind="race",
                    source_ref=str(i),
                    idempotency_key=f"race-{i}",
                )
            return True
        except ledger.BudgetExceeded:
            return False

    with ThreadPoolExecutor(max_workers=50) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    with transaction(factory) as s:  # type: ignore[arg-type]
        return sum(outcomes), len(outcomes) - sum(outcomes), ledger.verify(s)


def run(backend: str, args: argparse.Namespace, tmp: Path) -> dict[str, object]:
    rng = random.Random(7)
    key = tmp / "pii.key"
    if not key.exists():
        vault.init_key_file(key)
    url = fresh_db(backend, tmp, "grants_bench")
    settings = Settings(database_url=url, secret_key="bench", data_dir=tmp, pii_key_file=key)
    vault.configure(settings)
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(write_engine(engine))
    programme_id, usccs = seed(factory, args.applications, args.experts, rng)
    if backend == "postgres":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    q50, q95 = bench_queue(settings, args.requests, rng)
    assign_s, assigned, excluded = bench_assign(factory, usccs, rng)
    built, exported, size = bench_batch(factory, programme_id, args.applications)
    ok, refused, problems = bench_race(factory)
    engine.dispose()
    out = {
        "backend": backend,
        "applications": args.applications,
        "queue_p50_ms": round(q50, 1),
        "queue_p95_ms": round(q95, 1),
        "assign_s": round(assign_s, 2),
        "assigned": assigned,
        "coi_excluded": excluded,
        "batch_build_s": round(built, 2),
        "bank_xlsx_s": round(exported, 2),
        "bank_xlsx_bytes": size,
        "race_committed": ok,
        "race_refused": refused,
        "ledger_ok": not problems,
    }
    print(json.dumps(out, ensure_ascii=False))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--experts", type=int, default=2_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
            run(backend, args, Path(d))


if __name__ == "__main__":
    main()
