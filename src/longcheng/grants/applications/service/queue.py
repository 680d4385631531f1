"""Queues per stage: search, filters, paging, age in stage (working days) and SLA lights, export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import local_date, local_today
from longcheng.core.paging import Page, paginate
from longcheng.core.workdays import WorkdayCalendar, default_calendar
from longcheng.grants import permissions as perm
from longcheng.grants.applications.models import Application
from longcheng.grants.applications.schemas import QueueFilter
from longcheng.grants.applications.service.base import visible_to
from longcheng.grants.engine.stages import machine, sla_light
from longcheng.grants.programmes.models import Programme, Window


@cache
def _calendar() -> WorkdayCalendar:
    return default_calendar(allow_uncovered=True)


@dataclass(frozen=True)
class QueueRow:
    app: Application
    programme: str
    stage_label: str
    age: int
    limit: int | None
    light: str


def _conditions(actor: Actor, f: QueueFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [visible_to(actor), Application.stage != "draft"]
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(
            or_(
                Application.number.ilike(like),
                Application.applicant_name.ilike(like),
                Application.applicant_uscc.ilike(like),
            )
        )
    if f.stage:
        conds.append(Application.stage == f.stage)
    if f.window:
        conds.append(Application.window_id == f.window)
    if f.district:
        conds.append(Application.district == f.district)
    return conds


def _ordered(stmt: Select[Any], sort: str) -> Select[Any]:
    if sort == "number":
        return stmt.order_by(Application.number)
    if sort == "-requested":
        return stmt.order_by(Application.requested_fen.desc(), Application.id)
    return stmt.order_by(Application.stage_entered_at, Application.id)


def _rows(session: Session, apps: list[Application]) -> list[QueueRow]:
    windows = {
        w.id: w for w in session.scalars(select(Window).where(Window.id.in_({a.window_id for a in apps})))
    }
    names = dict(session.execute(select(Programme.id, Programme.name)).all())
    today, cal, m = local_today(), _calendar(), machine()
    out = []
    for a in apps:
        sla = json.loads(windows[a.window_id].sla) if a.window_id in windows else {}
        age = max(0, cal.working_days_between(local_date(a.stage_entered_at), today))
        limit = sla.get(a.stage)
        out.append(
            QueueRow(a, names.get(a.programme_id, ""), m.label(a.stage), age, limit, sla_light(age, limit))
        )
    return out


def queue(
    session: Session, *, actor: Actor, filters: QueueFilter, page: int = 1, page_size: int = 20
) -> Page[QueueRow]:
    """One page of the queue, oldest in stage first by default, each row with its SLA light."""
    require(actor, perm.APP_READ)
    conds = _conditions(actor, filters)
    stmt = _ordered(select(Application).where(*conds), filters.sort)
    result = paginate(
        session, stmt, page=page, page_size=page_size, count=select(func.count(Application.id)).where(*conds)
    )
    return Page(_rows(session, result.items), result.total, result.page, result.page_size)


def iter_queue(session: Session, *, actor: Actor, filters: QueueFilter, limit: int) -> Iterator[QueueRow]:
    """The filtered queue for an export; the permission is asked now, not at the first row."""
    require(actor, perm.APP_EXPORT)
    stmt = _ordered(select(Application).where(*_conditions(actor, filters)), filters.sort).limit(limit)
    return _batched_rows(session, list(session.scalars(stmt)))


def _batched_rows(session: Session, apps: list[Application]) -> Iterator[QueueRow]:
    for start in range(0, len(apps), 1000):
        yield from _rows(session, apps[start : start + 1000])


def mine(session: Session, *, actor: Actor) -> list[QueueRow]:
    """The firm's own applications, drafts included."""
    require(actor, perm.APPLY)
    apps = list(
        session.scalars(
            select(Application).where(visible_to(actor)).order_by(Application.id.desc()).limit(200)
        )
    )
    return _rows(session, apps)
