"""The expert pool (专家库): list with search and filters, get, create, update, export rows."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit, users
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import Conflict, NotFound, ValidationFailed
from longcheng.core.paging import Page, paginate
from longcheng.core.pii import masking, vault
from longcheng.experts import permissions as perm
from longcheng.experts.engine import taxonomy
from longcheng.experts.models import Expert, FormerEmployer
from longcheng.experts.schemas import ExpertFilter, ExpertIn
from longcheng.registry import service as registry_service

ENTITY = "expert"
ID_PURPOSE = "experts.resident_id"


def get(session: Session, *, actor: Actor, expert_id: int) -> Expert:
    require(actor, perm.READ)
    expert = session.get(Expert, expert_id)
    if expert is None:
        raise NotFound("未找到该专家。", code="experts.not_found")
    return expert


def get_by_code(session: Session, *, actor: Actor, code: str) -> Expert:
    require(actor, perm.READ)
    expert = session.scalar(select(Expert).where(Expert.code == code.strip().upper()))
    if expert is None:
        raise NotFound(f"未找到编号为“{code}”的专家。", code="experts.not_found")
    return expert


def _conditions(f: ExpertFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(
            or_(
                Expert.name.ilike(like),
                Expert.code.ilike(like),
                Expert.employer_name.ilike(like),
                Expert.employer_uscc.ilike(like),
            )
        )
    if f.field:
        code = taxonomy.default().resolve(f.field) or f.field
        conds.append(Expert.fields_text.like(f"% {code} %"))
    if f.status:
        conds.append(Expert.status == f.status)
    return conds


def _ordered(stmt: Select[Any], sort: str) -> Select[Any]:
    if sort == "name":
        return stmt.order_by(Expert.name, Expert.id)
    if sort == "-updated":
        return stmt.order_by(Expert.updated_at.desc(), Expert.id.desc())
    return stmt.order_by(Expert.code)


def list_experts(
    session: Session, *, actor: Actor, filters: ExpertFilter, page: int = 1, page_size: int = 20
) -> Page[Expert]:
    require(actor, perm.READ)
    conds = _conditions(filters)
    stmt = _ordered(select(Expert).where(*conds), filters.sort)
    count = select(func.count(Expert.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_export(session: Session, *, actor: Actor, filters: ExpertFilter, limit: int) -> Iterator[Expert]:
    """The filtered experts for an export (the permission is checked before any row is read)."""
    require(actor, perm.EXPORT)
    stmt = _ordered(select(Expert).where(*_conditions(filters)), filters.sort).limit(limit)
    return iter(session.scalars(stmt))


def _next_code(session: Session) -> str:
    n = (session.scalar(select(func.max(Expert.id))) or 0) + 1
    while session.scalar(select(Expert.id).where(Expert.code == f"E{n:05d}")):
        n += 1
    return f"E{n:05d}"


def _resolve_links(session: Session, data: ExpertIn, own_id: int | None) -> tuple[int | None, int | None]:
    substitute_id = user_id = None
    if data.substitute_code:
        sub = session.scalar(select(Expert).where(Expert.code == data.substitute_code.strip().upper()))
        if sub is None or sub.id == own_id:
            raise ValidationFailed(
                "替补专家编号不存在或是本人。",
                code="experts.bad_substitute",
                details={"substitute_code": "替补专家须是专家库中的其他专家"},
            )
        substitute_id = sub.id
    if data.username:
        user = users.get_by_username(session, data.username)
        if user is None or user.role != Role.reviewer.value:
            raise ValidationFailed(
                "关联账号不存在或不是评审人员账号。",
                code="experts.bad_user",
                details={"username": "须为已存在的评审人员账号"},
            )
        taken = session.scalar(select(Expert.id).where(Expert.user_id == user.id))
        if taken is not None and taken != own_id:
            raise Conflict("该账号已关联其他专家。", code="experts.user_taken")
        user_id = user.id
    return substitute_id, user_id


def _apply(expert: Expert, data: ExpertIn, substitute_id: int | None, user_id: int | None) -> None:
    expert.name = data.name
    expert.title = data.title
    expert.employer_uscc = data.employer_uscc
    expert.employer_name = data.employer_name
    expert.fields_text = " " + " ".join(data.fields) + " "
    expert.phone = data.phone
    expert.email = data.email
    expert.status = data.status
    expert.substitute_id = substitute_id
    expert.user_id = user_id
    expert.note = data.note
    if data.resident_id:
        expert.id_token = vault.encrypt(data.resident_id, purpose=ID_PURPOSE)
        expert.id_masked = masking.mask_resident_id(data.resident_id)
        expert.person_index = registry_service.person_index_of(data.resident_id)
    expert.former_employers = [
        FormerEmployer(uscc=f.uscc, name=f.name, ended_on=f.ended_on) for f in data.former_employers
    ]


def audit_view(expert: Expert) -> dict[str, Any]:
    labels = taxonomy.default().labels()
    return {
        "姓名": expert.name,
        "身份证号码": expert.id_masked,
        "职称": expert.title,
        "任职单位": f"{expert.employer_name}（{expert.employer_uscc or '未填'}）",
        "评审领域": "、".join(labels.get(c, c) for c in expert.fields),
        "状态": expert.status_label,
        "曾任职单位": "；".join(
            f"{f.name or f.uscc}（离职：{f.ended_on.isoformat() if f.ended_on else '不详'}）"
            for f in expert.former_employers
        ),
    }


def create(session: Session, *, actor: Actor, data: ExpertIn) -> Expert:
    require(actor, perm.MANAGE)
    substitute_id, user_id = _resolve_links(session, data, None)
    expert = Expert(code=_next_code(session))
    _apply(expert, data, substitute_id, user_id)
    session.add(expert)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="experts.create",
        entity_type=ENTITY,
        entity_id=expert.code,
        after=audit_view(expert),
    )
    return expert


def update(
    session: Session, *, actor: Actor, expert_id: int, data: ExpertIn, version: int | None = None
) -> Expert:
    require(actor, perm.MANAGE)
    expert = get(session, actor=actor, expert_id=expert_id)
    if version is not None and version != expert.version:
        raise Conflict("该专家信息已被他人修改，请刷新后重试。", code="experts.stale")
    before = audit_view(expert)
    substitute_id, user_id = _resolve_links(session, data, expert.id)
    _apply(expert, data, substitute_id, user_id)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="experts.update",
        entity_type=ENTITY,
        entity_id=expert.code,
        before=before,
        after=audit_view(expert),
    )
    return expert
