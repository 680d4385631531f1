"""Stage changes, one project at a time or a whole ceremony (集中签约/开工/竣工) at once.

Only those who answer for a project may move it (403 ``projects.not_responsible`` otherwise).
One step forward is routine; moving back or skipping needs a reason (``stages.check_transition``);
stage dates stay in order (a completion date before the start date is refused). Moving back
clears the dates of the stages undone and reopens their plan nodes; every change is audited
with its reason. A ceremony changes every project or none.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.projects import permissions as perm
from longcheng.projects.models import Ceremony, PlanNode, Project, ProjectListEntry
from longcheng.projects.schedule.stages import (
    STAGE_ORDER,
    Stage,
    StageChangeRefused,
    check_batch,
    require_date_order,
    require_transition,
)
from longcheng.projects.schemas import CeremonyIn, StageChange
from longcheng.projects.service.base import ENTITY, get, is_visible
from longcheng.projects.service.lights import refresh_light
from longcheng.projects.service.plan import lay_plan, nodes_of
from longcheng.projects.vocab import CeremonyKind, ceremony_kinds


def stale(project: Project) -> Conflict:
    return Conflict(
        f"项目“{project.name}”已被他人修改（当前版本 {project.version}），请刷新页面查看最新内容后再提交。",
        code="projects.stale_version",
        details={"current_version": project.version},
    )


def _dates_after_move(project: Project, target: Stage, on: date) -> dict[Stage, date]:
    dates = {s: d for s, d in project.stage_dates.items() if s.rank <= target.rank}
    dates[target] = on
    return dates


def _stage_view(project: Project) -> dict[str, Any]:
    return {
        "stage": project.stage,
        **{f"{s.value}_on": getattr(project, f"{s.value}_on") for s in STAGE_ORDER},
    }


def _apply(session: Session, project: Project, target: Stage, dates: dict[Stage, date]) -> None:
    """Set stage and dates; close the target's plan nodes, reopen nodes of stages undone."""
    for s in STAGE_ORDER:
        setattr(project, f"{s.value}_on", dates.get(s))
    project.stage, project.updated_at = target.value, utcnow()
    nodes = nodes_of(session, project)
    if not nodes and target.rank >= Stage.signed.rank and project.signed_on is not None:
        lay_plan(session, project, project.signed_on)
        return
    for node in nodes:
        if node.stage is None:
            continue
        rank = Stage(node.stage).rank
        if rank > target.rank:
            node.done_on = None
        elif node.stage == target.value and node.done_on is None:
            node.done_on = dates[target]


def change_stage(session: Session, *, actor: Actor, code: str, data: StageChange) -> Project:
    """Move one project to ``data.stage`` on ``data.on``; audited with the rule's message and reason."""
    project = get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_STAGE, project)
    if data.version is not None and data.version != project.version:
        raise stale(project)
    decision = require_transition(project.stage_enum, data.stage, reason=data.reason)
    dates = _dates_after_move(project, data.stage, data.on)
    require_date_order(dates, current=data.stage, today=local_today())
    before = _stage_view(project)
    _apply(session, project, data.stage, dates)
    try:
        session.flush()
    except StaleDataError:
        raise stale(project) from None
    audit.record(
        session,
        actor=actor,
        action="projects.stage.change",
        entity_type=ENTITY,
        entity_id=project.code,
        before=before,
        after=_stage_view(project),
        reason="；".join(t for t in (decision.message, data.reason) if t),
    )
    refresh_light(session, project)
    return project


def _ceremony_projects(session: Session, actor: Actor, codes: list[str]) -> list[Project]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    found = {
        p.code: p
        for p in session.scalars(
            select(Project)
            .where(Project.code.in_(wanted))
            .options(selectinload(Project.people), selectinload(Project.lists))
        )
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationFailed(
            f"以下项目编号不存在：{'、'.join(missing)}；本批次未作任何修改。",
            code="projects.ceremony_unknown",
            details={"codes": "、".join(missing)},
        )
    projects = [found[c] for c in wanted]
    refused = [p for p in projects if not (is_visible(session, actor, p) and perm.is_responsible(actor, p))]
    if refused:
        raise PermissionDenied(
            f"您不是以下项目的责任人：{'、'.join(p.name for p in refused[:20])}"
            f"{'等' if len(refused) > 20 else ''}；"
            "本批次未作任何修改。",
            code=perm.NOT_RESPONSIBLE,
            details={p.code: p.name for p in refused[:200]},
        )
    return projects


def _check_ceremony(projects: list[Project], target: Stage, data: CeremonyIn) -> dict[str, dict[Stage, date]]:
    batch = check_batch({p.code: p.stage_enum for p in projects}, target, reason=data.reason)
    if not batch.ok:
        raise StageChangeRefused(
            batch.message,
            code="projects.ceremony_refused",
            details={code: d.message for code, d in batch.refused.items()},
        )
    today, problems, all_dates = local_today(), {}, {}
    for p in projects:
        dates = _dates_after_move(p, target, data.held_on)
        try:
            require_date_order(dates, current=target, today=today)
        except ValidationFailed as exc:
            problems[p.code] = f"{p.name}：{exc.message_text}"
        all_dates[p.code] = dates
    if problems:
        raise ValidationFailed(
            f"{len(problems)}个项目的阶段日期有误，本批次未作任何修改。",
            code="projects.ceremony_dates",
            details=problems,
        )
    return all_dates


def _move_batch(
    session: Session,
    projects: list[Project],
    kind: CeremonyKind,
    data: CeremonyIn,
    all_dates: dict[str, dict[Stage, date]],
) -> list[audit.Change]:
    """Move every project of a ceremony and put it on the batch list; the audit changes to record."""
    changes = []
    for p in projects:
        before = _stage_view(p)
        _apply(session, p, kind.stage, all_dates[p.code])
        if data.name not in p.list_names:
            p.lists.append(ProjectListEntry(list_name=data.name))
        changes.append(
            audit.Change(
                "projects.stage.change",
                ENTITY,
                p.code,
                before,
                _stage_view(p),
                f"{kind.name}“{data.name}”" + (f"；{data.reason}" if data.reason else ""),
            )
        )
    return changes


def run_ceremony(session: Session, *, actor: Actor, data: CeremonyIn) -> Ceremony:
    """A 集中签约/开工/竣工: every project moves to the stage on the same day and joins the batch
    list named after the ceremony — or, if any one of them cannot, none does."""
    require(actor, perm.PROJECT_CEREMONY)
    kind = ceremony_kinds()[data.kind]
    if session.scalar(select(Ceremony.id).where(Ceremony.name == data.name)) is not None:
        raise Conflict(
            f"已有名为“{data.name}”的集中活动，请换一个批次名称。", code="projects.ceremony_duplicate"
        )
    projects = _ceremony_projects(session, actor, data.codes)
    all_dates = _check_ceremony(projects, kind.stage, data)
    changes = _move_batch(session, projects, kind, data, all_dates)
    ceremony = Ceremony(
        name=data.name,
        kind=kind.code,
        stage=kind.stage.value,
        held_on=data.held_on,
        project_count=len(projects),
        created_by=actor.label,
    )
    session.add(ceremony)
    session.flush()
    audit.record_many(session, actor=actor, changes=changes)
    audit.record(
        session,
        actor=actor,
        action="projects.ceremony",
        entity_type="projects",
        entity_id=data.name,
        after={"kind": kind.name, "held_on": data.held_on, "projects": [p.code for p in projects]},
        reason=data.reason,
    )
    for p in projects:
        refresh_light(session, p)
    return ceremony


def list_ceremonies(session: Session, *, actor: Actor) -> list[Ceremony]:
    require(actor, perm.PROJECT_READ)
    return list(session.scalars(select(Ceremony).order_by(Ceremony.held_on.desc(), Ceremony.id.desc())))


def open_nodes(session: Session, project: Project) -> list[PlanNode]:
    return [n for n in nodes_of(session, project) if n.done_on is None]
