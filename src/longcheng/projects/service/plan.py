"""A project's 时序计划表 and monthly investment (序时进度) through the database.

Plans are built from the template of the project's type on the working-day calendar; a date on
a holiday or weekend moves to the next working day and the node keeps the note saying so, which
the service also returns so the page can show it at once. Every change is audited under the
project and refreshes the project's light.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.clock import local_today
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.projects import permissions as perm
from longcheng.projects.models import InvestmentMonth, PlanNode, Project
from longcheng.projects.schedule.plans import PlannedNode, build_plan, load_templates, revise_plan
from longcheng.projects.schedule.stages import Stage
from longcheng.projects.service.base import ENTITY, get
from longcheng.projects.service.lights import calendar, refresh_light


def nodes_of(session: Session, project: Project) -> list[PlanNode]:
    return list(
        session.scalars(select(PlanNode).where(PlanNode.project_id == project.id).order_by(PlanNode.seq))
    )


def lay_plan(session: Session, project: Project, start: date) -> list[PlannedNode]:
    """Replace the project's plan with its template's, dated from ``start``; nodes of stages
    already reached are marked done on that stage's date. Returns the nodes as laid out."""
    template = load_templates().get(project.project_type) or load_templates()["industrial"]
    session.execute(delete(PlanNode).where(PlanNode.project_id == project.id))
    reached = project.stage_dates
    planned = build_plan(template, start, calendar())
    rows = [
        {
            "project_id": project.id,
            "seq": seq,
            "code": node.code,
            "name": node.name,
            "stage": node.stage.value if node.stage else None,
            "after": node.after,
            "planned": node.planned,
            "original": node.original,
            "note": node.note or "",
            "done_on": reached.get(node.stage, node.planned)
            if node.stage is not None and node.stage.rank <= project.stage_enum.rank
            else None,
        }
        for seq, node in enumerate(planned)
    ]
    session.execute(insert(PlanNode), rows)
    return planned


def create_plan(
    session: Session, *, actor: Actor, code: str, start: date, replace: bool = False
) -> list[PlannedNode]:
    """Lay out the plan from ``start`` (usually the signing date); refuses to overwrite unless asked."""
    project = get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_UPDATE, project)
    if nodes_of(session, project) and not replace:
        raise Conflict(
            "该项目已有时序计划表；如需按新的起始日期重排，请选择“重新生成”。", code="projects.plan_exists"
        )
    rows = lay_plan(session, project, start)
    audit.record(
        session,
        actor=actor,
        action="projects.plan.create",
        entity_type=ENTITY,
        entity_id=project.code,
        after={
            "template": project.project_type,
            "start": start,
            "nodes": len(rows),
            "moved": [f"{r.name}：{r.note}" for r in rows if r.note],
        },
    )
    refresh_light(session, project)
    return rows


def _planned(rows: list[PlanNode]) -> list[PlannedNode]:
    return [
        PlannedNode(
            r.code,
            r.name,
            r.planned,
            r.original,
            r.note or None,
            Stage(r.stage) if r.stage else None,
            r.after,
        )
        for r in rows
    ]


def revise(
    session: Session, *, actor: Actor, code: str, entered: dict[str, date], reason: str = ""
) -> list[str]:
    """Apply planned dates an officer typed; returns the notes of dates moved off holidays.

    A node planned before its predecessor is refused (``projects.plan_order``) and nothing changes.
    """
    project = get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_UPDATE, project)
    rows = nodes_of(session, project)
    revised, issues = revise_plan(_planned(rows), entered, calendar())
    if issues:
        raise ValidationFailed(
            "；".join(i.message for i in issues),
            code=issues[0].code,
            details={i.node: i.message for i in issues},
        )
    before, after, notes = {}, {}, []
    for row, node in zip(rows, revised, strict=True):
        if node.code not in entered or (row.planned, row.original) == (node.planned, node.original):
            continue
        before[row.code], after[row.code] = row.planned, node.planned
        row.planned, row.original, row.note = node.planned, node.original, node.note or ""
        if node.note:
            notes.append(f"{node.name}：{node.note}")
    session.flush()
    if after:
        audit.record(
            session,
            actor=actor,
            action="projects.plan.revise",
            entity_type=ENTITY,
            entity_id=project.code,
            before=before,
            after=after,
            reason=reason,
        )
        refresh_light(session, project)
    return notes


def set_node_done(
    session: Session, *, actor: Actor, code: str, node_code: str, done_on: date | None
) -> PlanNode:
    """Mark a node done on ``done_on`` (not in the future), or reopen it with None."""
    project = get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_UPDATE, project)
    row = session.scalar(
        select(PlanNode).where(PlanNode.project_id == project.id, PlanNode.code == node_code)
    )
    if row is None:
        raise NotFound(f"计划中没有节点“{node_code}”。", code="projects.plan_unknown_node")
    if done_on is not None and done_on > local_today():
        raise ValidationFailed(
            f"完成日期{done_on.isoformat()}晚于今天，请填写实际完成日期。",
            code="projects.done_in_future",
            details={"done_on": "不能晚于今天"},
        )
    before = row.done_on
    row.done_on = done_on
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.plan.node_done",
        entity_type=ENTITY,
        entity_id=project.code,
        before={row.code: before},
        after={row.code: done_on},
    )
    refresh_light(session, project)
    return row


def investment_year(session: Session, project: Project, year: int) -> dict[int, InvestmentMonth]:
    stmt = select(InvestmentMonth).where(
        InvestmentMonth.project_id == project.id, InvestmentMonth.year == year
    )
    return {row.month: row for row in session.scalars(stmt)}


def set_investment(
    session: Session,
    *,
    actor: Actor,
    code: str,
    year: int,
    month: int,
    planned_fen: int | None = None,
    completed_fen: int | None = None,
) -> InvestmentMonth:
    """Record a month's planned and/or completed investment (fen, not negative)."""
    project = get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_UPDATE, project)
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationFailed("月份无效。", code="projects.month_format", details={"month": "应为 1–12"})
    if any(v is not None and v < 0 for v in (planned_fen, completed_fen)):
        raise ValidationFailed(
            "投资额不能为负数。", code="projects.amount_negative", details={"amount": "不能为负数"}
        )
    row = investment_year(session, project, year).get(month)
    if row is None:
        row = InvestmentMonth(project_id=project.id, year=year, month=month, planned_fen=0, completed_fen=0)
        session.add(row)
    before = {"planned_fen": row.planned_fen, "completed_fen": row.completed_fen}
    if planned_fen is not None:
        row.planned_fen = planned_fen
    if completed_fen is not None:
        row.completed_fen = completed_fen
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="projects.investment.set",
        entity_type=ENTITY,
        entity_id=project.code,
        before={f"{year}-{month:02d}": before},
        after={f"{year}-{month:02d}": {"planned_fen": row.planned_fen, "completed_fen": row.completed_fen}},
    )
    refresh_light(session, project)
    return row
