"""Officers' pages: batch runs and their 精准推送 lists, who qualifies under a clause (totals by
district, ECharts chart, XLSX export of exactly the filtered rows), the 免申即享 confirmation
list, and the import of policy-owned inputs. Every page asks ``policy.permissions``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import LongchengError, ValidationFailed
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.paging import Page
from longcheng.core.templating import render
from longcheng.core.validation import validate
from longcheng.policy import export, service, service_awards, service_inputs, service_query
from longcheng.policy import permissions as perm
from longcheng.policy.api import import_upload
from longcheng.policy.engine.batch import reason_text
from longcheng.policy.engine.rules import Kind
from longcheng.policy.models import InputRecord, Run
from longcheng.policy.pages import common, money
from longcheng.policy.schemas import AwardDecision, AwardFilter, ChangeFilter, ResultFilter
from longcheng.policy.service_runs import run_registry_batch
from longcheng.registry import reference as ref

router = APIRouter(include_in_schema=False)
ResultFilterDep = Annotated[ResultFilter, Depends()]
ChangeFilterDep = Annotated[ChangeFilter, Depends()]
AwardFilterDep = Annotated[AwardFilter, Depends()]


def chart_spec(title: str, labels: list[str], values: list[str]) -> str:
    """A bar chart of totals in 万元 (values are decimal strings, so no float rounding shows)."""
    spec = {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {},
        "grid": {"left": 70, "right": 20, "bottom": 60},
        "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 20}},
        "yAxis": {"type": "value", "name": "万元"},
        "series": [{"type": "bar", "data": values, "itemStyle": {"color": "#1d4e89"}}],
    }
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


def staff_common() -> dict[str, Any]:
    pack = service.get_pack()

    def reading_label(clause_id: str, reading_id: str) -> str:
        clause = pack.clauses.get(clause_id)
        if clause is None or len(clause.readings) < 2:
            return "—"
        return clause.reading(reading_id).label.split("：")[0]

    def reason_label(clause_id: str, code: str) -> str:
        return reason_text(pack, clause_id, code) if clause_id in pack.clauses else code

    return {
        **common(pack),
        "districts": ref.districts(),
        "reading_label": reading_label,
        "reason_label": reason_label,
    }


@router.get("/policy/runs")
def runs_page(request: Request, session: DbSession, actor: CurrentActor, page: int = 1) -> Response:
    result = service_query.list_runs(session, actor=actor, page=page)
    return render(
        request, "policy/runs.html", actor, page=result, error=None, **_runs_context(session, actor, result)
    )


def _runs_context(session: Session, actor: Actor, result: Page[Run]) -> dict[str, Any]:
    """District officers see each run's figures for their district only."""
    stats = None
    if not perm.city_wide(actor):
        stats = service_query.scoped_stats(session, actor=actor, run_ids=[r.id for r in result.items])
    return {"stats": stats, **staff_common()}


@router.post("/policy/runs")
async def start_run(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    form = await request.form()
    readings = {"innovation.rd_growth_reward": str(form["rd_reading"])} if form.get("rd_reading") else {}
    try:
        run, _ = run_registry_batch(
            session,
            actor=actor,
            year=str(form.get("year") or ""),
            readings=readings,
            notify=bool(form.get("notify")),
        )
    except LongchengError as exc:
        if exc.status_code in (401, 403):
            raise
        result = service_query.list_runs(session, actor=actor)
        return render(
            request,
            "policy/runs.html",
            actor,
            status=exc.status_code,
            page=result,
            error=exc,
            **_runs_context(session, actor, result),
        )
    return RedirectResponse(f"/policy/runs/{run.id}", status_code=303)


@router.get("/policy/runs/{run_id}")
def run_page(
    run_id: int,
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: ChangeFilterDep,
    page: int = 1,
) -> Response:
    run = service_query.get_run(session, actor=actor, run_id=run_id)
    changes = service_query.changes(session, actor=actor, run=run, filters=filters, page=page)
    template = "policy/_changes.html" if request.headers.get("hx-request") else "policy/run.html"
    return render(
        request,
        template,
        actor,
        run=run,
        changes=changes,
        counts=service_query.change_counts(session, actor=actor, run=run),
        scoped=not perm.city_wide(actor),
        clause_stats=service_query.clause_stats(session, actor=actor, run=run),
        f=filters,
        query=request.url.query,
        kind_labels=export.KIND_LABELS,
        **staff_common(),
    )


@router.get("/policy/runs/{run_id}/notifications.xlsx")
def run_export(
    run_id: int, request: Request, session: DbSession, actor: CurrentActor, filters: ChangeFilterDep
) -> Response:
    run = service_query.get_run(session, actor=actor, run_id=run_id)
    rows = service_query.iter_changes(
        session, actor=actor, run=run, filters=filters, limit=state_of(request).settings.export_max_rows
    )
    return export.xlsx_response(export.changes_xlsx(run, rows), f"policy-run-{run.id}-notifications.xlsx")


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
    run = service_query.run_for_year(session, actor=actor, year=filters.year)
    context: dict[str, Any] = {"clause": clause, "run": run, "f": filters, "query": request.url.query}
    if run is not None:
        rows = service_query.results(
            session, actor=actor, run=run, clause_id=clause_id, filters=filters, page=page
        )
        totals = service_query.totals_by_district(
            session, actor=actor, run=run, clause_id=clause_id, filters=filters
        )
        context |= _totals_context(rows, totals)
    template = (
        "policy/_qualifying_table.html" if request.headers.get("hx-request") else "policy/qualifying.html"
    )
    return render(request, template, actor, **context, **staff_common())


def _totals_context(rows: Any, totals: list[tuple[str | None, int, int]]) -> dict[str, Any]:
    labels = [export.place_name(d) or "未填写" for d, _, _ in totals]
    wan = [_wan(total) for _, _, total in totals]
    return {
        "rows": rows,
        "totals": [(label, n, total) for label, (_, n, total) in zip(labels, totals, strict=True)],
        "firms": sum(n for _, n, _ in totals),
        "total_fen": sum(total for _, _, total in totals),
        "chart": chart_spec("各区符合企业的测算金额（万元）", labels, wan),
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
    run = service_query.run_for_year(session, actor=actor, year=filters.year)
    limit = state_of(request).settings.export_max_rows
    rows = (
        service_query.iter_results(
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
    return export.xlsx_response(content, f"policy-{clause_id}-qualifying.xlsx")


@router.get("/policy/awards")
def awards_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: AwardFilterDep, page: int = 1
) -> Response:
    listing = service_awards.award_list(session, actor=actor, filters=filters, page=page)
    pack = service.get_pack()
    return render(
        request,
        "policy/awards.html",
        actor,
        listing=listing,
        f=filters,
        query=request.url.query,
        award_clauses=service_awards.award_clauses(pack),
        status_labels=service_awards.STATUS_LABELS,
        message=request.query_params.get("done"),
        error=None,
        **staff_common(),
    )


@router.post("/policy/awards/decide")
async def decide(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    """Confirm or withhold the ticked firms (or every firm still to confirm in the filtered list)."""
    form = await request.form()
    filters = AwardFilter.model_validate({k: form.get(k) for k in ("clause", "year", "district", "q")})
    usccs = [str(v) for v in form.getlist("uscc")]
    if form.get("all_pending"):
        usccs = service_awards.pending_usccs(session, actor=actor, filters=filters)
    if not usccs:
        raise ValidationFailed(
            "请先勾选要处理的企业（或筛选结果中没有待确认的企业）。", code="policy.nothing_selected"
        )
    year = filters.year or str(service.default_year(service.get_pack()))
    body = {
        "clause": filters.clause or service_awards.award_clauses(service.get_pack())[0].id,
        "year": int(year),
    }
    body |= {
        "usccs": usccs,
        "decision": str(form.get("decision") or "confirmed"),
        "note": str(form.get("note") or ""),
    }
    count = service_awards.decide(
        session, actor=actor, data=validate(AwardDecision, body, code="policy.invalid")
    )
    query = f"clause={body['clause']}&year={year}&done={count}"
    return RedirectResponse(f"/policy/awards?{query}", status_code=303)


@router.get("/policy/awards.xlsx")
def awards_export(
    request: Request, session: DbSession, actor: CurrentActor, filters: AwardFilterDep
) -> Response:
    limit = state_of(request).settings.export_max_rows
    clause, rows = service_awards.iter_award_rows(session, actor=actor, filters=filters, limit=limit)
    return export.xlsx_response(export.awards_xlsx(clause, rows), f"policy-awards-{clause.id}.xlsx")


@router.get("/policy/inputs")
def inputs_page(
    request: Request, session: DbSession, actor: CurrentActor, page: int = 1, q: str | None = None
) -> Response:
    records = service_inputs.list_inputs(session, actor=actor, q=q, page=page)
    return render(
        request, "policy/inputs.html", actor, records=records, report=None, q=q or "", **_inputs_context()
    )


def _inputs_context() -> dict[str, Any]:
    pack = service.get_pack()
    labels = {s.name: s.label for s in pack.variables.values()}

    def value_of(record: InputRecord) -> str:
        spec = pack.variables.get(record.name)
        if spec is not None and spec.type.kind is Kind.MONEY:
            return f"{money(record.value)} 元"
        if spec is not None and spec.type.kind is Kind.BOOL:
            return "是" if record.value else "否"
        return str(record.value)

    return {
        "headers": service_inputs.template_headers(pack),
        "labels": labels,
        "value_of": value_of,
        **staff_common(),
    }


@router.post("/policy/inputs")
def inputs_submit(
    request: Request, session: DbSession, actor: CurrentActor, file: Annotated[UploadFile, File()]
) -> Response:
    report = import_upload(request, session, actor, file)
    records = service_inputs.list_inputs(session, actor=actor)
    status = 200 if report.ok else 422
    return render(
        request,
        "policy/inputs.html",
        actor,
        status=status,
        records=records,
        report=report,
        q="",
        **_inputs_context(),
    )


@router.get("/policy/inputs/template.xlsx")
def inputs_template(actor: CurrentActor) -> Response:
    require(actor, perm.INPUT_READ)
    return export.xlsx_response(service_inputs.template_xlsx(), "policy-inputs-template.xlsx")
