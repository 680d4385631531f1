"""The alliance monitoring pages: charts and table by institution, class or month; the risk
signals' review queue (filters, paging, export, confirm or dismiss with a note)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from longcheng.core.charts import bar_chart
from longcheng.core.clock import format_local
from longcheng.core.exporting import write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import Paging, export_limit, render_list, xlsx_response
from longcheng.core.templating import render
from longcheng.exchange.monitoring import risk, service

router = APIRouter(include_in_schema=False)
RiskFilterDep = Annotated[risk.RiskFilter, Depends()]
EXPORT_HEADERS = [
    "编号",
    "类型",
    "项目编号",
    "摘要",
    "证据",
    "状态",
    "发现时间（北京时间）",
    "处理人",
    "处理意见",
]


@router.get("/exchange/monitoring")
def monitoring(
    request: Request, session: DbSession, actor: CurrentActor, group: str = "institution"
) -> Response:
    rows = service.dashboard(session, actor=actor, group=group)
    labels = [r.label for r in rows]
    charts = {
        "volume": bar_chart(
            "成交额（万元）", labels, [round(r.volume_fen / 1_000_000, 2) for r in rows], unit="万元"
        ),
        "rates": bar_chart("流拍率（%）", labels, [r.unsold_pct for r in rows], unit="%"),
    }
    latest = risk.queue_page(session, actor=actor, filters=risk.RiskFilter(), page=1, page_size=10)
    return render(
        request,
        "exchange/monitoring.html",
        actor,
        rows=rows,
        charts=charts,
        group=group,
        groups=service.GROUPS,
        signals=latest,
        kinds=risk.KINDS,
        as_of=service.as_of(session),
    )


@router.get("/exchange/monitoring/risk")
def risk_queue(
    request: Request, session: DbSession, actor: CurrentActor, filters: RiskFilterDep, paging: Paging
) -> Response:
    page = risk.queue_page(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    return render_list(
        request,
        actor,
        "exchange/risk.html",
        "exchange/_risk_table.html",
        page,
        filters,
        kinds=risk.KINDS,
        statuses=risk.STATUSES,
        done=request.query_params.get("done"),
    )


@router.get("/exchange/monitoring/risk/export.xlsx")
def risk_export(
    request: Request, session: DbSession, actor: CurrentActor, filters: RiskFilterDep
) -> Response:
    rows = risk.iter_queue(session, actor=actor, filters=filters, limit=export_limit(request))
    body = write_xlsx(
        "风险信号",
        EXPORT_HEADERS,
        (
            [
                s.id,
                risk.KINDS.get(s.kind, s.kind),
                s.listing_code,
                s.summary,
                "；".join(str(e) for e in s.evidence),
                risk.STATUSES.get(s.status, s.status),
                format_local(s.detected_at),
                s.reviewed_by,
                s.review_note,
            ]
            for s in rows
        ),
    )
    return xlsx_response(body, "风险信号.xlsx")


@router.post("/exchange/monitoring/risk/{signal_id}/review")
def risk_review(
    signal_id: int,
    session: DbSession,
    actor: CurrentActor,
    decision: Annotated[str, Form()],
    note: Annotated[str, Form()] = "",
) -> Response:
    row = risk.review(session, actor=actor, signal_id=signal_id, confirm=decision == "confirm", note=note)
    done = "confirmed" if row.status == "confirmed" else "dismissed"
    return RedirectResponse(f"/exchange/monitoring/risk?done={done}", status_code=303)
