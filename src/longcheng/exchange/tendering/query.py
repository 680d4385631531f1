"""The tenders list: search, filters, paging and export rows (every tender is public once
published; prices appear only in the opening record)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import can, require
from longcheng.core.clock import format_local
from longcheng.core.errors import PermissionDenied
from longcheng.core.paging import Page, paginate
from longcheng.exchange.models import Bidder, Institution
from longcheng.exchange.tendering import permissions as perm
from longcheng.exchange.tendering.models import (
    Tender,
    TenderBid,
    TenderEntrant,
    TenderEvaluation,
    TenderKeyShare,
    TenderObjection,
    TenderPanelMember,
)
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
    """Export rows of the filtered tenders (signed-in users; the right is checked now)."""
    require(actor, perm.READ)
    names = dict(session.execute(select(Institution.id, Institution.name)).all())
    stmt = select(Tender).where(*_conditions(filters)).order_by(Tender.id.desc()).limit(limit)
    return (_export_row(t, names) for t in session.scalars(stmt))


def _export_row(t: Tender, names: dict[int, str]) -> list[Any]:
    return [
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


def manages(session: Session, actor: Actor | None, tender: Tender) -> bool:
    """True for an admin, or an operator of the tender's own institution (who may run it)."""
    if actor is None or not can(actor, perm.MANAGE):
        return False
    if actor.role == Role.admin:
        return True
    inst = session.get(Institution, tender.institution_id)
    return inst is not None and actor.org_uscc == inst.uscc


def slots(session: Session, tender: Tender) -> list[TenderKeyShare]:
    """The opening officers' key-share slots (who collected, who presented; never the share)."""
    stmt = select(TenderKeyShare).where(TenderKeyShare.tender_id == tender.id)
    return list(session.scalars(stmt.order_by(TenderKeyShare.id)))


def received(session: Session, *, actor: Actor, tender: Tender) -> list[tuple[TenderBid, str]]:
    """The bids received with the bidder's name: staff of the tender only; before 开标 only digests."""
    if not manages(session, actor, tender):
        raise PermissionDenied(
            "只有本项目所属交易机构的工作人员可以查看投标接收情况。", code="tendering.not_staff"
        )
    stmt = (
        select(TenderBid, Bidder.name)
        .join(Bidder, Bidder.id == TenderBid.bidder_id)
        .where(TenderBid.tender_id == tender.id)
        .order_by(TenderBid.id)
    )
    return [(b, str(n)) for b, n in session.execute(stmt)]


def panel_rows(session: Session, tender: Tender) -> list[TenderPanelMember]:
    """Every panel row: seated, replaced (recused / absent) and the pool's experts in conflict."""
    stmt = select(TenderPanelMember).where(TenderPanelMember.tender_id == tender.id)
    return list(session.scalars(stmt.order_by(TenderPanelMember.id)))


def objections(session: Session, tender: Tender) -> list[tuple[TenderObjection, str]]:
    stmt = (
        select(TenderObjection, Bidder.name)
        .join(Bidder, Bidder.id == TenderObjection.bidder_id)
        .where(TenderObjection.tender_id == tender.id)
        .order_by(TenderObjection.id)
    )
    return [(o, str(n)) for o, n in session.execute(stmt)]


def entrant_of(session: Session, actor: Actor | None, tender: Tender) -> TenderEntrant | None:
    """The signed-in bidder's registration for the tender, if any."""
    if actor is None or actor.role != Role.bidder:
        return None
    stmt = (
        select(TenderEntrant)
        .join(Bidder, Bidder.id == TenderEntrant.bidder_id)
        .where(TenderEntrant.tender_id == tender.id, Bidder.user_id == actor.id)
    )
    return session.scalar(stmt)


def names_of(session: Session, bidder_ids: list[int]) -> dict[int, str]:
    rows = session.execute(select(Bidder.id, Bidder.name).where(Bidder.id.in_(bidder_ids)))
    return {int(i): str(n) for i, n in rows}


def seat_of(session: Session, actor: Actor | None, tender: Tender) -> TenderPanelMember | None:
    """The signed-in expert's seat on the tender's panel (state panel), if any."""
    if actor is None or actor.role != Role.reviewer:
        return None
    stmt = select(TenderPanelMember).where(
        TenderPanelMember.tender_id == tender.id,
        TenderPanelMember.user_id == actor.id,
        TenderPanelMember.state == "panel",
    )
    return session.scalar(stmt)


def my_scores(session: Session, tender: Tender, expert_id: int) -> dict[int, int]:
    stmt = select(TenderEvaluation.bid_id, TenderEvaluation.technical).where(
        TenderEvaluation.tender_id == tender.id, TenderEvaluation.expert_id == expert_id
    )
    return {int(b): int(t) for b, t in session.execute(stmt)}


def opened_bids(session: Session, tender: Tender) -> list[TenderBid]:
    stmt = select(TenderBid).where(TenderBid.tender_id == tender.id, TenderBid.open_status == "valid")
    return list(session.scalars(stmt.order_by(TenderBid.price_fen)))


def tabs(session: Session, actor: Actor | None, tender: Tender) -> dict[str, bool]:
    """Which of the tender's staff pages the actor may open (the page checks again)."""
    staff = manages(session, actor, tender)
    officer = actor is not None and any(s.officer_id == actor.id for s in slots(session, tender))
    return {"opening": staff or officer, "evaluation": staff or seat_of(session, actor, tender) is not None}
