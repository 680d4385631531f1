"""Job kind of applications: ``grants.decisions`` (批量决定), a large decision file off the request.

The page keeps the upload (``platform.jobs.imports.keep_upload``) and submits this job when the
file holds more than ``Settings.import_job_rows`` decisions; smaller files and the command line
stay synchronous (``service.bulk.import_decisions``). The handler reads the file once, checks
every row in a read-only session (no lock, so a refused file never holds up other writers;
progress every 1,000 rows), then checks again under lock and applies the whole file in one unit
of work, together with the record that makes a retried job never apply twice. Refused rows fail
the job with the first rows in its message and the full list as its result file (CSV for
Excel); nothing is written. A good file's result is the summary the page shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import NoReturn

from longcheng.core.tabular import RowReport
from longcheng.grants.applications.service import bulk
from longcheng.platform.jobs import imports, kinds
from longcheng.platform.jobs import service as job_service

DECISIONS = "grants.decisions"
RESULT_NAME = "批量决定结果.txt"
CHECKED, APPLYING = 50, 55  # progress at the end of the check, and while applying


def decisions(ctx: kinds.JobContext) -> None:
    """Check the stored decision file, then apply all of it or none (see the module docstring)."""
    path, name = Path(str(ctx.params["input"])), str(ctx.params.get("filename", ""))
    if not path.exists():
        raise FileNotFoundError(2, "上传的文件已不存在", name or path.name)
    ctx.progress(2, f"正在读取 {name}")
    upload = bulk.read_file(path, max_bytes=int(ctx.params["max_bytes"]))
    with ctx.reading() as session:
        if imports.already_done(session, ctx.key):
            ctx.store_result("该文件的决定已由本任务执行完毕，未重复执行。\n".encode(), RESULT_NAME)
            return
    report = _check(ctx, upload)
    if not report.ok:
        _refuse(ctx, report, name)
    ctx.progress(APPLYING, f"校验通过，正在执行 {len(upload.rows)} 项决定")
    with ctx.unit_of_work() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        result = bulk.apply_decisions(session, actor=actor, upload=upload, name=name, job_id=ctx.job_id)
        if result.report.ok:
            imports.mark_done(session, ctx, actor, result.report)
    if not result.report.ok:
        _refuse(ctx, result.report, name)
    ctx.store_result(f"{bulk.summary(result)}\n".encode(), RESULT_NAME)


def _check(ctx: kinds.JobContext, upload: bulk.Upload) -> RowReport:
    """Every row checked in a read-only session, reporting progress as it goes."""
    total = len(upload.rows)
    ctx.progress(5, f"共 {total} 项决定，正在逐行校验")

    def checked(done: int, of: int) -> None:
        ctx.progress(5 + (CHECKED - 5) * done // max(of, 1), f"已校验 {done} / {of} 项决定")

    with ctx.reading() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        _, report = bulk.check_rows(session, actor=actor, upload=upload, lock=False, progress=checked)
    ctx.progress(CHECKED, f"已校验 {total} 项决定")
    return report


def failure_text(report: RowReport) -> str:
    """The failed job's message: nothing was done, the count, then the first rows as in Excel."""
    head = f"未执行任何决定：{report.rows} 项决定中发现 {report.error_count} 处错误，请修改后重新上传。"
    return "\n".join([head, *imports.failure_text(report).splitlines()[1:]])


def _refuse(ctx: kinds.JobContext, report: RowReport, name: str) -> NoReturn:
    ctx.store_result(imports.errors_csv(report), f"批量决定错误-{Path(name).stem or '文件'}.csv")
    raise kinds.JobFailed(failure_text(report), code="grants.bulk_refused")


def register_kinds() -> None:
    kinds.register(DECISIONS, decisions, label="批量决定")
