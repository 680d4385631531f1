"""JSON under /api/v1/jobs: list, get, cancel, retry, result, and the demonstration job."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Query, Request
from fastapi.responses import FileResponse
from starlette.responses import Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.openapi import ANY_FILE, file_download
from longcheng.platform.jobs import queue
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.models import JobState
from longcheng.platform.jobs.permissions import JOBS_DEMO, JOBS_READ
from longcheng.platform.jobs.schemas import DemoJobCreate, JobPage, JobRead
from longcheng.platform.jobs.tasks import DEMO

router = APIRouter(prefix="/api/v1/jobs", tags=["jobs"])


@router.get("")
def list_jobs(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    kind: str | None = None,
    state: JobState | None = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 20,
) -> JobPage:
    require(actor, JOBS_READ)
    found = job_service.list(session, actor=actor, kind=kind, state=state, page=page, page_size=page_size)
    return JobPage(
        items=[JobRead.of(j) for j in found.items],
        total=found.total,
        page=found.page,
        page_size=found.page_size,
    )


@router.get("/{job_id}")
def get_job(job_id: int, session: DbSession, actor: CurrentActor) -> JobRead:
    require(actor, JOBS_READ)
    return JobRead.of(job_service.get(session, job_id, actor=actor))


@router.post("/{job_id}/cancel")
def cancel_job(job_id: int, session: DbSession, actor: CurrentActor) -> JobRead:
    require(actor, JOBS_READ)
    return JobRead.of(job_service.cancel(session, job_id, actor=actor))


@router.post("/{job_id}/retry")
def retry_job(
    request: Request, job_id: int, session: DbSession, actor: CurrentActor, background: BackgroundTasks
) -> JobRead:
    require(actor, JOBS_READ)
    job = job_service.retry(session, job_id, actor=actor)
    background.add_task(queue.dispatch, state_of(request).settings, [job.id])
    return JobRead.of(job)


@router.get("/{job_id}/result", response_class=Response, responses=file_download(ANY_FILE))
def job_result(request: Request, job_id: int, session: DbSession, actor: CurrentActor) -> Response:
    require(actor, JOBS_READ)
    data_dir = state_of(request).settings.data_dir
    path, name = job_service.result_file(session, job_id, actor=actor, data_dir=data_dir)
    return FileResponse(path, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.post("/demo", status_code=201)
def start_demo(
    request: Request,
    body: DemoJobCreate,
    session: DbSession,
    actor: CurrentActor,
    background: BackgroundTasks,
) -> JobRead:
    require(actor, JOBS_DEMO)
    job = job_service.submit(session, actor=actor, kind=DEMO, params=body.model_dump())
    background.add_task(queue.dispatch, state_of(request).settings, [job.id])
    return JobRead.of(job)
