"""Job kind ``grants.progress_reminders``: the daily reminder of progress reports.

Scheduled on working days (``platform/data/schedules.yaml``). A report not yet submitted (or
sent back) whose due date is within the programme's ``remind_days`` working days reaches the
firm once; once overdue it reaches the firm and the district's officers once more (idempotent
by report and state through the notification centre's ``dedupe_key``). ``today`` may be passed
as a parameter (ISO date); by default it is today in Beijing time.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Role
from longcheng.core.clock import local_today
from longcheng.core.workdays import default_calendar
from longcheng.grants.acceptance.models import AcceptanceTask
from longcheng.grants.acceptance.progress.models import ProgressReport
from longcheng.grants.acceptance.progress.service import plan_of
from longcheng.grants.applications.models import Application
from longcheng.platform.jobs import kinds
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source

PROGRESS_REMINDERS = "grants.progress_reminders"


def due_state(report: ProgressReport, today: date, remind_days: int) -> str | None:
    """``overdue``, ``due_soon`` (within ``remind_days`` working days) or None."""
    if report.state not in ("due", "returned"):
        return None
    if report.due_on < today:
        return "overdue"
    calendar = default_calendar(allow_uncovered=True)
    return "due_soon" if calendar.working_days_between(today, report.due_on) <= remind_days else None


def remind(session: Session, *, today: date) -> int:
    """Notify for every report due soon or overdue; returns the messages written."""
    stmt = (
        select(ProgressReport, Application)
        .join(AcceptanceTask, AcceptanceTask.id == ProgressReport.task_id)
        .join(Application, Application.id == AcceptanceTask.application_id)
        .where(ProgressReport.state.in_(("due", "returned")), AcceptanceTask.state != "failed")
        .order_by(ProgressReport.due_on, ProgressReport.id)
    )
    plans: dict[int, int] = {}
    written = 0
    for report, app in session.execute(stmt):
        if app.programme_id not in plans:
            plans[app.programme_id] = plan_of(session, app.programme_id)[2]
        state = due_state(report, today, plans[app.programme_id])
        if state is not None:
            written += _notify(session, report, app, state)
    return written


def _notify(session: Session, report: ProgressReport, app: Application, state: str) -> int:
    due = report.due_on.isoformat()
    if state == "overdue":
        title = f"{app.number} 第 {report.seq} 期进度报告已逾期（应于 {due} 前提交）"
        recipients = Recipients(uscc=app.applicant_uscc, role=Role.officer, district=app.district)
    else:
        title = f"{app.number} 第 {report.seq} 期进度报告将于 {due} 到期"
        recipients = Recipients(uscc=app.applicant_uscc)
    rows = notifications.notify(
        session,
        actor=WORKER,
        recipients=recipients,
        kind=f"grants.progress.{state}",
        title=title,
        body=f"{app.applicant_name}：请登录系统填写并提交先建后补项目进度报告。",
        link=f"/grants/acceptance/{app.number}/progress/{report.seq}",
        source=Source("grants", "grants_acceptance", app.number),
        dedupe_key=f"grants.progress:{report.id}:{state}",
    )
    return len(rows)


def progress_reminders(ctx: kinds.JobContext) -> None:
    raw = ctx.params.get("today")
    today = date.fromisoformat(str(raw)) if raw else local_today()
    with ctx.unit_of_work() as session:
        written = remind(session, today=today)
    ctx.progress(100, f"已发送 {written} 条进度报告提醒")


def register_kinds() -> None:
    kinds.register(PROGRESS_REMINDERS, progress_reminders, label="先建后补进度报告提醒")
