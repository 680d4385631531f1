"""Pages of the projects module: list, pipeline board, leader's dashboard, project page and form.

The forms that act on one project (stage, plan, 督办, evidence) and the module-wide pages
(thresholds, ceremonies, leads, import) are in :mod:`.pages_work`.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from longcheng.core.actors import Actor
from longcheng.core.auth import can
from longcheng.core.clock import local_today
from longcheng.core.errors import LongchengError
from longcheng.core.exporting import XLSX_MEDIA_TYPE
from longcheng.core.http import CurrentActor, DbSession, state_of
from longcheng.core.templating import render
from longcheng.projects import importer, service, service_lights, service_plan, service_supervision
from longcheng.projects import permissions as perm
from longcheng.projects.models import Project
from longcheng.projects.schedule.progress import Month, amount_text, schedule_progress
from longcheng.projects.schedule.stages import STAGE_ORDER
from longcheng.projects.schemas import ProjectFilter
from longcheng.projects.service_query import leaders, list_names
from longcheng.projects.vocab import official_lists, programmes, project_types
from longcheng.registry import reference as ref

router = APIRouter(include_in_schema=False)
FilterDep = Annotated[ProjectFilter, Depends()]
LIGHT_LABELS = {"green": "绿灯", "yellow": "黄灯", "red": "红灯"}


def place_name(code: str | None) -> str:
    return ref.places()[code].name if code and code in ref.places() else ""


def industry_name(code: str | None) -> str:
    found = ref.find_industry(code) if code else None
    return found.name if found else ""


def choices(session: Session, actor: Actor) -> dict[str, Any]:
    """Everything a filter bar or a form offers, with Chinese labels."""
    in_use = list_names(session)
    official = official_lists()
    return {
        "districts": ref.districts(),
        "zones": ref.zones(),
        "stages": STAGE_ORDER,
        "stage_labels": {s.value: s.label for s in STAGE_ORDER},
        "light_labels": LIGHT_LABELS,
        "industries": [i for i in ref.industries().values() if i.code.isdigit() and len(i.code) == 2],
        "official_lists": official,
        "all_lists": official + sorted(n for n in in_use if n not in official),
        "programmes": programmes(),
        "project_types": project_types(),
        "place_name": place_name,
        "industry_name": industry_name,
        "amount": amount_text,
        "leaders": leaders(session, actor=actor),
    }


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


def _progress(session: Session, project: Project) -> tuple[list[Any], str]:
    as_of = service_lights.progress_month(local_today())
    months = service_plan.investment_year(session, project, as_of.year)
    if not months:
        return [], ""
    planned = {Month(as_of.year, m): r.planned_fen for m, r in months.items()}
    completed = {Month(as_of.year, m): r.completed_fen for m, r in months.items()}
    progress = schedule_progress(as_of, completed, planned_by_month=planned)
    full = schedule_progress(Month(as_of.year, 12), completed, planned_by_month=planned)
    return list(full.months), progress.summary()


@router.get("/projects/{code}")
def detail_page(code: str, request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render_detail(request, session, actor, code, notice=request.query_params.get("notice"))


def render_detail(
    request: Request,
    session: Session,
    actor: Actor,
    code: str,
    *,
    status: int = 200,
    error: LongchengError | None = None,
    notice: str | None = None,
) -> Response:
    """The project page; after a refused action, with the reason on top and the action's status."""
    project = service.get(session, actor=actor, code=code)
    lit = service_lights.evaluate(session, project)
    months, progress = _progress(session, project)
    records = (
        service.history(session, actor=actor, project=project) if can(actor, perm.PROJECT_HISTORY) else []
    )
    return render(
        request,
        "projects/detail.html",
        actor,
        status=status,
        p=project,
        lit=lit,
        signals=dict(lit.nodes),
        nodes=service_plan.nodes_of(session, project),
        orders=service_supervision.orders_of(session, project),
        evidence=service.evidence_of(session, project),
        records=records,
        months=months,
        progress=progress,
        editable=perm.can_edit(actor, project),
        supervisable=perm.can_supervise(actor, project),
        decidable=can(actor, perm.EVIDENCE_DECIDE)
        and (perm.is_responsible(actor, project) or actor.district is None),
        today=local_today(),
        notice=notice,
        error=error,
        **choices(session, actor),
    )
