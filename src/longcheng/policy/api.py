"""JSON API of the policy module under ``/api/v1/policy``; each route calls one service function.

Money goes out as decimal strings of yuan (``"180000.00"``) and, where useful, integer fen.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from longcheng.core.auth import require
from longcheng.core.http import CurrentActor, DbSession, state_of, uploaded_file
from longcheng.core.validation import validate
from longcheng.policy import export, service, service_awards, service_inbox, service_inputs, service_query
from longcheng.policy import permissions as perm
from longcheng.policy.engine.amounts import fen_to_yuan
from longcheng.policy.engine.periods import Period, parse_period
from longcheng.policy.models import Notification, Result, Run
from longcheng.policy.schemas import (
    AwardDecision,
    AwardFilter,
    ChangeFilter,
    EvaluateRequest,
    ResultFilter,
    RunCreate,
)
from longcheng.policy.service_runs import run_registry_batch

router = APIRouter(prefix="/api/v1/policy", tags=["policy 政策一键查 · 精准推送 · 免申即享"])
ResultFilterDep = Annotated[ResultFilter, Depends()]
ChangeFilterDep = Annotated[ChangeFilter, Depends()]
AwardFilterDep = Annotated[AwardFilter, Depends()]


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


@router.get("/clauses")
def list_clauses(actor: CurrentActor, pack: str | None = None) -> dict[str, Any]:
    return service.list_clauses(actor=actor, pack_id=pack)


@router.get("/clauses/{clause_id}/guide")
def clause_guide(clause_id: str, actor: CurrentActor, period: str | None = None) -> dict[str, Any]:
    pack = service.get_pack()
    at = parse_period(period) if period else Period(service.default_year(pack))
    return service.clause_guide(actor=actor, clause_id=clause_id, period=at)


@router.post("/evaluate")
def evaluate(body: dict[str, Any], actor: CurrentActor) -> dict[str, Any]:
    """One clause on typed inputs: the explanation with ``amount`` (yuan) and ``brackets``."""
    data = validate(EvaluateRequest, body, code="policy.invalid")
    pack = service.get_pack(data.pack)
    period = parse_period(data.period) if data.period else Period(data.year or service.default_year(pack))
    return service.evaluate(
        actor=actor,
        clause_id=data.clause,
        period=period,
        inputs=data.inputs,
        reading=data.reading,
        pack_id=data.pack,
    )


@router.get("/orgs/{uscc}")
def lookup(uscc: str, session: DbSession, actor: CurrentActor, year: str | None = None) -> dict[str, Any]:
    """政策一键查: every clause the firm qualifies for this year, with amount and explanation."""
    return service.lookup(session, actor=actor, uscc=uscc, year=year)


@router.get("/runs")
def list_runs(session: DbSession, actor: CurrentActor, page: int = 1, page_size: int = 20) -> dict[str, Any]:
    result = service_query.list_runs(session, actor=actor, page=page, page_size=page_size)
    return {"items": [run_json(r) for r in result.items], "total": result.total, "page": result.page}


@router.post("/runs", status_code=201)
def create_run(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    """Run the registry-backed batch for a year; the run and its notifications are stored."""
    data = validate(RunCreate, body, code="policy.invalid")
    run, _ = run_registry_batch(
        session, actor=actor, year=data.year, pack_id=data.pack, readings=data.readings, notify=data.notify
    )
    return run_json(run)


@router.get("/runs/{run_id}")
def get_run(run_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    run = service_query.get_run(session, actor=actor, run_id=run_id)
    return run_json(run) | {"visible_changes": service_query.change_counts(session, actor=actor, run=run)}


@router.get("/runs/{run_id}/results")
def run_results(
    run_id: int,
    clause: str,
    session: DbSession,
    actor: CurrentActor,
    filters: ResultFilterDep,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    run = service_query.get_run(session, actor=actor, run_id=run_id)
    result = service_query.results(
        session, actor=actor, run=run, clause_id=clause, filters=filters, page=page, page_size=page_size
    )
    return {"items": [result_json(r) for r in result.items], "total": result.total, "page": result.page}


@router.get("/runs/{run_id}/notifications")
def run_changes(
    run_id: int,
    session: DbSession,
    actor: CurrentActor,
    filters: ChangeFilterDep,
    page: int = 1,
    page_size: int = 50,
) -> dict[str, Any]:
    """精准推送: who is new, who dropped out, whose amount changed, with reasons."""
    run = service_query.get_run(session, actor=actor, run_id=run_id)
    result = service_query.changes(
        session, actor=actor, run=run, filters=filters, page=page, page_size=page_size
    )
    return {"items": [change_json(n) for n in result.items], "total": result.total, "page": result.page}


@router.get("/runs/{run_id}/notifications.xlsx")
def run_changes_xlsx(
    run_id: int, request: Request, session: DbSession, actor: CurrentActor, filters: ChangeFilterDep
) -> Response:
    run = service_query.get_run(session, actor=actor, run_id=run_id)
    limit = state_of(request).settings.export_max_rows
    rows = service_query.iter_changes(session, actor=actor, run=run, filters=filters, limit=limit)
    return export.xlsx_response(export.changes_xlsx(run, rows), f"policy-run-{run.id}-notifications.xlsx")


@router.get("/notifications")
def inbox(
    session: DbSession, actor: CurrentActor, unread: bool = False, page: int = 1, page_size: int = 20
) -> dict[str, Any]:
    """The enterprise's own inbox, newest first, with the unread count."""
    result = service_inbox.inbox(session, actor=actor, unread_only=unread, page=page, page_size=page_size)
    items = [
        service_inbox.describe(session, n) | {"created_at": n.created_at.isoformat()} for n in result.items
    ]
    return {
        "items": items,
        "total": result.total,
        "page": result.page,
        "unread": service_inbox.unread_count(session, actor=actor),
    }


@router.post("/notifications/{notification_id}/read")
def read_notification(notification_id: int, session: DbSession, actor: CurrentActor) -> dict[str, Any]:
    service_inbox.mark_read(session, actor=actor, notification_id=notification_id)
    return {"status": "read", "unread": service_inbox.unread_count(session, actor=actor)}


@router.post("/notifications/read-all")
def read_all(session: DbSession, actor: CurrentActor) -> dict[str, int]:
    return {"marked": service_inbox.mark_all_read(session, actor=actor)}


@router.get("/awards")
def awards(
    session: DbSession, actor: CurrentActor, filters: AwardFilterDep, page: int = 1, page_size: int = 50
) -> dict[str, Any]:
    """免申即享: the latest run's list under a clause with each firm's confirmation status."""
    listing = service_awards.award_list(session, actor=actor, filters=filters, page=page, page_size=page_size)
    return {
        "clause": listing.clause.id,
        "run": listing.run.id if listing.run else None,
        "counts": listing.counts,
        "total": listing.total,
        "items": [result_json(r.result) | {"status": r.status} for r in listing.items],
    }


@router.post("/awards/decisions")
def decide(body: dict[str, Any], session: DbSession, actor: CurrentActor) -> dict[str, int]:
    data = validate(AwardDecision, body, code="policy.invalid")
    return {"decided": service_awards.decide(session, actor=actor, data=data)}


@router.get("/inputs/template.xlsx")
def inputs_template(actor: CurrentActor) -> Response:
    require(actor, perm.INPUT_READ)
    return export.xlsx_response(service_inputs.template_xlsx(), "policy-inputs-template.xlsx")


def import_upload(
    request: Request, session: DbSession, actor: CurrentActor, upload: UploadFile
) -> service_inputs.InputReport:
    """Run an uploaded file through the all-or-nothing input import (API and page)."""
    with uploaded_file(request, upload) as path:
        return service_inputs.run_import(
            session, actor=actor, path=path, max_bytes=state_of(request).settings.max_upload_bytes
        )


@router.post("/inputs/import")
def import_inputs(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    report = import_upload(request, session, actor, file)
    body: dict[str, Any] = {
        "ok": report.ok,
        "rows": report.rows,
        "written": report.written,
        "error_count": report.error_count,
        "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in report.errors],
    }
    if not report.ok:
        body["code"] = "policy.import_rows"
    return JSONResponse(body, status_code=200 if report.ok else 422)
