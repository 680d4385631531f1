"""Registering and editing the project record itself (create, update).

Both check the district of a district officer, the stage dates and their order, set the fields
(:mod:`.fields`), and audit the whole record; a new project gets its plan laid out from its
signing date (or ``plan_start``) and its light computed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import local_today, utcnow
from longcheng.core.errors import Conflict, PermissionDenied, ValidationFailed
from longcheng.projects import permissions as perm
from longcheng.projects.models import Project
from longcheng.projects.schedule.stages import STAGE_ORDER, Stage, require_date_order
from longcheng.projects.schemas import ProjectCreate, ProjectUpdate
from longcheng.projects.service.base import ENTITY, get, load, next_code
from longcheng.projects.service.fields import apply_fields
from longcheng.projects.service.lights import refresh_light
from longcheng.projects.service.plan import lay_plan
from longcheng.projects.service.stages import stale


def _check_district(actor: Actor, district: str) -> None:
    if actor.role is Role.officer and actor.district is not None and district != actor.district:
        raise PermissionDenied("区工作人员只能登记或调整本区的项目。", code="projects.out_of_district")


def _check_stage_dates(stage: Stage, dates: dict[Stage, object]) -> None:
    if stage.rank >= Stage.signed.rank and stage not in dates:
        raise ValidationFailed(
            f"项目处于“{stage.label}”阶段，请填写{stage.label}日期。",
            code="projects.stage_date_missing",
            details={f"{stage.value}_on": "必填"},
        )


def create(session: Session, *, actor: Actor, data: ProjectCreate, source: str = "manual") -> Project:
    """Register a project; from the signing date (or ``plan_start``) its plan is laid out.

    Implausible figures are saved with warnings (see ``schemas.plausibility_warnings``).
    """
    require(actor, perm.PROJECT_CREATE)
    _check_district(actor, data.district)
    code = (data.code or next_code(session, local_today())).upper()
    if session.scalar(select(Project.id).where(Project.code == code)) is not None:
        raise Conflict(f"项目编号“{code}”已被使用。", code="projects.duplicate_code", details={"code": code})
    dates = data.stage_dates()
    _check_stage_dates(data.stage, dict(dates))
    require_date_order(dates, current=data.stage, today=local_today())
    project = Project(
        code=code,
        stage=data.stage.value,
        source=source,
        light="green",
        light_reasons="",
        **{f"{s.value}_on": dates.get(s) for s in STAGE_ORDER},
    )
    project.investors, project.lists, project.people = [], [], []
    apply_fields(session, actor=actor, project=project, data=data)
    session.add(project)
    session.flush()
    start = data.plan_start or data.signed_on
    if start is not None:
        lay_plan(session, project, start)
    audit.record(
        session,
        actor=actor,
        action="projects.project.create",
        entity_type=ENTITY,
        entity_id=code,
        after=project.audit_view(),
    )
    refresh_light(session, project)
    return project


def update(session: Session, *, actor: Actor, code: str, data: ProjectUpdate, reason: str = "") -> Project:
    """Edit a project; a stale ``version`` means someone saved first (409 ``projects.stale_version``)."""
    project = get(session, actor=actor, code=code)
    perm.require_responsible(actor, perm.PROJECT_UPDATE, project)
    if data.version != project.version:
        raise stale(project)
    _check_district(actor, data.district)
    dates = data.stage_dates()
    _check_stage_dates(project.stage_enum, dict(dates))
    require_date_order(dates, current=project.stage_enum, today=local_today())
    before = project.audit_view()
    apply_fields(session, actor=actor, project=project, data=data)
    for s in STAGE_ORDER:
        setattr(project, f"{s.value}_on", dates.get(s))
    project.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError:
        raise stale(load(session, code)) from None
    audit.record(
        session,
        actor=actor,
        action="projects.project.update",
        entity_type=ENTITY,
        entity_id=code,
        before=before,
        after=project.audit_view(),
        reason=reason,
    )
    return project
