"""Upload imports as jobs: keep the upload, then validate and write it all-or-nothing in the worker.

A page keeps the upload content-addressed under ``DATA_DIR/job-inputs`` (:func:`keep_upload`)
and submits a job whose params name that file; the module's handler is
:func:`run_import_job` with its own ``run_import(session, actor=, path=, max_bytes=)``, the
same all-or-nothing import the command line and the API use. Bad rows fail the job with the
row errors in its message and the full list as its result file (CSV that opens in Excel); a
good file is written in one unit of work together with a record keyed by the job's key, so a
retried job never writes twice.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.tabular import RowReport, stream_to_temp
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs import service as job_service

ENTITY = "platform_import_job"
SHOWN_ERRORS = 20


RunImport = Callable[..., RowReport]


def keep_upload(data: IO[bytes], *, filename: str, data_dir: Path, max_bytes: int) -> dict[str, Any]:
    """Store an upload under ``data_dir/job-inputs`` by its SHA-256; the job params that name it."""
    suffix = Path(filename or "upload").suffix.lower()[:8]
    inputs = data_dir / "job-inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=inputs, delete=False, suffix=".part") as tmp:
        spool = Path(tmp.name)
    try:
        stream_to_temp(data, spool, max_bytes=max_bytes)
        digest = _sha256(spool)
        path = inputs / digest[:2] / f"{digest}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        spool.replace(path)
    finally:
        spool.unlink(missing_ok=True)
    return {"input": str(path), "filename": filename or path.name, "max_bytes": max_bytes}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def run_import_job(ctx: kinds.JobContext, run_import: RunImport, *, summary: Callable[[Any], str]) -> None:
    """Validate and write the job's upload with ``run_import``; ``summary`` says what was written."""
    path, name = Path(str(ctx.params["input"])), str(ctx.params.get("filename", ""))
    if not path.exists():
        raise FileNotFoundError(2, "上传的文件已不存在", name or path.name)
    ctx.progress(5, f"校验并写入 {name}")
    with ctx.unit_of_work() as session:
        if already_done(session, ctx.key):
            return
        actor = job_service.actor_of(session, ctx.started_by)
        report = run_import(session, actor=actor, path=path, max_bytes=int(ctx.params["max_bytes"]))
        if report.ok:
            mark_done(session, ctx, actor, report)
    if not report.ok:
        ctx.store_result(errors_csv(report), f"导入错误-{Path(name).stem}.csv")
        raise kinds.JobFailed(failure_text(report), code="jobs.import_rows")
    ctx.store_result(f"{summary(report)}\n".encode(), "导入结果.txt")


def already_done(session: Session, key: str) -> bool:
    """True when the import job of ``key`` has written its rows (a retried job must not write twice)."""
    return bool(audit.history(session, entity_type=ENTITY, entity_id=key, limit=1))


def mark_done(session: Session, ctx: kinds.JobContext, actor: Actor, report: RowReport) -> None:
    """Record, in the unit of work that wrote the rows, that the job of ``ctx.key`` is done."""
    audit.record(
        session,
        actor=actor,
        action="platform.import.done",
        entity_type=ENTITY,
        entity_id=ctx.key,
        after={"job": ctx.job_id, "kind": ctx.kind, "rows": report.rows},
    )


def failure_text(report: RowReport) -> str:
    """The job's error: the count, then the first rows as people read them in Excel."""
    lines = [f"未导入任何数据：{report.rows} 行中发现 {report.error_count} 处错误。"]
    lines += [f"第 {e.line} 行 [{e.column}]：{e.message}" for e in report.errors[:SHOWN_ERRORS]]
    if report.error_count > SHOWN_ERRORS:
        lines.append(f"……其余 {report.error_count - SHOWN_ERRORS} 处见结果文件。")
    return "\n".join(lines)


def errors_csv(report: RowReport) -> bytes:
    """Every listed row error as CSV (UTF-8 with BOM, so Excel shows the Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["行号", "列", "错误"])
    writer.writerows([e.line, e.column, e.message] for e in report.errors)
    return buffer.getvalue().encode("utf-8-sig")
