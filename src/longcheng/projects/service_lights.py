"""Status lights through the database: thresholds officers edit, one project, or all at once.

Thresholds live in one row of ``projects_light_settings``; until an officer saves them, the
packaged YAML defaults apply. A project's light is recomputed after every change to it
(:func:`refresh_light`) and for every project by :func:`recompute_all` (nightly, and whenever
thresholds change): the vectorised engine decides the colours, and reasons are written only
for the signals that make a project yellow or red. Lights are derived data, written without
bumping a project's ``version``, so an officer editing the project meanwhile is not refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

import numpy as np
from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, PermissionDenied
from longcheng.core.workdays import WorkdayCalendar, default_calendar
from longcheng.projects import permissions as perm
from longcheng.projects.lights import (
    LIGHTS_BY_SEVERITY,
    Light,
    LightThresholds,
    NodeArrays,
    NodeStatus,
    OrderArrays,
    ProjectLight,
    Signal,
    SupervisionOrder,
    lights_batch,
    load_thresholds,
    node_light,
    order_light,
    project_light,
    schedule_signal,
)
from longcheng.projects.models import InvestmentMonth, LightSettings, PlanNode, Project
from longcheng.projects.models import SupervisionOrder as OrderRow
from longcheng.projects.plans import Month, schedule_progress
from longcheng.projects.schemas import ThresholdsIn

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


def update_thresholds(
    session: Session, *, actor: Actor, data: ThresholdsIn, reason: str = ""
) -> LightThresholds:
    """Save new thresholds (audited), then recompute every project's light with them."""
    if not perm.can_edit_thresholds(actor):
        raise PermissionDenied(
            "只有管理员和市级工作人员可以修改预警阈值。", code="projects.thresholds_forbidden"
        )
    before = threshold_view(get_thresholds(session))
    row = session.get(LightSettings, SETTINGS_ID)
    current = row.version if row is not None else None
    if data.version is not None and current is not None and data.version != current:
        raise Conflict("预警阈值已被他人修改，请刷新页面后再保存。", code="projects.stale_thresholds")
    if row is None:
        row = LightSettings(id=SETTINGS_ID)
        session.add(row)
    for name in (
        "node_yellow_within_working_days",
        "node_red_after_overdue_working_days",
        "order_yellow_within_working_days",
        "order_late_reply_red_working_days",
    ):
        setattr(row, name, getattr(data, name))
    row.schedule_yellow_below_pct_x10 = int(data.schedule_yellow_below_pct * 10)
    row.schedule_red_below_pct_x10 = int(data.schedule_red_below_pct * 10)
    row.updated_at, row.updated_by = utcnow(), actor.label
    try:
        session.flush()
    except StaleDataError:
        raise Conflict(
            "预警阈值已被他人修改，请刷新页面后再保存。", code="projects.stale_thresholds"
        ) from None
    after = get_thresholds(session)
    audit.record(
        session,
        actor=actor,
        action="projects.thresholds.update",
        entity_type="projects",
        entity_id="light_thresholds",
        before=before,
        after=threshold_view(after),
        reason=reason,
    )
    recompute_all(session, actor=actor)
    return after


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


@dataclass(frozen=True)
class Recompute:
    """What :func:`recompute_all` did."""

    projects: int
    changed: int
    counts: dict[Light, int]
    today: date


def _days(values: list[Any]) -> np.ndarray[Any, np.dtype[np.datetime64]]:
    return np.array(values, dtype="datetime64[D]") if values else np.empty(0, dtype="datetime64[D]")


def _schedule_rows(session: Session, today: date) -> list[tuple[int, int, int]]:
    as_of = progress_month(today)
    upto = case((InvestmentMonth.month <= as_of.month, InvestmentMonth.planned_fen), else_=0)
    done = case((InvestmentMonth.month <= as_of.month, InvestmentMonth.completed_fen), else_=0)
    stmt = (
        select(InvestmentMonth.project_id, func.sum(upto), func.sum(done))
        .where(InvestmentMonth.year == as_of.year)
        .group_by(InvestmentMonth.project_id)
    )
    return [(int(p), int(a or 0), int(b or 0)) for p, a, b in session.execute(stmt)]


def compute_all(session: Session, *, today: date) -> dict[int, tuple[Light, str]]:
    """Lights and reasons of every project on ``today``, without storing them."""
    thresholds, cal = get_thresholds(session), calendar()
    ids = np.array(sorted(session.scalars(select(Project.id))), dtype=np.int64)
    if not ids.size:
        return {}
    nodes, orders = _load_nodes(session, ids), _load_orders(session, ids)
    extra, sched_reasons = _schedule_severity(session, ids, today, thresholds)
    batch = lights_batch(nodes.arrays, ids.size, today, thresholds, cal, orders=orders.arrays, extra=extra)
    worst = batch.project
    reasons: dict[int, list[str]] = defaultdict(list)
    for k in np.nonzero((batch.node > 0) & (batch.node == worst[nodes.arrays.project]))[0].tolist():
        node = NodeStatus(nodes.codes[k], nodes.names[k], nodes.planned[k])
        reasons[int(nodes.arrays.project[k])].append(node_light(node, today, thresholds, cal).reason or "")
    for k, (number, subject) in enumerate(orders.labels):
        pos = int(orders.arrays.project[k])
        if worst[pos] == 0:
            continue
        signal = order_light(
            SupervisionOrder(number, orders.due[k], orders.replied[k], subject), today, thresholds, cal
        )
        if signal.light.severity == worst[pos] and signal.reason:
            reasons[pos].append(signal.reason)
    for pos, (severity, reason) in sched_reasons.items():
        if severity == worst[pos]:
            reasons[pos].append(reason)
    return {
        pid: (LIGHTS_BY_SEVERITY[int(worst[i])], "\n".join(reasons.get(i, [])))
        for i, pid in enumerate(ids.tolist())
    }


@dataclass
class _Loaded:
    arrays: Any
    codes: list[str]
    names: list[str]
    planned: list[date]
    labels: list[tuple[str, str]]
    due: list[date]
    replied: list[date | None]


def _load_nodes(session: Session, ids: np.ndarray[Any, np.dtype[np.int64]]) -> _Loaded:
    t = PlanNode.__table__
    rows = session.execute(select(t.c.project_id, t.c.planned, t.c.done_on, t.c.code, t.c.name)).all()
    planned = [r[1] for r in rows]
    arrays = NodeArrays(
        np.searchsorted(ids, np.array([r[0] for r in rows], dtype=np.int64)),
        _days(planned),
        np.array([r[2] is not None for r in rows], dtype=bool),
    )
    return _Loaded(arrays, [r[3] for r in rows], [r[4] for r in rows], planned, [], [], [])


def _load_orders(session: Session, ids: np.ndarray[Any, np.dtype[np.int64]]) -> _Loaded:
    t = OrderRow.__table__
    rows = session.execute(
        select(t.c.project_id, t.c.reply_due, t.c.replied_on, t.c.number, t.c.subject)
    ).all()
    replied = np.array([r[2] if r[2] is not None else "NaT" for r in rows], dtype="datetime64[D]")
    arrays = OrderArrays(
        np.searchsorted(ids, np.array([r[0] for r in rows], dtype=np.int64)),
        _days([r[1] for r in rows]),
        replied,
    )
    return _Loaded(
        arrays, [], [], [], [(r[3], r[4]) for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    )


def _schedule_severity(
    session: Session, ids: np.ndarray[Any, np.dtype[np.int64]], today: date, thresholds: LightThresholds
) -> tuple[np.ndarray[Any, np.dtype[np.int8]], dict[int, tuple[int, str]]]:
    extra = np.zeros(ids.size, dtype=np.int8)
    reasons: dict[int, tuple[int, str]] = {}
    as_of = progress_month(today)
    for pid, planned, completed in _schedule_rows(session, today):
        pos = int(np.searchsorted(ids, pid))
        if pos >= ids.size or ids[pos] != pid or planned <= 0:
            continue
        pct = (Decimal(completed) * 100 / planned).quantize(Decimal("0.1"))
        if pct < thresholds.schedule_yellow_below_pct:
            severity = 2 if pct < thresholds.schedule_red_below_pct else 1
            bound = (
                thresholds.schedule_red_below_pct if severity == 2 else thresholds.schedule_yellow_below_pct
            )
            extra[pos] = severity
            reasons[pos] = (severity, f"截至{as_of.label}投资完成序时计划的{pct}%（低于{bound}%）")
    return extra, reasons


def recompute_all(session: Session, *, actor: Actor, today: date | None = None) -> Recompute:
    """Recompute every project's light, store the changed ones, and audit the run once."""
    today = today or local_today()
    computed = compute_all(session, today=today)
    stored = {
        pid: (light, reasons)
        for pid, light, reasons in session.execute(select(Project.id, Project.light, Project.light_reasons))
    }
    changed = [
        {"pid": pid, "light": light.value, "reasons": reasons, "on": today}
        for pid, (light, reasons) in computed.items()
        if stored.get(pid) != (light.value, reasons)
    ]
    if changed:
        t = cast(Table, Project.__table__)
        stmt = (
            update(t)
            .where(t.c.id == bindparam("pid"))
            .values(light=bindparam("light"), light_reasons=bindparam("reasons"), light_on=bindparam("on"))
        )
        session.connection().execute(stmt, changed)
        session.expire_all()
    counts = dict.fromkeys(Light, 0)
    for light, _ in computed.values():
        counts[light] += 1
    audit.record(
        session,
        actor=actor,
        action="projects.lights.recompute",
        entity_type="projects",
        entity_id="lights",
        after={
            "today": today,
            "projects": len(computed),
            "changed": len(changed),
            **{f"{k.value}": v for k, v in counts.items()},
        },
    )
    return Recompute(len(computed), len(changed), counts, today)
