"""The 任务中心 pages: /jobs (list, filters, live progress), one job, cancel, retry, result.

How a module page starts a job and shows it::

    job = jobs_service.submit(session, actor=actor, kind="registry.import", params={...})
    return started(request, job, to=f"/registry/imports?job={job.id}")

and in its template ``{% include "platform/_job_progress.html" %}`` with ``job`` in the
context: a progress bar that polls every second until the job ends, then the result link or
the error. :func:`started` hands the job to the queue only after the request's commit.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.templating import render
from longcheng.platform.jobs import api, imports, kinds, queue
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import Job, JobState
from longcheng.platform.jobs.permissions import JOBS_DEMO, JOBS_READ
from longcheng.platform.jobs.tasks import DEMO

router = APIRouter()


def started(request: Request, job: Job, *, to: str | None = None) -> Response:
    """Redirect to ``to`` (default: the job's page) and enqueue the job once the response is sent."""
    settings = state_of(request).settings
    response = RedirectResponse(to or f"/jobs/{job.id}", status_code=303)
    response.background = BackgroundTask(queue.dispatch, settings, [job.id])
    return response


def start_import(
    request: Request, session: Session, actor: Actor, *, kind: str, upload: UploadFile, page: str
) -> Response:
    """Keep an upload (content-addressed), submit the module's import job, show it on ``page``."""
    settings = state_of(request).settings
    params = imports.keep_upload(
        upload.file,
        filename=upload.filename or "",
        data_dir=settings.data_dir,
        max_bytes=settings.max_upload_bytes,
    )
    job = job_service.submit(session, actor=actor, kind=kind, params=params)
    return started(request, job, to=f"{page}?job={job.id}")


@router.get("/jobs")
def jobs_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kind: str = "",
    state: str = "",
    page: int = 1,
) -> Response:
    require(actor, JOBS_READ)
    chosen = JobState(state) if state in JobState.__members__ else None
    found = job_service.list(
        session,
        actor=actor,
        kind=kind or None,
        state=chosen,
        page=page,
        page_size=state_of(request).settings.page_size,
    )
    return render(
        request,
        "platform/jobs.html",
        actor,
        page=found,
        kind=kind,
        state=state,
        kinds=kinds.all_kinds(),
        states=list(JobState),
    )


@router.get("/jobs/{job_id}")
def job_page(request: Request, job_id: int, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, JOBS_READ)
    job = job_service.get(session, job_id, actor=actor)
    return render(request, "platform/job.html", actor, job=job, params=job_service.params_of(job))


@router.get("/jobs/{job_id}/progress")
def job_progress(
    request: Request, job_id: int, session: DbSession, actor: CurrentActor, refresh: bool = False
) -> Response:
    """The progress partial (HTMX polls it every second while the job runs).

    With ``refresh`` (a page that shows the job's outcome itself, e.g. the run it stored), the
    answer that finds the job finished asks HTMX to reload the page (``HX-Refresh``).
    """
    require(actor, JOBS_READ)
    job = job_service.get(session, job_id, actor=actor)
    response = render(request, "platform/_job_progress.html", actor, job=job, refresh_when_done=refresh)
    if refresh and job.job_state.finished:
        response.headers["HX-Refresh"] = "true"
    return response


def _back(request: Request, job_id: int) -> str:
    referer = request.headers.get("referer", "")
    path = "/" + referer.split("://", 1)[-1].partition("/")[2] if referer else ""
    return path if path.startswith("/jobs") else f"/jobs/{job_id}"


@router.post("/jobs/{job_id}/cancel")
def cancel(request: Request, job_id: int, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, JOBS_READ)
    job_service.cancel(session, job_id, actor=actor)
    return RedirectResponse(_back(request, job_id), status_code=303)


@router.post("/jobs/{job_id}/retry")
def retry(request: Request, job_id: int, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, JOBS_READ)
    job = job_service.retry(session, job_id, actor=actor)
    return started(request, job, to=_back(request, job_id))


@router.get("/jobs/{job_id}/result")
def result(request: Request, job_id: int, session: DbSession, actor: CurrentActor) -> Response:
    return api.job_result(request, job_id, session, actor)


@router.post("/jobs/demo")
def start_demo(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    steps: Annotated[int, Form(ge=1, le=1000)] = 10,
) -> Response:
    require(actor, JOBS_DEMO)
    job = job_service.submit(session, actor=actor, kind=DEMO, params={"steps": steps, "seconds": 0.5})
    return started(request, job)
