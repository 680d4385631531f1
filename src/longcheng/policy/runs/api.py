"""JSON API of stored runs and 精准推送 under ``/api/v1/policy/runs``: list, start, read a run, its
qualifying results under a clause, and its notifications (also as XLSX).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import export_limit, xlsx_response
from longcheng.core.openapi import XLSX, file_download
from longcheng.core.validation import validate
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.schemas import JobRead
from longcheng.policy import export
from longcheng.policy import permissions as perm
from longcheng.policy import tasks as policy_tasks
from longcheng.policy.api import API_PREFIX, API_TAGS
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.models import Notification, Result, Run
from longcheng.policy.runs import service as run_service
from longcheng.policy.schemas import (
    ChangeFilter,
    ChangePage,
    ResultFilter,
    ResultPage,
    RunCreate,
    RunDetail,
    RunPage,
    RunRead,
)
from longcheng.policy.service import get_pack, year_period

router = APIRouter(prefix=API_PREFIX, tags=API_TAGS)


ResultFilterDep = Annotated[ResultFilter, Depends()]


ChangeFilterDep = Annotated[ChangeFilter, Depends()]


def run_json(run: Run) -> dict[str, Any]:
    return {
        "id": run.id,
        "pack": run.pack_id,
        "period": run.period,
        "source": run.source_label,
        "population": run.population,
        "qualifying": run.qualifying,
        "total": fen_to_yuan(run.total_fen),
        "total_fen": run.total_fen,
        "previous_run": run.previous_id,
        "new": run.new_count,
        "dropped": run.dropped_count,
        "changed": run.changed_count,
        "notified": run.notified,
        "readings": run.readings_data,
        "clauses": run.summary_data,
        "skipped": run.skipped_data,
        "actor": run.actor,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat(),
    }


def result_json(result: Result) -> dict[str, Any]:
    return {
        "uscc": result.uscc,
        "name": result.org_name,
        "district": result.district,
        "clause": result.clause_id,
        "amount": fen_to_yuan(result.amount_fen),
        "amount_fen": result.amount_fen,
        "reading": result.reading,
        "reason": result.reason,
        "basis": result.basis_data,
    }


def change_json(note: Notification) -> dict[str, Any]:
    return {
        "uscc": note.uscc,
        "name": note.org_name,
        "district": note.district,
        "clause": note.clause_id,
        "kind": note.kind,
        "amount": fen_to_yuan(note.amount_fen) if note.amount_fen is not None else None,
        "previous_amount": fen_to_yuan(note.previous_amount_fen)
        if note.previous_amount_fen is not None
        else None,
        "reason": note.reason,
    }


@router.get("/runs", response_model=RunPage)
def list_runs(session: DbSession, actor: CurrentActor, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    result = run_service.list_runs(session, actor=actor, page=page, page_size=page_size)
    return {"items": [run_json(r) for r in result.items], "total": result.total, "page": result.page}


@router.post("/runs", status_code=201, response_model=RunRead)
def create_run(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Run the registry-backed batch for a year; the run and its notifications are stored."""
    data = validate(RunCreate, body, code="policy.invalid")
    run, _ = run_service.run_registry_batch(
        session, actor=actor, year=data.year, pack_id=data.pack, readings=data.readings, notify=data.notify
    )
    return run_json(run)


@router.post("/runs/jobs", status_code=202, response_model=JobRead)
def submit_run(body: dict[str, Any], session: DbSession, actor: CurrentActor, response: Response) -> JobRead:
    """Hand the registry-backed batch to the worker (``policy.batch``) and answer at once (202).

    Poll ``Location`` (the job, with its progress) until it is done; the stored run then
    appears in ``GET /runs``. Use this for the whole city: the synchronous ``POST /runs``
    holds the request for the whole evaluation."""
    data = validate(RunCreate, body, code="policy.invalid")
    run_service.require_city_wide(actor, perm.RUN_CREATE)
    pack = get_pack(data.pack)
    year = str(year_period(pack, data.year))
    params = {
        **policy_tasks.batch_params(year=year, readings=data.readings, notify=data.notify),
        "pack": pack.id,
    }
    job = job_service.submit(session, actor=actor, kind=policy_tasks.BATCH, params=params)
    response.headers["Location"] = f"/api/v1/jobs/{job.id}"
    return JobRead.of(job)


@router.get("/runs/{run_id}", response_model=RunDetail)
def get_run(run_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    run = run_service.get_run(session, actor=actor, run_id=run_id)
    return run_json(run) | {"visible_changes": run_service.change_counts(session, actor=actor, run=run)}


@router.get("/runs/{run_id}/results", response_model=ResultPage)
def run_results(
    run_id: int,
    clause: str,
    session: DbSession,
    actor: CurrentActor,
    filters: ResultFilterDep,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    run = run_service.get_run(session, actor=actor, run_id=run_id)
    result = run_service.results(
        session, actor=actor, run=run, clause_id=clause, filters=filters, page=page, page_size=page_size
    )
    return {"items": [result_json(r) for r in result.items], "total": result.total, "page": result.page}


@router.get("/runs/{run_id}/notifications", response_model=ChangePage)
def run_changes(
    run_id: int,
    session: DbSession,
    actor: CurrentActor,
    filters: ChangeFilterDep,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    """精准推送: who is new, who dropped out, whose amount changed, with reasons."""
    run = run_service.get_run(session, actor=actor, run_id=run_id)
    result = run_service.changes(
        session, actor=actor, run=run, filters=filters, page=page, page_size=page_size
    )
    return {"items": [change_json(n) for n in result.items], "total": result.total, "page": result.page}


@router.get("/runs/{run_id}/notifications.xlsx", response_class=Response, responses=file_download(XLSX))
def run_changes_xlsx(
    run_id: int, request: Request, session: DbSession, actor: CurrentActor, filters: ChangeFilterDep
) -> Response:
    run = run_service.get_run(session, actor=actor, run_id=run_id)
    limit = export_limit(request)
    rows = run_service.iter_changes(session, actor=actor, run=run, filters=filters, limit=limit)
    return xlsx_response(export.changes_xlsx(run, rows), f"policy-run-{run.id}-notifications.xlsx")
