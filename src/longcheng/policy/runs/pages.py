"""Officers' pages of stored runs: the list of runs (start one), a run's 精准推送 list, and who
qualifies under a clause (totals by district, ECharts chart, XLSX export of exactly the filtered
rows). Every page asks ``policy.permissions``.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.charts import bar_chart
from longcheng.core.errors import LongchengError
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import ListQuery, Paging, export_limit, render_list, wants_partial, xlsx_response
from longcheng.core.paging import Page
from longcheng.core.templating import render
from longcheng.platform.jobs import exports
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.pages import started
from longcheng.policy import export, service
from longcheng.policy import permissions as perm
from longcheng.policy import tasks as policy_tasks
from longcheng.policy.models import Run
from longcheng.policy.pages import staff_common
from longcheng.policy.runs import service as run_service
from longcheng.policy.schemas import ChangeFilter, ResultFilter
from longcheng.registry import reference as ref

router = APIRouter(include_in_schema=False)


ResultFilterDep = Annotated[ResultFilter, Depends()]


ChangeFilterDep = Annotated[ChangeFilter, Depends()]


@router.get("/policy/runs")
def runs_page(
    request: Request, session: DbSession, actor: CurrentActor, page: int = 1, job: int | None = None
) -> Response:
    """The runs; with ``job`` (a batch started here) its inline progress, then its run's push list."""
    started_job = None
    if job is not None:
        started_job = job_service.get(session, job, actor=actor)
        run_id = policy_tasks.run_of_job(session, started_job.key)
        if run_id is not None:
            return RedirectResponse(f"/policy/runs/{run_id}", status_code=303)
    result = run_service.list_runs(session, actor=actor, page=page)
    return render(
        request,
        "policy/runs.html",
        actor,
        page=result,
        error=None,
        job=started_job,
        listing=ListQuery.of(request),
        **_runs_context(session, actor, result),
    )


def _runs_context(session: Session, actor: Actor, result: Page[Run]) -> dict[str, Any]:
    """District officers see each run's figures for their district only."""
    stats = None
    if not perm.city_wide(actor):
        stats = run_service.scoped_stats(session, actor=actor, run_ids=[r.id for r in result.items])
    return {"stats": stats, **staff_common()}


@router.post("/policy/runs")
async def start_run(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Check the request, then hand the batch to the worker (``policy.batch``) and show its progress."""
    form = await request.form()
    readings = {"innovation.rd_growth_reward": str(form["rd_reading"])} if form.get("rd_reading") else {}
    year = str(form.get("year") or "")
    try:
        run_service.require_city_wide(actor, perm.RUN_CREATE)
        year = str(service.year_period(service.get_pack(), year))
        params = policy_tasks.batch_params(year=year, readings=readings, notify=bool(form.get("notify")))
        job = job_service.submit(session, actor=actor, kind=policy_tasks.BATCH, params=params)
    except LongchengError as exc:
        if exc.status_code in (401, 403):
            raise
        result = run_service.list_runs(session, actor=actor)
        return render(
            request,
            "policy/runs.html",
            actor,
            status=exc.status_code,
            page=result,
            error=exc,
            listing=ListQuery.of(request),
            **_runs_context(session, actor, result),
        )
    return started(request, job, to=f"/policy/runs?job={job.id}")


@router.get("/policy/runs/{run_id}")
def run_page(
    run_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: ChangeFilterDep,
    paging: Paging,
) -> Response:
    run = run_service.get_run(session, actor=actor, run_id=run_id)
    changes = run_service.changes(session, actor=actor, run=run, filters=filters, page=paging.page)
    return render_list(
        request,
        actor,
        "policy/run.html",
        "policy/_changes.html",
        changes,
        filters,
        run=run,
        counts=run_service.change_counts(session, actor=actor, run=run),
        scoped=not perm.city_wide(actor),
        clause_stats=run_service.clause_stats(session, actor=actor, run=run),
        kind_labels=export.KIND_LABELS,
        **staff_common(),
    )


@router.get("/policy/runs/{run_id}/notifications.xlsx")
def run_export(
    run_id: int, request: Request, session: DbSession, actor: CurrentActor, filters: ChangeFilterDep
) -> Response:
    """The run's push list; above ``EXPORT_JOB_ROWS`` a ``policy.run_export`` job builds the file."""
    run = run_service.get_run(session, actor=actor, run_id=run_id)
    total = run_service.changes(session, actor=actor, run=run, filters=filters, page_size=1).total
    if exports.too_many(request, total):
        params = {"run_id": run.id, "filters": filters.model_dump(mode="json")}
        return exports.start_export(
            request, session, actor, kind=policy_tasks.RUN_EXPORT, params=params, rows=total
        )
    rows = run_service.iter_changes(
        session, actor=actor, run=run, filters=filters, limit=export_limit(request)
    )
    return xlsx_response(export.changes_xlsx(run, rows), f"policy-run-{run.id}-notifications.xlsx")


@router.get("/policy/clauses/{clause_id}/qualifying")
def qualifying_page(
    clause_id: str,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: ResultFilterDep,
    page: int = 1,
) -> Response:
    """Who qualifies under one clause in the latest run of the year, with totals by district."""
    clause = service.get_pack().clause(clause_id)
    run = run_service.run_for_year(session, actor=actor, year=filters.year)
    context: dict[str, Any] = {"clause": clause, "run": run, "f": filters, "listing": ListQuery.of(request)}
    if run is not None:
        rows = run_service.results(
            session, actor=actor, run=run, clause_id=clause_id, filters=filters, page=page
        )
        totals = run_service.totals_by_district(
            session, actor=actor, run=run, clause_id=clause_id, filters=filters
        )
        context |= _totals_context(rows, totals)
    template = "policy/_qualifying_table.html" if wants_partial(request) else "policy/qualifying.html"
    return render(request, template, actor, **context, **staff_common())


def _totals_context(rows: Any, totals: list[tuple[str | None, int, int]]) -> dict[str, Any]:
    labels = [ref.place_name(d, keep_unknown=True) or "未填写" for d, _, _ in totals]
    wan = [_wan(total) for _, _, total in totals]
    return {
        "rows": rows,
        "totals": [(label, n, total) for label, (_, n, total) in zip(labels, totals, strict=True)],
        "firms": sum(n for _, n, _ in totals),
        "total_fen": sum(total for _, _, total in totals),
        "chart": bar_chart(
            "各区符合企业的测算金额（万元）",
            labels,
            wan,
            unit="万元",
            grid_left=70,
            grid_bottom=60,
            rotate=20,
        ),
    }


def _wan(fen: int) -> str:
    """Fen as 万元 with two decimals, exactly (integer arithmetic, rounded half up)."""
    hundredths = (fen + 5_000) // 10_000
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@router.get("/policy/clauses/{clause_id}/qualifying.xlsx")
def qualifying_export(
    clause_id: str, request: Request, session: DbSession, actor: CurrentActor, filters: ResultFilterDep
) -> Response:
    clause = service.get_pack().clause(clause_id)
    run = run_service.run_for_year(session, actor=actor, year=filters.year)
    limit = export_limit(request)
    rows = (
        run_service.iter_results(
            session, actor=actor, run=run, clause_id=clause_id, filters=filters, limit=limit
        )
        if run is not None
        else iter(())
    )
    content = (
        export.results_xlsx(clause, run, rows)
        if run is not None
        else export.write_sheet("无数据", ["说明"], [["该年度尚未测算"]])
    )
    return xlsx_response(content, f"policy-{clause_id}-qualifying.xlsx")
