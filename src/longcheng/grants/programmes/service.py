"""Programmes and windows: create, list (with search, filters, paging), get, and window state."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import format_local, utcnow
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.paging import Page, paginate
from longcheng.grants import permissions as perm
from longcheng.grants.programmes.models import Programme, Window
from longcheng.grants.programmes.schemas import ProgrammeIn, WindowIn

ENTITY = "grants_programme"
WINDOW_STATES = {"upcoming": "即将开始", "open": "申报中", "closed": "已截止"}


class ProgrammeFilter(BaseModel):
    model_config = ConfigDict(extra="ignore")

    q: str | None = None
    department: str | None = None


def get(session: Session, *, actor: Actor, code: str) -> Programme:
    require(actor, perm.PROGRAMME_READ)
    programme = session.scalar(select(Programme).where(Programme.code == code.upper()))
    if programme is None:
        raise NotFound(f"未找到编号为“{code}”的专项。", code="grants.programme_not_found")
    return programme


def create(session: Session, *, actor: Actor, data: ProgrammeIn) -> Programme:
    require(actor, perm.PROGRAMME_MANAGE)
    if session.scalar(select(Programme.id).where(Programme.code == data.code)):
        raise Conflict(f"专项编号“{data.code}”已存在。", code="grants.programme_exists")
    programme = Programme(**data.model_dump())
    session.add(programme)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.programme.create",
        entity_type=ENTITY,
        entity_id=programme.code,
        after={
            "名称": programme.name,
            "主管部门": programme.department,
            "支付方式": programme.payment_mode_label,
            "政策条款": programme.policy_clause or "",
        },
    )
    return programme


def _conditions(f: ProgrammeFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(or_(Programme.name.ilike(like), Programme.code.ilike(like)))
    if f.department:
        conds.append(Programme.department == f.department)
    return conds


def list_programmes(
    session: Session, *, actor: Actor, filters: ProgrammeFilter, page: int = 1, page_size: int = 20
) -> Page[Programme]:
    require(actor, perm.PROGRAMME_READ)
    conds = _conditions(filters)
    stmt = select(Programme).where(*conds).order_by(Programme.code)
    return paginate(
        session, stmt, page=page, page_size=page_size, count=select(func.count(Programme.id)).where(*conds)
    )


def iter_programmes(
    session: Session, *, actor: Actor, filters: ProgrammeFilter, limit: int
) -> Iterator[Programme]:
    require(actor, perm.PROGRAMME_READ)
    return iter(
        session.scalars(select(Programme).where(*_conditions(filters)).order_by(Programme.code).limit(limit))
    )


def add_window(session: Session, *, actor: Actor, programme_code: str, data: WindowIn) -> Window:
    """A window; its times are stored in UTC, the boundary second included in the window."""
    require(actor, perm.PROGRAMME_MANAGE)
    programme = get(session, actor=actor, code=programme_code)
    if session.scalar(select(Window.id).where(Window.programme_id == programme.id, Window.code == data.code)):
        raise Conflict(f"批次编号“{data.code}”已存在。", code="grants.window_exists")
    window = Window(
        programme_id=programme.id,
        code=data.code,
        name=data.name,
        fiscal_year=data.fiscal_year,
        opens_at=data.opens_at.astimezone(UTC),
        closes_at=data.closes_at.astimezone(UTC),
        checklist=json.dumps([c.model_dump() for c in data.checklist], ensure_ascii=False),
        form_fields=json.dumps([f.model_dump() for f in data.form_fields], ensure_ascii=False),
        sla=json.dumps(data.sla, ensure_ascii=False),
    )
    session.add(window)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.window.create",
        entity_type=ENTITY,
        entity_id=programme.code,
        after={
            "批次": window.name,
            "年度": window.fiscal_year,
            "开始": data.opens_at,
            "截止": data.closes_at,
        },
    )
    return window


def windows_of(session: Session, *, actor: Actor, programme: Programme) -> list[Window]:
    require(actor, perm.PROGRAMME_READ)
    stmt = select(Window).where(Window.programme_id == programme.id).order_by(Window.opens_at.desc())
    return list(session.scalars(stmt))


def window_state(window: Window, now: datetime | None = None) -> str:
    return window.state_at(now or utcnow())


def calendar_windows(
    session: Session, *, actor: Actor, now: datetime | None = None
) -> list[tuple[Window, Programme, str]]:
    """Windows open now, opening soon and recently closed, across departments (the calendar)."""
    require(actor, perm.PROGRAMME_READ)
    return public_calendar(session, now=now)


def public_calendar(session: Session, *, now: datetime | None = None) -> list[tuple[Window, Programme, str]]:
    """The windows across departments for the public calendar (no login: guides are public)."""
    at = now or utcnow()
    stmt = (
        select(Window, Programme)
        .join(Programme, Programme.id == Window.programme_id)
        .order_by(Window.opens_at)
    )
    return [(w, p, w.state_at(at)) for w, p in session.execute(stmt.limit(500))]


FIELD_LABELS = {
    "name": "名称",
    "department": "主管部门",
    "guide": "申报指南",
    "contact": "联系方式",
    "policy_clause": "政策条款",
    "payment_mode": "支付方式",
    "workflow": "审核流程",
    "fiscal_year": "年度",
    "opens_at": "开始时间",
    "closes_at": "截止时间",
    "checklist": "材料清单",
    "form_fields": "表单字段",
    "sla": "办理时限",
}


def _diff(values: Mapping[str, object]) -> dict[str, object]:
    """Chinese keys; times in Beijing time; long texts cut for the change log."""
    out: dict[str, object] = {}
    for k, v in values.items():
        if isinstance(v, datetime):
            v = format_local(v)
        elif isinstance(v, str) and len(v) > 300:
            v = v[:300] + "…"
        out[FIELD_LABELS.get(k, k)] = v
    return out


def update(session: Session, *, actor: Actor, code: str, data: ProgrammeIn) -> Programme:
    """Edit a programme's name, department, guide, contact, clause, payment mode and workflow
    (the code stays); the change log keeps what each field was."""
    require(actor, perm.PROGRAMME_MANAGE)
    programme = get(session, actor=actor, code=code)
    fields = data.model_dump(exclude={"code"})
    before = {k: getattr(programme, k) for k in fields}
    changed = {k: v for k, v in fields.items() if before[k] != v}
    for k, v in changed.items():
        setattr(programme, k, v)
    session.flush()
    if changed:
        audit.record(
            session,
            actor=actor,
            action="grants.programme.update",
            entity_type=ENTITY,
            entity_id=programme.code,
            before=_diff({k: before[k] for k in changed}),
            after=_diff(changed),
        )
    return programme


def get_window(session: Session, *, actor: Actor, window_id: int) -> tuple[Window, Programme]:
    require(actor, perm.PROGRAMME_READ)
    window = session.get(Window, window_id)
    if window is None:
        raise NotFound("未找到该申报批次。", code="grants.window_not_found")
    programme = session.get(Programme, window.programme_id)
    assert programme is not None
    return window, programme


def _window_values(data: WindowIn) -> dict[str, object]:
    return {
        "name": data.name,
        "fiscal_year": data.fiscal_year,
        "opens_at": data.opens_at.astimezone(UTC),
        "closes_at": data.closes_at.astimezone(UTC),
        "checklist": json.dumps([c.model_dump() for c in data.checklist], ensure_ascii=False),
        "form_fields": json.dumps([f.model_dump() for f in data.form_fields], ensure_ascii=False),
        "sla": json.dumps(data.sla, ensure_ascii=False),
    }


def update_window(session: Session, *, actor: Actor, window_id: int, data: WindowIn) -> Window:
    """Edit a window; its code stays. Times are stored in UTC, the boundary second included."""
    require(actor, perm.PROGRAMME_MANAGE)
    window, programme = get_window(session, actor=actor, window_id=window_id)
    values = _window_values(data)
    changed = {k: v for k, v in values.items() if getattr(window, k) != v}
    before = {k: getattr(window, k) for k in changed}
    for k, v in changed.items():
        setattr(window, k, v)
    session.flush()
    if changed:
        audit.record(
            session,
            actor=actor,
            action="grants.window.update",
            entity_type=ENTITY,
            entity_id=programme.code,
            before={"批次": window.code, **_diff(before)},
            after={"批次": window.code, **_diff(changed)},
        )
    return window


def set_window_times(
    session: Session,
    *,
    actor: Actor,
    window_id: int,
    opens_at: datetime | None = None,
    closes_at: datetime | None = None,
) -> Window:
    """Open a window now or close it now (the CLI's ``windows open/close``); the order of the
    two instants is kept (opening after the close is refused)."""
    require(actor, perm.PROGRAMME_MANAGE)
    window, programme = get_window(session, actor=actor, window_id=window_id)
    new_open, new_close = opens_at or window.opens_at, closes_at or window.closes_at
    if new_close <= new_open:
        raise Conflict("截止时间须晚于开始时间。", code="grants.window_order")
    before = {"opens_at": window.opens_at, "closes_at": window.closes_at}
    window.opens_at, window.closes_at = new_open, new_close
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="grants.window.update",
        entity_type=ENTITY,
        entity_id=programme.code,
        before={"批次": window.code, **_diff(before)},
        after={"批次": window.code, **_diff({"opens_at": new_open, "closes_at": new_close})},
    )
    return window
