"""Rows of the acceptance list: the task with its application's number, firm and amount."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.paging import Page, paginate
from longcheng.grants import permissions as perm
from longcheng.grants.acceptance.models import AcceptanceTask
from longcheng.grants.acceptance.schemas import AcceptanceFilter
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.service.base import visible_to
from longcheng.grants.programmes.models import Programme


@dataclass(frozen=True)
class TaskRow:
    number: str
    applicant_name: str
    applicant_uscc: str
    programme: str
    approved_fen: int
    state: str
    state_label: str
    rectify_due: str


def _conditions(actor: Actor, f: AcceptanceFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [visible_to(actor)]
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(or_(Application.number.ilike(like), Application.applicant_name.ilike(like)))
    if f.state:
        conds.append(AcceptanceTask.state == f.state)
    if f.programme:
        conds.append(
            Application.programme_id
            == select(Programme.id).where(Programme.code == f.programme.strip()).scalar_subquery()
        )
    return conds


def _rows(session: Session, tasks: list[AcceptanceTask]) -> list[TaskRow]:
    ids = [t.application_id for t in tasks]
    apps = {a.id: a for a in session.scalars(select(Application).where(Application.id.in_(ids)))}
    names = dict(session.execute(select(Programme.id, Programme.name)).all())
    return [
        TaskRow(
            apps[t.application_id].number,
            apps[t.application_id].applicant_name,
            apps[t.application_id].applicant_uscc,
            names.get(apps[t.application_id].programme_id, ""),
            apps[t.application_id].approved_fen or 0,
            t.state,
            t.state_label,
            t.rectify_due.isoformat() if t.rectify_due else "",
        )
        for t in tasks
    ]


def list_tasks(
    session: Session, *, actor: Actor, filters: AcceptanceFilter, page: int = 1, page_size: int = 20
) -> Page[TaskRow]:
    require(actor, perm.APP_READ)
    conds = _conditions(actor, filters)
    base = select(AcceptanceTask).join(Application, Application.id == AcceptanceTask.application_id)
    count = (
        select(func.count(AcceptanceTask.id))
        .join(Application, Application.id == AcceptanceTask.application_id)
        .where(*conds)
    )
    found = paginate(
        session,
        base.where(*conds).order_by(AcceptanceTask.id.desc()),
        page=page,
        page_size=page_size,
        count=count,
    )
    return Page(_rows(session, found.items), found.total, found.page, found.page_size)


def iter_tasks(session: Session, *, actor: Actor, filters: AcceptanceFilter, limit: int) -> Iterator[TaskRow]:
    require(actor, perm.APP_READ)
    stmt = (
        select(AcceptanceTask)
        .join(Application, Application.id == AcceptanceTask.application_id)
        .where(*_conditions(actor, filters))
        .order_by(AcceptanceTask.id.desc())
        .limit(limit)
    )
    return iter(_rows(session, list(session.scalars(stmt))))
