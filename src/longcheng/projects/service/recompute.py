"""Every project's light at once, and the thresholds officers edit (which trigger that recompute).

:func:`recompute_all` runs nightly (``longcheng projects lights``) and whenever thresholds change.
It reads plan nodes as plain integers (days since 1970, computed by the database), lets the
vectorised engine (:func:`longcheng.projects.schedule.lights.lights_batch`) decide every colour, then
writes reasons only for the signals that make a project yellow or red, with the same wording as
the project page (:func:`longcheng.projects.schedule.lights.node_light`), and stores only the rows whose
light or reasons changed. One audit record tells how many projects were recomputed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

import numpy as np
import numpy.typing as npt
from sqlalchemy import Table, bindparam, case, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, PermissionDenied
from longcheng.core.workdays import WorkdayCalendar
from longcheng.projects import permissions as perm
from longcheng.projects.models import InvestmentMonth, LightSettings, PlanNode, Project
from longcheng.projects.schedule.lights import (
    LIGHTS_BY_SEVERITY,
    Light,
    LightThresholds,
    NodeArrays,
    OrderArrays,
    SupervisionOrder,
    lights_batch,
    order_light,
    overdue_text,
)
from longcheng.projects.schemas import ThresholdsIn
from longcheng.projects.service.lights import (
    SETTINGS_ID,
    calendar,
    get_thresholds,
    progress_month,
    threshold_view,
)
from longcheng.projects.supervision.models import SupervisionOrder as OrderRow

IntArray = npt.NDArray[np.int64]
_NODES_SQL = {
    "sqlite": "SELECT id, project_id, CAST(julianday(planned) - 2440587.5 AS INTEGER), done_on IS NULL "
    "FROM projects_plan_node",
    "postgresql": "SELECT id, project_id, planned - DATE '1970-01-01', done_on IS NULL "
    "FROM projects_plan_node",
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
    stale = Conflict("预警阈值已被他人修改，请刷新页面后再保存。", code="projects.stale_thresholds")
    if data.version is not None and row is not None and data.version != row.version:
        raise stale
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
        raise stale from None
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


@dataclass(frozen=True)
class Recompute:
    """What :func:`recompute_all` did."""

    projects: int
    changed: int
    counts: dict[Light, int]
    today: date


@dataclass(frozen=True)
class _Nodes:
    ids: IntArray
    arrays: NodeArrays


def _load_nodes(session: Session, ids: IntArray) -> _Nodes:
    """Every plan node as integers: node id, project position, planned day, open flag."""
    dialect = session.get_bind().dialect.name
    cursor = session.connection().connection.cursor()  # plain tuples: no Row objects for numpy to probe
    try:
        cursor.execute(_NODES_SQL.get(dialect, _NODES_SQL["postgresql"]))
        rows = cursor.fetchall()
    finally:
        cursor.close()
    table = np.array(rows, dtype=np.int64).reshape(-1, 4)
    arrays = NodeArrays(
        np.searchsorted(ids, table[:, 1]), table[:, 2].astype("datetime64[D]"), table[:, 3] == 0
    )
    return _Nodes(table[:, 0], arrays)


def _node_reasons(
    session: Session, nodes: _Nodes, picked: IntArray, today: date, cal: WorkdayCalendar
) -> list[str]:
    """The reasons of the picked nodes, worded as :func:`lights.node_light` words them."""
    node_ids = nodes.ids[picked]
    names: dict[int, str] = {}
    for start in range(0, node_ids.size, 5000):
        chunk = node_ids[start : start + 5000].tolist()
        stmt = select(PlanNode.id, PlanNode.name).where(PlanNode.id.in_(chunk))
        for node_id, name in session.execute(stmt):
            names[node_id] = name
    planned = nodes.arrays.planned[picked]
    today64 = np.full(planned.shape, np.datetime64(today, "D"))
    overdue = cal.working_days_between_array(planned, today64).tolist()
    left = cal.working_days_between_array(today64, planned).tolist()
    out = []
    for k, node_id in enumerate(node_ids.tolist()):
        day = planned[k].astype(date)
        due = f"“{names[node_id]}”计划于{day.isoformat()}完成"
        if today > day:
            out.append(f"{due}，{overdue_text(day, today, overdue[k])}")
        else:
            out.append(f"{due}，剩余{left[k]}个工作日" if left[k] else f"{due}，今日到期")
    return out


def _load_orders(session: Session, ids: IntArray) -> tuple[OrderArrays, list[SupervisionOrder]]:
    t = cast(Table, OrderRow.__table__)
    rows = session.execute(
        select(t.c.project_id, t.c.reply_due, t.c.replied_on, t.c.number, t.c.subject)
    ).all()
    orders = [SupervisionOrder(r[3], r[1], r[2], r[4]) for r in rows]
    arrays = OrderArrays(
        np.searchsorted(ids, np.array([r[0] for r in rows], dtype=np.int64)),
        np.array([o.reply_due for o in orders], dtype="datetime64[D]").reshape(-1),
        np.array([o.replied if o.replied else "NaT" for o in orders], dtype="datetime64[D]").reshape(-1),
    )
    return arrays, orders


def _schedule_severity(
    session: Session, ids: IntArray, today: date, thresholds: LightThresholds
) -> tuple[npt.NDArray[np.int8], dict[int, tuple[int, str]]]:
    """序时进度 per project: the share of planned-to-date investment done by the last reported month."""
    as_of = progress_month(today)
    upto = case((InvestmentMonth.month <= as_of.month, InvestmentMonth.planned_fen), else_=0)
    done = case((InvestmentMonth.month <= as_of.month, InvestmentMonth.completed_fen), else_=0)
    stmt = (
        select(InvestmentMonth.project_id, func.sum(upto), func.sum(done))
        .where(InvestmentMonth.year == as_of.year)
        .group_by(InvestmentMonth.project_id)
    )
    extra = np.zeros(ids.size, dtype=np.int8)
    reasons: dict[int, tuple[int, str]] = {}
    for pid, planned, completed in session.execute(stmt):
        pos = int(np.searchsorted(ids, pid))
        if pos >= ids.size or ids[pos] != pid or not planned:
            continue
        pct = (Decimal(int(completed or 0)) * 100 / int(planned)).quantize(Decimal("0.1"))
        if pct < thresholds.schedule_yellow_below_pct:
            severity = 2 if pct < thresholds.schedule_red_below_pct else 1
            bound = (
                thresholds.schedule_red_below_pct if severity == 2 else thresholds.schedule_yellow_below_pct
            )
            extra[pos] = severity
            reasons[pos] = (severity, f"截至{as_of.label}投资完成序时计划的{pct}%（低于{bound}%）")
    return extra, reasons


def compute_all(session: Session, *, today: date) -> dict[int, tuple[Light, str]]:
    """Lights and reasons of every project on ``today``, without storing them."""
    thresholds, cal = get_thresholds(session), calendar()
    ids = np.array(sorted(session.scalars(select(Project.id))), dtype=np.int64)
    if not ids.size:
        return {}
    nodes = _load_nodes(session, ids)
    order_arrays, orders = _load_orders(session, ids)
    extra, sched_reasons = _schedule_severity(session, ids, today, thresholds)
    batch = lights_batch(nodes.arrays, ids.size, today, thresholds, cal, orders=order_arrays, extra=extra)
    worst = batch.project
    reasons: dict[int, list[str]] = defaultdict(list)
    picked = np.nonzero((batch.node > 0) & (batch.node == worst[nodes.arrays.project]))[0]
    for pos, text in zip(
        nodes.arrays.project[picked].tolist(), _node_reasons(session, nodes, picked, today, cal), strict=True
    ):
        reasons[pos].append(text)
    for k, order in enumerate(orders):
        pos = int(order_arrays.project[k])
        if worst[pos]:
            signal = order_light(order, today, thresholds, cal)
            if signal.light.severity == worst[pos] and signal.reason:
                reasons[pos].append(signal.reason)
    for pos, (severity, reason) in sched_reasons.items():
        if severity == worst[pos]:
            reasons[pos].append(reason)
    return {
        pid: (LIGHTS_BY_SEVERITY[int(worst[i])], "\n".join(reasons.get(i, [])))
        for i, pid in enumerate(ids.tolist())
    }


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
            **{k.value: v for k, v in counts.items()},
        },
    )
    return Recompute(len(computed), len(changed), counts, today)
