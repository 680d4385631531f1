"""Pages of the project record: the list (with XLSX export), the pipeline board, the leader's
dashboard, and the project page (:mod:`.detail`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcheng.core.clock import local_today
from longcheng.core.exporting import XLSX_MEDIA_TYPE
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.templating import render
from longcheng.projects import importer, service
from longcheng.projects.pages.choices import choices, industry_name, place_name
from longcheng.projects.pages.detail import render_detail
from longcheng.projects.schemas import ProjectFilter

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ProjectFilter, Depends()]


def chart(title: str, labels: list[str], values: list[float], *, kind: str = "bar", unit: str = "") -> str:
    """An ECharts option as JSON for ``static/app.js``."""
    if kind == "pie":
        spec: dict[str, Any] = {
            "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {},
            "color": ["#c0392b", "#d4a017", "#2e8b57"],
            "series": [
                {
                    "type": "pie",
                    "radius": ["35%", "65%"],
                    "data": [{"name": n, "value": v} for n, v in zip(labels, values, strict=True)],
                }
            ],
        }
    else:
        spec = {
            "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
            "tooltip": {},
            "grid": {"left": 70, "right": 20, "bottom": 90},
            "xAxis": {"type": "category", "data": labels, "axisLabel": {"interval": 0, "rotate": 30}},
            "yAxis": {"type": "value", "name": unit},
            "series": [{"type": "bar", "data": values, "itemStyle": {"color": "#1d4e89"}}],
        }
    return json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")


def _short(label: str, limit: int = 8) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _yi(fen: int) -> float:
    return float((Decimal(fen) / 10**10).quantize(Decimal("0.01")))


@router.get("/projects")
def list_page(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    filters: FilterDep,
    page: int = 1,
    page_size: int = 20,
) -> Response:
    result = service.list_projects(session, actor=actor, filters=filters, page=page, page_size=page_size)
    template = "projects/_table.html" if request.headers.get("hx-request") else "projects/list.html"
    return render(
        request, template, actor, page=result, f=filters, query=request.url.query, **choices(session, actor)
    )


@router.get("/projects/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    rows = service.iter_export(
        session, actor=actor, filters=filters, limit=state_of(request).settings.export_max_rows
    )
    return Response(
        importer.export_xlsx(rows),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": "attachment; filename=projects.xlsx"},
    )


@router.get("/projects/board")
def board_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    columns = service.board(session, actor=actor, filters=filters)
    return render(
        request,
        "projects/board.html",
        actor,
        columns=columns,
        f=filters,
        query=request.url.query,
        **choices(session, actor),
    )


@router.get("/projects/dashboard")
def dashboard_page(
    request: Request, session: DbSession, actor: CurrentActor, year: int | None = None
) -> Response:
    d = service.dashboard(session, actor=actor, year=year or local_today().year)
    industries = d.by_industry[:10]
    charts = {
        "stage": chart(
            "各阶段项目数", [s.label for s, _, _ in d.by_stage], [n for _, n, _ in d.by_stage], unit="个"
        ),
        "district": chart(
            "各地区总投资（亿元）",
            [place_name(k) or "未填写" for k, _, _ in d.by_district],
            [_yi(t) for _, _, t in d.by_district],
            unit="亿元",
        ),
        "industry": chart(
            "各产业总投资（亿元，前10）",
            [_short(industry_name(k) or "未填写") for k, _, _ in industries],
            [_yi(t) for _, _, t in industries],
            unit="亿元",
        ),
        "lights": chart(
            "状态灯",
            ["红灯", "黄灯", "绿灯"],
            [d.lights["red"], d.lights["yellow"], d.lights["green"]],
            kind="pie",
        ),
    }
    return render(request, "projects/dashboard.html", actor, d=d, charts=charts, **choices(session, actor))


@router.get("/projects/{code}")
def detail_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render_detail(request, session, actor, code, notice=request.query_params.get("notice"))
