"""The list of sampled items across samples (search, filters, paging, export)."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.paging import Page, paginate
from longcheng.grants import permissions as perm
from longcheng.grants.audit.models import AuditItem
from longcheng.grants.audit.schemas import ItemFilter


def _conditions(f: ItemFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q:
        like = f"%{f.q.strip()}%"
        conds.append(or_(AuditItem.source_ref.ilike(like), AuditItem.payee_name.ilike(like)))
    if f.result:
        conds.append(AuditItem.result == f.result)
    if f.sample:
        conds.append(AuditItem.sample_id == f.sample)
    return conds


def list_items(
    session: Session, *, actor: Actor, filters: ItemFilter, page: int = 1, page_size: int = 20
) -> Page[AuditItem]:
    require(actor, perm.LEDGER_READ)
    conds = _conditions(filters)
    stmt = select(AuditItem).where(*conds).order_by(AuditItem.id.desc())
    return paginate(
        session, stmt, page=page, page_size=page_size, count=select(func.count(AuditItem.id)).where(*conds)
    )


def iter_items(session: Session, *, actor: Actor, filters: ItemFilter, limit: int) -> Iterator[AuditItem]:
    require(actor, perm.LEDGER_READ)
    stmt = select(AuditItem).where(*_conditions(filters)).order_by(AuditItem.id.desc()).limit(limit)
    return iter(session.scalars(stmt))
