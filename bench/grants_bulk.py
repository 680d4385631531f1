"""Bulk decisions at window scale: a queue XLSX of N applications in 受理 with 通过 filled in,
checked and applied all or nothing (each decision audited), and the same file with its last row
bad (checked, nothing written).

With ``--job`` each file goes the way the page sends a large one: the request's share (count the
decisions, keep the upload, submit the job) is timed apart from the job ``grants.decisions`` run
by the worker's own code (read-only check with progress, then check and apply under lock).

Usage: .venv/bin/python bench/grants_bulk.py [--applications 10000] [--backend sqlite|postgres|both]
       [--job]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from grants_bench import fresh_db
from openpyxl import Workbook
from sqlalchemy import func, insert, select

from longcheng.core.actors import SYSTEM
from longcheng.core.clock import utcnow
from longcheng.core.config import Settings
from longcheng.core.db import make_engine, make_sessionmaker, transaction, write_engine
from longcheng.core.migrate import upgrade
from longcheng.grants.applications import tasks
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service import bulk
from longcheng.grants.programmes import service as programmes
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn
from longcheng.platform.jobs import imports, worker
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job


def seed(factory: object, n: int) -> list[str]:
    with transaction(factory) as s:  # type: ignore[arg-type]
        p = programmes.create(
            s, actor=SYSTEM, data=ProgrammeIn(code="BULK", name="批量专项", department="市科技局")
        )
        now = utcnow()
        window = WindowIn.model_validate(
            {
                "code": "W",
                "name": "批量批次",
                "fiscal_year": 2026,
                "opens_at": now - timedelta(days=30),
                "closes_at": now + timedelta(days=30),
            }
        )
        w = programmes.add_window(s, actor=SYSTEM, programme_code="BULK", data=window)
        rows = [
            {
                "number": f"SB2026{i:06d}",
                "window_id": w.id,
                "programme_id": p.id,
                "fiscal_year": 2026,
                "applicant_uscc": f"91320411{i:010d}",
                "applicant_name": f"批量企业{i}",
                "district": "xinbei",
                "stage": "submitted",
                "stage_entered_at": now,
                "requested_fen": 10**7,
                "policy_explanation": "{}",
                "form_data": "{}",
                "account_masked": "",
                "bank_name": "",
                "return_reason": "",
                "versions": 1,
                "created_at": now,
            }
            for i in range(n)
        ]
        for start in range(0, n, 2000):
            s.execute(insert(Application), rows[start : start + 2000])
    return [str(r["number"]) for r in rows]


def sheet(path: Path, numbers: list[str], bad_last: bool) -> Path:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("申报")
    ws.append(["申报编号", "阶段", "决定", "决定理由"])
    for i, number in enumerate(numbers):
        word = "不予支持" if bad_last and i == len(numbers) - 1 else "通过"
        ws.append([number, "受理", word, ""])
    wb.save(path)
    return path


MAX_BYTES = 200 * 1024 * 1024


def in_request(factory: object, path: Path) -> tuple[float, str]:
    """The synchronous import (the command line, and the page below the threshold)."""
    started = time.perf_counter()
    with transaction(factory) as s:  # type: ignore[arg-type]
        result = bulk.import_decisions(s, actor=SYSTEM, path=path, max_bytes=MAX_BYTES)
    took = time.perf_counter() - started
    return took, f"errors {result.report.error_count}, applied {result.applied}"


def as_job(factory: object, settings: Settings, path: Path) -> tuple[float, str]:
    """The page's share (count, keep, submit), then the job run by the worker's code."""
    started = time.perf_counter()
    bulk.count_decisions(path, max_bytes=MAX_BYTES, up_to=settings.import_job_rows + 1)
    with path.open("rb") as data:
        params = imports.keep_upload(
            data, filename=path.name, data_dir=settings.data_dir, max_bytes=MAX_BYTES
        )
    with transaction(factory) as s:  # type: ignore[arg-type]
        job_id = job_service.submit(s, actor=SYSTEM, kind=tasks.DECISIONS, params=params).id
    request = time.perf_counter() - started
    started = time.perf_counter()
    state = worker.execute(worker.Runtime.from_settings(settings), job_id)
    took = time.perf_counter() - started
    with transaction(factory) as s:  # type: ignore[arg-type]
        job = s.get(Job, job_id)
        assert job is not None
        assert state is not None
        error = job.error.splitlines()[0] if job.error else ""
    return took, f"request {request:.2f} s; job {state.label} {error}"


def run(backend: str, n: int, tmp: Path, job: bool) -> None:
    url = fresh_db(backend, tmp, "grants_bulk")
    engine = make_engine(url)
    upgrade(engine)
    factory = make_sessionmaker(write_engine(engine))
    settings = Settings(database_url=url, data_dir=tmp / backend)
    numbers = seed(factory, n)
    for bad_last in (True, False):
        path = sheet(tmp / f"bulk-{bad_last}.xlsx", numbers, bad_last)
        took, text = as_job(factory, settings, path) if job else in_request(factory, path)
        with transaction(factory) as s:
            moved = s.scalar(select(func.count()).where(Application.stage == "first_review")) or 0
        label = "one bad row (nothing written)" if bad_last else "all valid (applied)"
        how = "job" if job else "in the request"
        print(f"{backend}: {n} decisions, {label}, {how}: {took:.2f} s; {text}, in 初审 now {moved}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--job", action="store_true", help="as a large upload: a job run by the worker")
    args = parser.parse_args()
    tasks.register_kinds()
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    with tempfile.TemporaryDirectory() as tmp:
        for backend in backends:
            run(backend, args.applications, Path(tmp), args.job)


if __name__ == "__main__":
    main()
