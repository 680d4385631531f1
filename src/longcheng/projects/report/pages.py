"""The 督查专报 page: pick a month, start a ``projects.report`` job, watch it, download the files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.errors import LongchengError
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.templating import render
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import started
from longcheng.projects import permissions as perm
from longcheng.projects import tasks as projects_tasks
from longcheng.projects.schedule.progress import Month

router = APIRouter(include_in_schema=False)


@router.get("/projects/report")
def report_page(
    request: Request, session: DbSession, actor: CurrentActor, job: int | None = None
) -> Response:
    """The month form; with ``job`` the report job's inline progress and, when done, its download."""
    require(actor, perm.REPORT)
    shown = job_service.get(session, job, actor=actor) if job is not None else None
    default = str(Month.of(local_today()))
    return render(request, "projects/report.html", actor, job=shown, month=default, error=None)


@router.post("/projects/report")
def start_report(
    request: Request, session: DbSession, actor: CurrentActor, month: Annotated[str, Form()] = ""
) -> Response:
    require(actor, perm.REPORT)
    try:
        wanted = Month.parse(month)
    except LongchengError as exc:
        return render(request, "projects/report.html", actor, status=422, job=None, month=month, error=exc)
    job = job_service.submit(session, actor=actor, kind=projects_tasks.REPORT, params={"month": str(wanted)})
    return started(request, job, to=f"/projects/report?job={job.id}")
