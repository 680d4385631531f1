"""Pages of the grants reports: the programme dashboard and the programme report (outcomes),
each with charts (``core.charts``, drawn by ``static/app.js``) and an XLSX export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from longcheng.core.charts import bar_chart, pie_chart
from longcheng.core.exporting import Cell, write_xlsx
from longcheng.core.http import CurrentActor, DbSession
from longcheng.core.listing import xlsx_response
from longcheng.core.templating import render
from longcheng.grants.reports.schemas import DashboardFilter, ReportFilter
from longcheng.grants.reports.service import dashboard as dash
from longcheng.grants.reports.service import outcomes
from longcheng.registry import reference

router = APIRouter(include_in_schema=False)
DashboardDep = Annotated[DashboardFilter, Depends()]
ReportDep = Annotated[ReportFilter, Depends()]
DASHBOARD_HEADERS = (
    "专项",
    "地区",
    "申报数",
    "申请金额（万元）",
    "已下达数",
    "下达金额（万元）",
    "在办数",
    "在办平均停留（天）",
    "在办最长停留（天）",
)
OUTCOME_HEADERS = (
    "申报编号",
    "企业名称",
    "统一社会信用代码",
    "地区",
    "资助年度",
    "核定金额（元）",
    "已支付（元）",
    *(
        f"{label}{side}（{unit}）"
        for _, label, unit, _ in outcomes.INDICATORS.values()
        for side in ("前", "后")
    ),
    "后期年度",
)


def _wan(fen: int) -> float:
    return round(fen / 1_000_000, 2)


def _dashboard_charts(d: dash.Dashboard) -> dict[str, str]:
    names = [g.label for g in d.by_programme]
    return {
        "programme": bar_chart("各专项申报数", names, [g.apps for g in d.by_programme], unit="件"),
        "district": bar_chart(
            "各地区申请金额（万元）",
            [g.label for g in d.by_district],
            [_wan(g.requested_fen) for g in d.by_district],
            unit="万元",
        ),
        "days": bar_chart(
            "各专项在办平均停留天数", names, [round(g.days_avg, 1) for g in d.by_programme], unit="天"
        ),
        "stage": pie_chart("各阶段申报数", [s for s, _ in d.by_stage], [n for _, n in d.by_stage]),
    }


@router.get("/grants/dashboard")
def dashboard_page(
    request: Request, session: DbSession, actor: CurrentActor, filters: DashboardDep
) -> Response:
    d = dash.dashboard(session, actor=actor, filters=filters)
    return render(
        request,
        "grants/dashboard.html",
        actor,
        d=d,
        f=filters,
        charts=_dashboard_charts(d),
        programmes=outcomes.programmes(session, actor=actor),
        districts=[(p.code, p.name) for p in reference.districts()],
        query=request.url.query,
    )


def _group_row(g: dash.Group) -> list[Cell]:
    programme, _, district = g.label.partition(" · ")
    return [
        programme,
        district,
        g.apps,
        _wan(g.requested_fen),
        g.decided,
        _wan(g.approved_fen),
        g.waiting,
        round(g.days_avg, 1),
        round(g.days_max, 1),
    ]


@router.get("/grants/dashboard.xlsx")
def dashboard_export(session: DbSession, actor: CurrentActor, filters: DashboardDep) -> Response:
    d = dash.dashboard(session, actor=actor, filters=filters)
    rows = (_group_row(g) for g in d.by_pair)
    return xlsx_response(write_xlsx("专项驾驶舱", DASHBOARD_HEADERS, rows), "grants-dashboard.xlsx")


def _num(value: float | None) -> float | str:
    return round(value, 2) if value is not None else ""


def _outcome_rows(rows: Sequence[outcomes.FirmOutcome]) -> Iterator[list[Cell]]:
    for r in rows:
        values: list[Cell] = [
            r.number,
            r.name,
            r.uscc,
            reference.place_name(r.district),
            r.award_year,
            round(r.approved_fen / 100, 2),
            round(r.paid_fen / 100, 2),
        ]
        for code in outcomes.INDICATORS:
            values += [_num(r.changes[code].before), _num(r.changes[code].after)]
        values.append(max((c.after_year or 0 for c in r.changes.values()), default=0) or "")
        yield values


@router.get("/grants/reports/{code}.xlsx")
def report_export(code: str, session: DbSession, actor: CurrentActor, filters: ReportDep) -> Response:
    report = outcomes.programme_report(session, actor=actor, programme_code=code, year=filters.year)
    sheet = write_xlsx("成效指标", OUTCOME_HEADERS, _outcome_rows(report.rows))
    return xlsx_response(sheet, f"grants-outcomes-{report.code}.xlsx")


def _report_charts(report: outcomes.ProgrammeReport) -> dict[str, str]:
    growing = sorted(
        (r for r in report.rows if r.changes["revenue"].growth is not None),
        key=lambda r: -(r.changes["revenue"].growth or 0),
    )[:20]
    counted = [e for e in report.efficiency if e.yuan_per_unit is not None]
    return {
        "growth": bar_chart(
            "营业收入增长前 20 家企业（万元）",
            [r.name[:10] for r in growing],
            [round(r.changes["revenue"].growth or 0, 2) for r in growing],
            unit="万元",
        ),
        "efficiency": bar_chart(
            "每单位成效的资助金额（元）",
            [f"每{e.unit}{e.label}增长" for e in counted],
            [round(e.yuan_per_unit or 0, 2) for e in counted],
            unit="元",
            rotate=0,
        ),
    }


@router.get("/grants/reports/{code}")
def report_page(
    code: str, request: Request, session: DbSession, actor: CurrentActor, filters: ReportDep
) -> Response:
    report = outcomes.programme_report(session, actor=actor, programme_code=code, year=filters.year)
    return render(
        request,
        "grants/programme_report.html",
        actor,
        report=report,
        f=filters,
        charts=_report_charts(report),
        indicators=outcomes.INDICATORS,
        place_name=reference.place_name,
        query=request.url.query,
    )
