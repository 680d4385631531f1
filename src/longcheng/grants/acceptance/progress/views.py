"""Rows of the progress-report list: the report with its application's number, firm, programme."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.paging import Page, clamp
from longcheng.grants import permissions as perm
from longcheng.grants.acceptance.models import AcceptanceTask
from longcheng.grants.acceptance.progress.models import ProgressReport
from longcheng.grants.acceptance.progress.schemas import ProgressFilter
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import visible_to
from longcheng.grants.programmes.models import Programme


@dataclass(frozen=True)
class ReportRow:
    number: str
    applicant_name: str
    programme: str
    seq: int
    due_on: date
    state: str
    state_label: str
    overdue: bool
    submitted_by: str
    reviewed_by: str


def _conditions(actor: Actor, f: ProgressFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [visible_to(actor)]
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(or_(Application.number.ilike(like), Application.applicant_name.ilike(like)))
    if f.state:
        conds.append(ProgressReport.state == f.state)
    if f.programme:
        conds.append(Programme.code == f.programme.strip())
    if f.overdue:
        conds.append(ProgressReport.state.in_(("due", "returned")))
        conds.append(ProgressReport.due_on < local_today())
    return conds


def _joined(
    stmt: Select[ProgressReport, Application, str],
) -> Select[ProgressReport, Application, str]:
    return (
        stmt.join(AcceptanceTask, AcceptanceTask.id == ProgressReport.task_id)
        .join(Application, Application.id == AcceptanceTask.application_id)
        .join(Programme, Programme.id == Application.programme_id)
    )


def _row(report: ProgressReport, app: Application, programme: str, today: date) -> ReportRow:
    return ReportRow(
        app.number,
        app.applicant_name,
        programme,
        report.seq,
        report.due_on,
        report.state,
        report.state_label,
        report.state in ("due", "returned") and report.due_on < today,
        report.submitted_by,
        report.reviewed_by,
    )


def _query(actor: Actor, f: ProgressFilter) -> Select[ProgressReport, Application, str]:
    stmt = _joined(select(ProgressReport, Application, Programme.name))
    return stmt.where(*_conditions(actor, f)).order_by(ProgressReport.due_on, ProgressReport.id)


def list_reports(
    session: Session, *, actor: Actor, filters: ProgressFilter, page: int = 1, page_size: int = 20
) -> Page[ReportRow]:
    require(actor, perm.APP_READ)
    count = (
        select(func.count(ProgressReport.id))
        .join(AcceptanceTask, AcceptanceTask.id == ProgressReport.task_id)
        .join(Application, Application.id == AcceptanceTask.application_id)
        .join(Programme, Programme.id == Application.programme_id)
        .where(*_conditions(actor, filters))
    )
    page, page_size = clamp(page, page_size)
    total = int(session.scalar(count) or 0)
    today = local_today()
    stmt = _query(actor, filters).offset((page - 1) * page_size).limit(page_size)
    return Page([_row(r, a, p, today) for r, a, p in session.execute(stmt)], total, page, page_size)


def iter_reports(
    session: Session, *, actor: Actor, filters: ProgressFilter, limit: int
) -> Iterator[ReportRow]:
    """The filtered reports for export (the right is checked now, not when the rows are read)."""
    require(actor, perm.APP_READ)
    today = local_today()
    rows = session.execute(_query(actor, filters).limit(limit))
    return (_row(r, a, p, today) for r, a, p in rows)
