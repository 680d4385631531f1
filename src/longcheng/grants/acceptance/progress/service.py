"""Progress reports of 先建后补 projects: the schedule, the firm's report and files, the review.

A task's reports are scheduled when the task opens (``schedule``, called by ``open_task``) from
the programme's plan. The firm writes and submits a report (text plus attachments checked like
any upload: real type by the bytes, size, zip bomb); staff accept it or send it back with
reasons, and the firm is told through the notification centre. Every change is audited.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, NotFound
from longcheng.grants import permissions as perm
from longcheng.grants.acceptance.models import AcceptanceTask
from longcheng.grants.acceptance.progress.models import (
    DEFAULT_EVERY_MONTHS,
    DEFAULT_REMIND_DAYS,
    DEFAULT_REPORTS,
    FILE_MAX_MB,
    FILE_TYPES,
    ProgressFile,
    ProgressPlan,
    ProgressReport,
)
from longcheng.grants.acceptance.progress.schemas import PlanIn, ReportIn, ReviewIn
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import get
from longcheng.grants.attachments import service as attachments
from longcheng.grants.ledger.service import programme_by_code
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source

ENTITY = "grants_acceptance"
SPEC: dict[str, object] = {"types": FILE_TYPES, "max_mb": FILE_MAX_MB}


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, the month's last day where the month is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def plan_of(session: Session, programme_id: int) -> tuple[int, int, int]:
    """``(every_months, reports, remind_days)`` of a programme (quarterly × 4 when none is set)."""
    plan = session.scalar(select(ProgressPlan).where(ProgressPlan.programme_id == programme_id))
    if plan is None:
        return DEFAULT_EVERY_MONTHS, DEFAULT_REPORTS, DEFAULT_REMIND_DAYS
    return plan.every_months, plan.reports, plan.remind_days


def set_plan(session: Session, *, actor: Actor, programme_code: str, data: PlanIn) -> ProgressPlan:
    """Set how often the programme's funded firms report; tasks opened later follow it."""
    require(actor, perm.PROGRAMME_MANAGE)
    programme = programme_by_code(session, programme_code)
    plan = session.scalar(select(ProgressPlan).where(ProgressPlan.programme_id == programme.id))
    before = plan_of(session, programme.id)
    if plan is None:
        plan = ProgressPlan(programme_id=programme.id)
        session.add(plan)
    plan.every_months, plan.reports, plan.remind_days = data.every_months, data.reports, data.remind_days
    plan.updated_by, plan.updated_at = actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.progress.plan",
        entity_type="grants_programme",
        entity_id=programme.code,
        before={"进度报告": _plan_text(*before)},
        after={"进度报告": _plan_text(data.every_months, data.reports, data.remind_days)},
    )
    return plan


def _plan_text(every: int, reports: int, remind: int) -> str:
    return f"每 {every} 个月一次，共 {reports} 期，到期前 {remind} 个工作日提醒"


def schedule(session: Session, *, actor: Actor, app: Application, task: AcceptanceTask) -> list[date]:
    """Create the task's reports, due every N months from today; returns the due dates."""
    every, count, _ = plan_of(session, app.programme_id)
    start = local_today()
    dues = [add_months(start, every * i) for i in range(1, count + 1)]
    session.add_all(ProgressReport(task_id=task.id, seq=i, due_on=d) for i, d in enumerate(dues, 1))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.progress.schedule",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"报告期数": count, "首次报告期限": dues[0].isoformat(), "末次报告期限": dues[-1].isoformat()},
    )
    return dues


def reports_of(session: Session, task_id: int) -> list[ProgressReport]:
    stmt = select(ProgressReport).where(ProgressReport.task_id == task_id).order_by(ProgressReport.seq)
    return list(session.scalars(stmt))


def files_of(session: Session, report_id: int) -> list[ProgressFile]:
    return attachments.attachments_of(session, ProgressFile, ProgressFile.report_id, report_id)


def report_of(
    session: Session, *, actor: Actor, number: str, seq: int, lock: bool = False
) -> tuple[Application, ProgressReport]:
    """The application (visible to the actor) and its report number ``seq``."""
    app = get(session, actor=actor, number=number, lock=lock)
    stmt = (
        select(ProgressReport)
        .join(AcceptanceTask, AcceptanceTask.id == ProgressReport.task_id)
        .where(AcceptanceTask.application_id == app.id, ProgressReport.seq == seq)
    )
    if lock:
        stmt = stmt.with_for_update()
    report = session.scalar(stmt)
    if report is None:
        raise NotFound("未找到该期进度报告。", code="grants.progress_not_found")
    return app, report


def _editable(report: ProgressReport) -> None:
    if report.state not in ("due", "returned"):
        raise Conflict(f"该期进度报告{report.state_label}，不能再修改。", code="grants.progress_locked")


def upload(
    session: Session, *, actor: Actor, number: str, seq: int, name: str, data: bytes, root: Path
) -> ProgressFile:
    """Keep one attachment of a report not yet submitted (or sent back)."""
    require(actor, perm.APPLY)
    app, report = report_of(session, actor=actor, number=number, seq=seq)
    _editable(report)
    owned = ProgressFile(report_id=report.id)
    row = attachments.attach(session, owned, actor=actor, name=name, data=data, root=root, spec=SPEC)
    audit.record(
        session,
        actor=actor,
        action="grants.progress.upload",
        entity_type=ENTITY,
        entity_id=app.number,
        after={"报告期次": f"第 {seq} 期", "文件": attachments.described(row)},
    )
    return row


def submit(session: Session, *, actor: Actor, number: str, seq: int, data: ReportIn) -> ProgressReport:
    """The firm submits (or resubmits after a return) the report's text."""
    require(actor, perm.APPLY)
    app, report = report_of(session, actor=actor, number=number, seq=seq, lock=True)
    _editable(report)
    before = report.state_label
    report.body, report.state = data.body.strip(), "submitted"
    report.submitted_at, report.submitted_by = utcnow(), actor.label
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.progress.submit",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"报告期次": f"第 {seq} 期", "状态": before},
        after={"状态": report.state_label, "附件数": len(files_of(session, report.id))},
    )
    return report


def review(session: Session, *, actor: Actor, number: str, seq: int, data: ReviewIn) -> ProgressReport:
    """Staff accept the report or send it back with reasons (the firm is told either way)."""
    require(actor, perm.PROGRESS_REVIEW)
    app, report = report_of(session, actor=actor, number=number, seq=seq, lock=True)
    if report.state != "submitted":
        raise Conflict(f"该期进度报告{report.state_label}，不能审核。", code="grants.progress_not_submitted")
    before = report.state_label
    report.state = "accepted" if data.decision == "accept" else "returned"
    report.review_note, report.reviewed_by, report.reviewed_at = data.note.strip(), actor.label, utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.progress.review",
        entity_type=ENTITY,
        entity_id=app.number,
        before={"报告期次": f"第 {seq} 期", "状态": before},
        after={"状态": report.state_label, "审核意见": report.review_note},
    )
    verdict = "已通过审核" if report.state == "accepted" else "被退回修改"
    notifications.notify(
        session,
        actor=actor,
        recipients=Recipients(uscc=app.applicant_uscc),
        kind=f"grants.progress.{report.state}",
        title=f"{app.number} 第 {seq} 期进度报告{verdict}",
        body=report.review_note or "审核通过。",
        link=f"/grants/acceptance/{app.number}/progress/{seq}",
        source=Source("grants", ENTITY, app.number),
    )
    return report
