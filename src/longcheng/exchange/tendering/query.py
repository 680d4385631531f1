"""The tenders list: search, filters, paging and export rows (every tender is public once
published; prices appear only in the opening record)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor
from longcheng.core.auth import require
from longcheng.core.clock import format_local
from longcheng.core.paging import Page, paginate
from longcheng.exchange.models import Institution
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering.models import Tender
from longcheng.exchange.tendering.procedures import LABELS
from longcheng.exchange.tendering.schemas import TenderFilter

STATUS = {
    "bidding": "投标中",
    "opened": "已开标（评审中）",
    "failed": "招标失败",
    "publicity": "中标候选人公示中",
    "awarded": "已确定中标人",
}
EXPORT_HEADERS = (
    "项目编号",
    "项目名称",
    "采购方式",
    "交易机构",
    "招标人",
    "预算（元）",
    "投标保证金（元）",
    "投标截止",
    "状态",
    "合同编号",
)


def _conditions(f: TenderFilter) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if f.q and f.q.strip():
        like = f"%{f.q.strip()}%"
        conds.append(
            or_(Tender.code.ilike(like), Tender.title.ilike(like), Tender.purchaser_name.ilike(like))
        )
    if f.procedure:
        conds.append(Tender.procedure == f.procedure)
    if f.status:
        conds.append(Tender.status == f.status)
    if f.institution:
        conds.append(
            Tender.institution_id.in_(select(Institution.id).where(Institution.code == f.institution))
        )
    return conds


def list_tenders(
    session: Session, *, actor: Actor | None, filters: TenderFilter, page: int = 1, page_size: int = 20
) -> Page[Tender]:
    """Tenders matching the filters, newest first."""
    conds = _conditions(filters)
    stmt = select(Tender).where(*conds).order_by(Tender.id.desc())
    count = select(func.count(Tender.id)).where(*conds)
    return paginate(session, stmt, page=page, page_size=page_size, count=count)


def iter_export(session: Session, *, actor: Actor, filters: TenderFilter, limit: int) -> Iterator[list[Any]]:
    """Export rows of the filtered tenders (signed-in users)."""
    require(actor, perm.READ)
    names = dict(session.execute(select(Institution.id, Institution.name)).tuples().all())
    stmt = select(Tender).where(*_conditions(filters)).order_by(Tender.id.desc()).limit(limit)
    for t in session.scalars(stmt):
        yield [
            t.code,
            t.title,
            LABELS.get(t.procedure, t.procedure),
            names.get(t.institution_id, ""),
            t.purchaser_name,
            f"{t.budget_fen / 100:.2f}",
            f"{t.security_fen / 100:.2f}",
            format_local(t.deadline),
            STATUS.get(t.status, t.status),
            t.contract_no,
        ]
