"""Pages of the project record: the list (with XLSX export), the pipeline board, the leader's
dashboard, and the project page (:mod:`.detail`)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcheng.core.charts import bar_chart, pie_chart
from longcheng.core.clock import local_today
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import (
    ListQuery,
    Paging,
    export_limit,
    kept_rows,
    query_model,
    render_list,
    xlsx_response,
)
from longcheng.core.templating import render
from longcheng.platform.jobs import exports
from longcheng.projects import importer, service
from longcheng.projects import tasks as projects_tasks
from longcheng.projects.models import Project
from longcheng.projects.pages.choices import choices
from longcheng.projects.pages.detail import render_detail
from longcheng.projects.schemas import ProjectFilter
from longcheng.registry import reference as ref

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ProjectFilter, Depends(query_model(ProjectFilter))]
LIGHT_COLOURS = ("#c0392b", "#d4a017", "#2e8b57")


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
    paging: Paging,
) -> Response:
    found = service.list_project_ids(
        session, actor=actor, filters=filters, page=paging.page, page_size=paging.page_size
    )
    listed = choices(session, actor)

    def load(ids: Sequence[int]) -> list[Project]:
        return service.projects_by_ids(session, actor=actor, ids=ids)

    rows = kept_rows(request, session, "projects/_rows.html", found, load, stamps=service.STAMPS, **listed)
    return render_list(
        request, actor, "projects/list.html", "projects/_table.html", found, filters, rows_html=rows, **listed
    )


@router.get("/projects/export.xlsx")
def export_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    """Exactly the filtered projects; above ``EXPORT_JOB_ROWS`` a ``projects.export`` job builds the file."""
    total = service.list_projects(session, actor=actor, filters=filters, page=1, page_size=1).total
    if exports.too_many(request, total):
        params = {"filters": filters.model_dump(mode="json")}
        return exports.start_export(
            request, session, actor, kind=projects_tasks.EXPORT, params=params, rows=total
        )
    rows = service.iter_export(session, actor=actor, filters=filters, limit=export_limit(request))
    return xlsx_response(importer.export_xlsx(rows), "projects.xlsx")


@router.get("/projects/board")
def board_page(request: Request, session: DbSession, actor: CurrentActor, filters: FilterDep) -> Response:
    columns = service.board(session, actor=actor, filters=filters)
    return render(
        request,
        "projects/board.html",
        actor,
        columns=columns,
        f=filters,
        listing=ListQuery.of(request),
        **choices(session, actor),
    )


@router.get("/projects/dashboard")
def dashboard_page(
    request: Request, session: DbSession, actor: CurrentActor, year: int | None = None
) -> Response:
    d = service.dashboard(session, actor=actor, year=year or local_today().year)
    industries = d.by_industry[:10]
    charts = {
        "stage": bar_chart(
            "各阶段项目数",
            [s.label for s, _, _ in d.by_stage],
            [n for _, n, _ in d.by_stage],
            unit="个",
            grid_left=70,
        ),
        "district": bar_chart(
            "各地区总投资（亿元）",
            [ref.place_name(k) or "未填写" for k, _, _ in d.by_district],
            [_yi(t) for _, _, t in d.by_district],
            unit="亿元",
            grid_left=70,
        ),
        "industry": bar_chart(
            "各产业总投资（亿元，前10）",
            [_short(ref.industry_name(k) or "未填写") for k, _, _ in industries],
            [_yi(t) for _, _, t in industries],
            unit="亿元",
            grid_left=70,
        ),
        "lights": pie_chart(
            "状态灯",
            ["红灯", "黄灯", "绿灯"],
            [d.lights["red"], d.lights["yellow"], d.lights["green"]],
            colours=LIGHT_COLOURS,
        ),
    }
    return render(request, "projects/dashboard.html", actor, d=d, charts=charts, **choices(session, actor))


@router.get("/projects/{code}")
def detail_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render_detail(request, session, actor, code, notice=request.query_params.get("notice"))
