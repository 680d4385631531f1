"""The monthly 督查专报 from the database: gather the rows, then write XLSX and PDF.

A project is in the report when it is on an official list or batch, or has been signed by the
end of the month. Stage dates after the month are left out (the report shows the month as it
ended); lights are computed for the last day of the month (or today, for the current month),
with the reasons of red projects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.projects import permissions as perm
from longcheng.projects.models import Ceremony, InvestmentMonth, Project, ProjectListEntry
from longcheng.projects.report.gather import MonthlyReport, ReportProject, ReportSummary, summarize
from longcheng.projects.report.pdf import write_pdf
from longcheng.projects.report.xlsx import write_xlsx
from longcheng.projects.schedule.lights import Light
from longcheng.projects.schedule.progress import Month
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage
from longcheng.projects.service.recompute import compute_all
from longcheng.registry import reference as ref

_DATE_COLUMNS = [getattr(Project, f"{s.value}_on") for s in STAGE_ORDER]


def _place(code: str | None) -> str:
    return ref.places()[code].name if code and code in ref.places() else ""


def _industry(code: str | None) -> str:
    found = ref.find_industry(code) if code else None
    return found.name if found else ""


def _investment(session: Session, month: Month) -> dict[int, tuple[int, int]]:
    done = case((InvestmentMonth.month <= month.month, InvestmentMonth.completed_fen), else_=0)
    stmt = (
        select(InvestmentMonth.project_id, func.sum(InvestmentMonth.planned_fen), func.sum(done))
        .where(InvestmentMonth.year == month.year)
        .group_by(InvestmentMonth.project_id)
    )
    return {pid: (int(p or 0), int(c or 0)) for pid, p, c in session.execute(stmt)}


def _lists(session: Session, month: Month) -> dict[int, list[str]]:
    """Each project's lists as of the month: a ceremony batch held after the month is left out."""
    later = select(Ceremony.name).where(Ceremony.held_on > month.last_day)
    stmt = select(ProjectListEntry.project_id, ProjectListEntry.list_name).where(
        ProjectListEntry.list_name.not_in(later)
    )
    out: dict[int, list[str]] = defaultdict(list)
    for pid, name in session.execute(stmt):
        out[pid].append(name)
    return out


def _rows_stmt(actor: Actor) -> Select[*tuple[Any, ...]]:
    return (
        select(
            Project.id,
            Project.code,
            Project.name,
            Project.district,
            Project.park,
            Project.industry,
            Project.stage,
            Project.agreed_investment_fen,
            Project.total_investment_fen,
            Project.leader_name,
            Project.investor_names,
            *_DATE_COLUMNS,
        )
        .where(perm.visible_to(actor))
        .order_by(Project.id)
    )


def _as_of_month(
    current: Stage, stage_dates: tuple[date | None, ...], month: Month
) -> tuple[Stage, dict[Stage, date]]:
    """The stage and stage dates as the month ended: later dates are left out."""
    end = month.last_day
    dates = {s: d for s, d in zip(STAGE_ORDER, stage_dates, strict=True) if d is not None and d <= end}
    stage = max(dates, key=lambda s: s.rank) if dates else current
    if current.rank < stage.rank:
        stage = current
    return stage, dates


def gather(session: Session, *, actor: Actor, month: Month, today: date | None = None) -> list[ReportProject]:
    """The bulletin's rows: every project in the actor's scope that belongs in the month's report."""
    require(actor, perm.REPORT)
    as_of = min(today or local_today(), month.last_day)
    lights = compute_all(session, today=as_of)
    money, lists = _investment(session, month), _lists(session, month)
    stmt = _rows_stmt(actor)
    rows = []
    for r in session.execute(stmt):
        stage, dates = _as_of_month(Stage(r.stage), cast(tuple[date | None, ...], tuple(r[11:])), month)
        if stage.rank < Stage.signed.rank and not lists.get(r.id):
            continue
        light, reasons = lights.get(r.id, (Light.green, ""))
        planned, completed = money.get(r.id, (0, 0))
        rows.append(
            ReportProject(
                r.code,
                r.name,
                _place(r.district),
                _place(r.park),
                _industry(r.industry),
                tuple(sorted(lists.get(r.id, []))),
                stage,
                dates,
                r.agreed_investment_fen,
                r.total_investment_fen,
                planned,
                completed,
                light,
                tuple(reasons.splitlines()) if light is Light.red else (),
                r.leader_name,
                r.investor_names,
            )
        )
    return rows


@dataclass(frozen=True)
class WrittenReport:
    xlsx: Path
    pdf: Path
    summary: ReportSummary
    projects: int


def write_report(
    session: Session, *, actor: Actor, month: Month, out_dir: Path, today: date | None = None
) -> WrittenReport:
    """Write ``督查专报-2026-10.xlsx`` and ``.pdf`` into ``out_dir``."""
    projects = gather(session, actor=actor, month=month, today=today)
    report = MonthlyReport(month=month, projects=projects, generated_on=today or local_today())
    summary = summarize(report)
    out_dir.mkdir(parents=True, exist_ok=True)
    xlsx, pdf = out_dir / f"督查专报-{month}.xlsx", out_dir / f"督查专报-{month}.pdf"
    write_xlsx(report, xlsx, summary)
    write_pdf(report, pdf, summary, xlsx_name=xlsx.name)
    return WrittenReport(xlsx, pdf, summary, len(projects))
