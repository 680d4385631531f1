"""Status lights of one project through the database, and the thresholds they are judged by.

Thresholds live in one row of ``projects_light_settings``; until an officer saves them, the
packaged YAML defaults apply (editing them and the all-projects recompute are in
:mod:`.recompute`). A project's light is recomputed after every change to it
(:func:`refresh_light`). Lights are derived data, written without bumping a project's
``version``, so an officer editing the project meanwhile is not refused.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from longcheng.core.clock import local_today
from longcheng.core.workdays import WorkdayCalendar, default_calendar
from longcheng.projects.models import InvestmentMonth, LightSettings, PlanNode, Project
from longcheng.projects.schedule.lights import (
    LightThresholds,
    NodeStatus,
    ProjectLight,
    Signal,
    SupervisionOrder,
    load_thresholds,
    project_light,
    schedule_signal,
)
from longcheng.projects.schedule.progress import Month, schedule_progress
from longcheng.projects.supervision.models import SupervisionOrder as OrderRow

SETTINGS_ID = 1


def calendar() -> WorkdayCalendar:
    """The working-day calendar; plans reach past the last published holiday notice."""
    return default_calendar(allow_uncovered=True)


def get_thresholds(session: Session) -> LightThresholds:
    row = session.get(LightSettings, SETTINGS_ID)
    if row is None:
        return load_thresholds()
    return LightThresholds(
        row.node_yellow_within_working_days,
        row.node_red_after_overdue_working_days,
        row.order_yellow_within_working_days,
        row.order_late_reply_red_working_days,
        Decimal(row.schedule_yellow_below_pct_x10) / 10,
        Decimal(row.schedule_red_below_pct_x10) / 10,
    )


def thresholds_version(session: Session) -> int | None:
    row = session.get(LightSettings, SETTINGS_ID)
    return row.version if row is not None else None


def threshold_view(t: LightThresholds) -> dict[str, Any]:
    return {
        "node_yellow_within_working_days": t.node_yellow_within_working_days,
        "node_red_after_overdue_working_days": t.node_red_after_overdue_working_days,
        "order_yellow_within_working_days": t.order_yellow_within_working_days,
        "order_late_reply_red_working_days": t.order_late_reply_red_working_days,
        "schedule_yellow_below_pct": str(t.schedule_yellow_below_pct),
        "schedule_red_below_pct": str(t.schedule_red_below_pct),
    }


def progress_month(today: date) -> Month:
    """序时进度 is judged on the last reported month: the month before ``today``'s."""
    return Month.of(today).shift(-1)


def schedule_extra(
    session: Session, project_id: int, today: date, thresholds: LightThresholds
) -> list[Signal]:
    as_of = progress_month(today)
    rows = session.execute(
        select(InvestmentMonth.month, InvestmentMonth.planned_fen, InvestmentMonth.completed_fen).where(
            InvestmentMonth.project_id == project_id, InvestmentMonth.year == as_of.year
        )
    ).all()
    if not rows:
        return []
    planned = {Month(as_of.year, m): p for m, p, _ in rows}
    completed = {Month(as_of.year, m): c for m, _, c in rows}
    return [schedule_signal(schedule_progress(as_of, completed, planned_by_month=planned), thresholds)]


def evaluate(session: Session, project: Project, *, today: date | None = None) -> ProjectLight:
    """The light of one project on ``today`` with every reason, from its nodes, orders and 序时进度."""
    today = today or local_today()
    thresholds, cal = get_thresholds(session), calendar()
    nodes = [
        NodeStatus(n.code, n.name, n.planned, n.done_on)
        for n in session.scalars(
            select(PlanNode).where(PlanNode.project_id == project.id).order_by(PlanNode.seq)
        )
    ]
    orders = [
        SupervisionOrder(o.number, o.reply_due, o.replied_on, o.subject)
        for o in session.scalars(select(OrderRow).where(OrderRow.project_id == project.id))
    ]
    extra = schedule_extra(session, project.id, today, thresholds)
    return project_light(nodes, orders, today, thresholds, cal, extra=extra)


def refresh_light(session: Session, project: Project, *, today: date | None = None) -> ProjectLight:
    """Recompute and store one project's light (no version bump)."""
    today = today or local_today()
    result = evaluate(session, project, today=today)
    reasons = "\n".join(result.reasons)
    if project.light != result.light.value or project.light_reasons != reasons:
        session.execute(
            update(Project)
            .where(Project.id == project.id)
            .values(light=result.light.value, light_reasons=reasons, light_on=today)
            .execution_options(synchronize_session=False)
        )
        for key, value in (("light", result.light.value), ("light_reasons", reasons), ("light_on", today)):
            set_committed_value(project, key, value)
    return result
