"""The grants dashboard (专项驾驶舱) over N applications: 5 programmes, 6 districts (and some
blank), every stage, time in stage spread over 0–120 days. Times ``reports.dashboard`` unfiltered
and filtered by one programme (``--runs`` each; p50 / p95) and prints the totals, so two runs of
different code on the same seed can be compared figure by figure.

Usage: .venv/bin/python bench/grants_dashboard.py [--applications 10000] [--runs 20]
       [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from grants_bench import fresh_db
from sqlalchemy import insert

from longcheng.core.actors import SYSTEM
from longcheng.core.clock import utcnow
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.migrate import upgrade
from longcheng.grants.applications.models import Application
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn
from longcheng.grants.reports.schemas import DashboardFilter
from longcheng.grants.reports.service import dashboard as dash

DISTRICTS = ["tianning", "zhonglou", "xinbei", "wujin", "jintan", "liyang", None]
STAGES = [
    "draft",
    "submitted",
    "returned",
    "first_review",
    "second_review",
    "expert_review",
    "financial_review",
    "proposed",
    "publicised",
    "decided",
    "rejected",
]
APPROVED = ("proposed", "publicised", "decided")  # stages that carry an approved amount


def _programme(s: object, n: int) -> tuple[int, int]:
    data = ProgrammeIn(code=f"DASH{n}", name=f"驾驶舱专项{n}", department="市科技局")
    p = programmes.create(s, actor=SYSTEM, data=data)  # type: ignore[arg-type]
    now = utcnow()
    window = WindowIn.model_validate(
        {
            "code": "W",
            "name": "批次",
            "fiscal_year": 2026,
            "opens_at": now - timedelta(days=200),
            "closes_at": now + timedelta(days=30),
        }
    )
    w = programmes.add_window(s, actor=SYSTEM, programme_code=p.code, data=window)  # type: ignore[arg-type]
    return p.id, w.id


def seed(factory: object, n: int) -> None:
    rng = random.Random(20261206)
    base = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    with transaction(factory) as s:  # type: ignore[arg-type]
        ids = [_programme(s, k) for k in range(5)]
        rows = []
        for i in range(n):
            programme_id, window_id = ids[i % 5]
            stage = rng.choice(STAGES)
            requested = rng.randrange(10_000_00, 500_000_00, 100)
            rows.append(
                {
                    "number": f"SB2026{i:06d}",
                    "window_id": window_id,
                    "programme_id": programme_id,
                    "fiscal_year": 2026,
                    "applicant_uscc": f"91320411{i:010d}",
                    "applicant_name": f"驾驶舱企业{i}",
                    "district": rng.choice(DISTRICTS),
                    "stage": stage,
                    "stage_entered_at": base - timedelta(minutes=rng.randrange(0, 120 * 24 * 60)),
                    "requested_fen": requested,
                    "approved_fen": requested // 2
                    if stage in ("proposed", "publicised", "decided")
                    else None,
                    "policy_explanation": "{}",
                    "form_data": "{}",
                    "account_masked": "",
                    "bank_name": "",
                    "return_reason": "",
                    "versions": 1,
                    "created_at": base,
                }
            )
        for start in range(0, n, 2000):
            s.execute(insert(Application), rows[start : start + 2000])


def timed(factory: object, filters: DashboardFilter, runs: int) -> tuple[list[float], dash.Dashboard]:
    times, board = [], None
    for _ in range(runs):
        with transaction(factory) as s:  # type: ignore[arg-type]
            started = time.perf_counter()
            board = dash.dashboard(s, actor=SYSTEM, filters=filters)
            times.append((time.perf_counter() - started) * 1000)
    assert board is not None
    return times, board


def run(backend: str, n: int, runs: int, tmp: Path) -> None:
    url = fresh_db(backend, tmp, "grants_dashboard")
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(write_engine(engine))
    seed(factory, n)
    for label, filters in (("all", DashboardFilter()), ("one programme", DashboardFilter(programme="DASH1"))):
        times, d = timed(factory, filters, runs)
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else max(times)
        t = d.total
        print(
            f"{backend}: dashboard {label}, {n} applications: p50 {statistics.median(times):.1f} ms, "
            f"p95 {p95:.1f} ms | apps {t.apps}, requested {t.requested_fen}, decided {t.decided}, "
            f"approved {t.approved_fen}, waiting {t.waiting}, avg days {t.days_avg:.2f}, "
            f"max days {t.days_max:.2f}, groups {len(d.by_programme)}/{len(d.by_district)}/{len(d.by_pair)}, "
            f"stages {sum(c for _, c in d.by_stage)}"
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    args = parser.parse_args()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            run(backend, args.applications, args.runs, Path(tmp))


if __name__ == "__main__":
    main()
