"""Finding one project for an actor: 404 when it does not exist, 403 when it is not theirs to see."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.errors import NotFound
from longcheng.projects import permissions as perm
from longcheng.projects.models import Project

ENTITY = "project"


def load(session: Session, code: str) -> Project:
    """A project with its investors, lists and people loaded; 404 ``projects.not_found``."""
    stmt = (
        select(Project)
        .where(Project.code == code.strip())
        .options(selectinload(Project.investors), selectinload(Project.lists), selectinload(Project.people))
    )
    project = session.scalar(stmt)
    if project is None:
        raise NotFound(f"未找到编号为“{code}”的项目。", code="projects.not_found")
    return project


def is_visible(session: Session, actor: Actor, project: Project) -> bool:
    stmt = select(func.count()).select_from(Project).where(Project.id == project.id, perm.visible_to(actor))
    return bool(session.scalar(stmt))


def get(session: Session, *, actor: Actor, code: str) -> Project:
    """One project the actor may see; one outside their scope is "not found" like a wrong code."""
    require(actor, perm.PROJECT_READ)
    project = load(session, code)
    if not is_visible(session, actor, project):
        raise NotFound(f"未找到编号为“{code}”的项目。", code="projects.not_found")
    return project


def history(session: Session, *, actor: Actor, project: Project) -> list[audit.AuditRecord]:
    """Every recorded change of the project (fields, stages, plan, 督办, evidence), newest first."""
    require(actor, perm.PROJECT_HISTORY)
    return audit.history(session, entity_type=ENTITY, entity_id=project.code, limit=500)


def next_code(session: Session, today: date) -> str:
    """``XM2026-00042``: the year and a number one past the largest id so far."""
    last = session.scalar(select(func.max(Project.id))) or 0
    n = last + 1
    while True:
        code = f"XM{today.year}-{n:05d}"
        if session.scalar(select(Project.id).where(Project.code == code)) is None:
            return code
        n += 1
