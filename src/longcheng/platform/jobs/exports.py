"""Large XLSX exports as jobs: above ``Settings.export_job_rows`` rows the export link starts a
job and the file is downloaded from it when ready; below, the page streams it as before.

A module's export page counts the filtered rows and calls :func:`start_export` when
:func:`too_many` says so; its ``tasks.py`` registers a handler that calls :func:`run_export_job`
with a function building the workbook from the same filters, as the user who asked. The rows
are read in a read-only session (no write lock) and the file is kept as the job's result, so a
retry simply builds it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.http import state_of
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import started

Build = Callable[[Session, Actor, dict[str, Any]], bytes]


def too_many(request: Request, rows: int) -> bool:
    """True when an export of ``rows`` rows should run as a job."""
    settings = state_of(request).settings
    return min(rows, settings.export_max_rows) > settings.export_job_rows


def start_export(
    request: Request, session: Session, actor: Actor, *, kind: str, params: dict[str, Any], rows: int
) -> Response:
    """Submit the export job (with the row limit) and open its page in the 任务中心."""
    limit = state_of(request).settings.export_max_rows
    job = job_service.submit(
        session, actor=actor, kind=kind, params={**params, "limit": limit, "rows": min(rows, limit)}
    )
    return started(request, job)


def run_export_job(ctx: kinds.JobContext, build: Build, *, filename: str) -> None:
    """Build the workbook as the user who asked and keep it as the job's result."""
    ctx.progress(5, f"正在导出约 {int(ctx.params.get('rows', 0))} 行")
    with ctx.reading() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        data = build(session, actor, ctx.params)
    ctx.progress(95, "保存导出文件")
    ctx.store_result(data, filename)
