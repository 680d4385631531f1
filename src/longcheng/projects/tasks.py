"""Job kinds of 重大项目.

* ``projects.lights`` — the nightly status-light recompute (as ``longcheng projects lights``).
* ``projects.order_reminders`` — tells the responsible users of every unanswered 督办单 (the
  officer who issued it and the officers of the project's district, and city-wide ones) once when
  the reply is due within one working day and once when it is overdue (idempotent by order and
  state). ``today`` may be passed as a parameter (ISO date); by default it is today in Beijing time.
* ``projects.report`` — the month's 督查专报 started from the web: XLSX and PDF gathered as the
  starting user may see them, kept as one ZIP result; it writes nothing else, so a retry is safe.
* ``projects.import`` — the web upload of projects, through :mod:`longcheng.platform.jobs.imports`.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.clock import local_today
from longcheng.core.workdays import default_calendar
from longcheng.platform.jobs import exports, imports, kinds
from longcheng.platform.jobs import service as job_service
from longcheng.platform.jobs.service import WORKER
from longcheng.platform.notifications import service as notifications
from longcheng.platform.notifications.schemas import Recipients, Source
from longcheng.projects import importer
from longcheng.projects.models import Project
from longcheng.projects.report.service import write_report
from longcheng.projects.schedule.progress import Month
from longcheng.projects.schemas import ProjectFilter
from longcheng.projects.service import query
from longcheng.projects.service.recompute import recompute_all
from longcheng.projects.supervision.models import SupervisionOrder

LIGHTS = "projects.lights"
ORDER_REMINDERS = "projects.order_reminders"


def _today(params: dict[str, object]) -> date:
    raw = params.get("today")
    return date.fromisoformat(str(raw)) if raw else local_today()


def lights(ctx: kinds.JobContext) -> None:
    """Recompute every project's status light (the same as ``longcheng projects lights``)."""
    with ctx.unit_of_work() as session:
        result = recompute_all(session, actor=WORKER, today=_today(ctx.params))
    ctx.progress(100, f"已重算 {result.projects} 个项目的状态灯，{result.changed} 个有变化")


def due_state(order: SupervisionOrder, today: date) -> str | None:
    """``overdue``, ``due_soon`` (due within one working day) or None for an unanswered order."""
    if order.replied_on is not None:
        return None
    if order.reply_due < today:
        return "overdue"
    calendar = default_calendar(allow_uncovered=True)
    return "due_soon" if calendar.working_days_between(today, order.reply_due) <= 1 else None


def remind_orders(session: Session, *, today: date) -> int:
    """Notify the responsible users of every due or overdue order; returns the messages written."""
    stmt = (
        select(SupervisionOrder, Project)
        .join(Project, Project.id == SupervisionOrder.project_id)
        .where(SupervisionOrder.replied_on.is_(None))
        .order_by(SupervisionOrder.id)
    )
    written = 0
    for order, project in session.execute(stmt):
        state = due_state(order, today)
        if state is None:
            continue
        if state == "overdue":
            title = f"督办单 {order.number} 已逾期未答复：{project.name}"
        else:
            title = f"督办单 {order.number} 将于 {order.reply_due.isoformat()} 到期：{project.name}"
        ids = (order.issued_by_id,) if order.issued_by_id is not None else ()
        written += len(
            notifications.notify(
                session,
                actor=WORKER,
                recipients=Recipients(user_ids=ids, role=Role.officer, district=project.district),
                kind=f"projects.order.{state}",
                title=title,
                body=f"督办事项：{order.subject}。答复期限：{order.reply_due.isoformat()}。",
                link=f"/projects/{project.code}",
                source=Source("projects", "projects_supervision_order", str(order.id)),
                dedupe_key=f"projects.order:{order.id}:{state}",
            )
        )
    return written


def order_reminders(ctx: kinds.JobContext) -> None:
    with ctx.unit_of_work() as session:
        written = remind_orders(session, today=_today(ctx.params))
    ctx.progress(100, f"已发送 {written} 条督办提醒")


REPORT = "projects.report"
IMPORT = "projects.import"
EXPORT = "projects.export"


def report(ctx: kinds.JobContext) -> None:
    """Write the month's 督查专报 (XLSX and PDF) and keep them as the job's result."""
    month = Month.parse(str(ctx.params.get("month", "")))
    ctx.progress(5, f"汇总{month.label}项目数据")
    with tempfile.TemporaryDirectory() as tmp, ctx.unit_of_work() as session:
        actor = job_service.actor_of(session, ctx.started_by)
        written = write_report(session, actor=actor, month=month, out_dir=Path(tmp))
        data = _zipped([written.xlsx, written.pdf])
    ctx.progress(95, f"已生成：{written.projects} 个项目")
    ctx.store_result(data, f"督查专报-{month}.zip")


def _zipped(files: list[Path]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            archive.write(path, arcname=path.name)
    return buffer.getvalue()


def import_projects(ctx: kinds.JobContext) -> None:
    imports.run_import_job(ctx, importer.run_import, summary=_import_summary)


def _import_summary(report: importer.ImportReport) -> str:
    codes = "、".join(report.codes[:50])
    return f"导入成功：共 {report.rows} 行，新建 {report.created} 个项目。\n项目编号：{codes}"


def export_projects(ctx: kinds.JobContext) -> None:
    exports.run_export_job(ctx, _projects_workbook, filename="projects.xlsx")


def _projects_workbook(session: Session, actor: Actor, params: dict[str, Any]) -> bytes:
    filters = ProjectFilter.model_validate(params.get("filters") or {})
    rows = query.iter_export(session, actor=actor, filters=filters, limit=int(params["limit"]))
    return importer.export_xlsx(rows)


def register_kinds() -> None:
    kinds.register(LIGHTS, lights, label="夜间刷新项目状态灯")
    kinds.register(ORDER_REMINDERS, order_reminders, label="督办答复到期提醒")
    kinds.register(REPORT, report, label="月度督查专报")
    kinds.register(IMPORT, import_projects, label="项目批量导入")
    kinds.register(EXPORT, export_projects, label="项目导出")
