"""佣金 on a 成交 lot, from the charter's tiers, split between the listing institution and the
institution whose member brought the buyer (``buyer_side_pct``), posted to the exchange ledger as
one balanced entry, and each institution's fee statement.

The buyer pays the commission from its deposit still frozen for the lot, then from its available
money; the two parts are credited to the institutions' fee accounts (``fee:<institution code>``),
which the bank account holds like every other balance, so ``exchange ledger verify`` checks them.
A lot is charged once (the listing is unique in ``exchange_fee_charge``); a buyer without enough
money is refused with nothing written, and the charge is tried again on the next run.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core import audit
from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import format_local
from longcheng.core.errors import Conflict, NotFound
from longcheng.core.paging import Page, paginate
from longcheng.exchange import service as parties
from longcheng.exchange.alliance import permissions as perm
from longcheng.exchange.alliance.models import FeeCharge
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.book import postings as pb
from longcheng.exchange.charter import terms
from longcheng.exchange.ledger import service as ledger
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.models import Bidder, Institution, Member

ENTITY = "exchange.fee_charge"
STATEMENT_HEADERS = (
    "结算时间",
    "项目编号",
    "项目名称",
    "买受人",
    "成交价（元）",
    "佣金总额（元）",
    "本机构角色",
    "本机构分得（元）",
    "对方机构",
)


def fee_account(institution_code: str) -> str:
    """The ledger account of an institution's fee income."""
    return f"fee:{institution_code}"


@dataclass(frozen=True)
class Deal:
    listing: Listing
    lot: Lot
    registration: Registration
    buyer: Bidder
    buyer_institution: Institution
    listing_institution: Institution


def _deal(session: Session, listing: Listing) -> Deal:
    lot = session.scalar(select(Lot).where(Lot.listing_id == listing.id))
    if lot is None or lot.result != "sold" or lot.leader_reg_id is None or not lot.price_fen:
        raise Conflict("该项目尚未成交，不能收取佣金。", code="exchange.alliance.fee_not_sold")
    reg = session.get(Registration, lot.leader_reg_id)
    buyer = session.get(Bidder, reg.bidder_id) if reg else None
    own = session.get(Institution, listing.institution_id)
    if reg is None or buyer is None or own is None:
        raise Conflict("成交记录不完整，不能收取佣金。", code="exchange.alliance.fee_not_sold")
    member = session.get(Member, reg.member_id) if reg.member_id else None
    other = session.get(Institution, member.institution_id) if member else None
    return Deal(listing, lot, reg, buyer, other or own, own)


def _postings(session: Session, deal: Deal, fee: int, own: int, other: int) -> list[pb.Posting]:
    """Debit the buyer's frozen deposit, then its available money; credit the institutions."""
    frozen = ledger.balance(session, pb.frozen(deal.registration.id))
    from_frozen = min(frozen, fee)
    out = []
    if from_frozen:
        out.append(pb.Posting(pb.frozen(deal.registration.id), from_frozen))
    if fee - from_frozen:
        out.append(pb.Posting(pb.available(deal.buyer.id), fee - from_frozen))
    out.append(pb.Posting(fee_account(deal.listing_institution.code), -own))
    if other:
        out.append(pb.Posting(fee_account(deal.buyer_institution.code), -other))
    return [p for p in out if p.amount_fen]


def charge(session: Session, *, actor: Actor, listing_code: str) -> FeeCharge:
    """Charge the 佣金 of one 成交 lot (own institution's lots; the secretariat any), once."""
    require(actor, perm.FEES_CHARGE)
    listing = session.scalar(select(Listing).where(Listing.code == listing_code))
    if listing is None:
        raise NotFound("未找到该项目。", code="exchange.alliance.listing_not_found")
    own_inst = session.get(Institution, listing.institution_id)
    assert own_inst is not None
    parties.acting_institution(session, actor, own_inst.code)
    if session.scalar(select(FeeCharge.id).where(FeeCharge.listing_id == listing.id)):
        raise Conflict("该项目的佣金已收取。", code="exchange.alliance.fee_charged")
    return _charge(session, actor, _deal(session, listing))


def _charge(session: Session, actor: Actor, deal: Deal) -> FeeCharge:
    charter = terms.load()
    price = deal.lot.price_fen or 0
    fee = terms.commission(charter, price)
    same = deal.buyer_institution.id == deal.listing_institution.id
    own, other = terms.split_fee(charter, fee, same_institution=same)
    try:
        entry = ledger.post(
            session,
            actor=actor,
            kind="fee",
            ref=deal.listing.code,
            entries=_postings(session, deal, fee, own, other),
        )
    except ledger.InsufficientFunds:
        raise Conflict(
            f"买受人保证金及可用资金不足以支付佣金 {fee / 100:,.2f} 元，未作任何变动。",
            code="exchange.alliance.fee_insufficient",
        ) from None
    row = FeeCharge(
        listing_id=deal.listing.id,
        listing_code=deal.listing.code,
        listing_title=deal.listing.title,
        buyer_name=deal.buyer.name,
        price_fen=price,
        commission_fen=fee,
        currency=deal.listing.currency,
        listing_institution_id=deal.listing_institution.id,
        listing_share_fen=own,
        buyer_institution_id=deal.buyer_institution.id,
        buyer_share_fen=other,
        entry_id=entry.id,
        charged_by=actor.label,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.alliance.fee",
        entity_type=ENTITY,
        entity_id=deal.listing.code,
        after={
            "成交价（元）": price / 100,
            "佣金（元）": fee / 100,
            "挂牌机构": deal.listing_institution.name,
            "挂牌机构分得（元）": own / 100,
            "引入买方机构": deal.buyer_institution.name,
            "引入买方机构分得（元）": other / 100,
        },
    )
    return row


def due(session: Session, *, actor: Actor, limit: int = 200) -> list[str]:
    """Codes of 成交 lots without a fee charge (the actor's institution's; the secretariat all)."""
    require(actor, perm.FEES_CHARGE)
    stmt = (
        select(Listing.code)
        .join(Lot, Lot.listing_id == Listing.id)
        .outerjoin(FeeCharge, FeeCharge.listing_id == Listing.id)
        .where(Lot.result == "sold", FeeCharge.id.is_(None))
        .order_by(Lot.closed_at)
        .limit(limit)
    )
    if actor.role != Role.admin:
        inst = parties.acting_institution(session, actor)
        stmt = stmt.where(Listing.institution_id == inst.id)
    return list(session.scalars(stmt))


def charge_due(session: Session, *, actor: Actor, limit: int = 200) -> tuple[list[FeeCharge], list[str]]:
    """Charge every due lot: (charges made, lots refused for want of money — tried next time).

    Each charge runs in a savepoint, so a refused one leaves nothing behind and the rest go on.
    """
    done, refused = [], []
    for code in due(session, actor=actor, limit=limit):
        try:
            with session.begin_nested():
                done.append(charge(session, actor=actor, listing_code=code))
        except Conflict:
            refused.append(code)
    return done, refused


@dataclass(frozen=True)
class StatementLine:
    charge: FeeCharge
    role: str  # 挂牌机构 | 引入买方机构 | 挂牌并引入买方
    share_fen: int
    counterpart: str


def _statement_conditions(inst: Institution, q: str | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [
        or_(FeeCharge.listing_institution_id == inst.id, FeeCharge.buyer_institution_id == inst.id)
    ]
    if q and q.strip():
        like = f"%{q.strip()}%"
        conds.append(or_(FeeCharge.listing_code.ilike(like), FeeCharge.listing_title.ilike(like)))
    return conds


def statement_institution(session: Session, actor: Actor, code: str) -> Institution:
    """The institution whose statement is asked: an operator its own, the secretariat or a supervisor any."""
    require(actor, perm.FEES_READ)
    if actor.role in (Role.admin, Role.auditor):
        if code:
            return parties.institution_by_code(session, code)
        members = parties.institutions(session)
        if not members:
            raise NotFound("尚无会员机构。", code="exchange.alliance.no_institution")
        return members[0]
    return parties.acting_institution(session, actor, code)


def _line(inst: Institution, c: FeeCharge, names: dict[int, str]) -> StatementLine:
    if c.listing_institution_id == c.buyer_institution_id:
        return StatementLine(c, "挂牌并引入买方", c.listing_share_fen + c.buyer_share_fen, "—")
    if c.listing_institution_id == inst.id:
        return StatementLine(c, "挂牌机构", c.listing_share_fen, names.get(c.buyer_institution_id, ""))
    return StatementLine(c, "引入买方机构", c.buyer_share_fen, names.get(c.listing_institution_id, ""))


def statement(
    session: Session,
    *,
    actor: Actor,
    institution_code: str,
    q: str | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[Institution, Page[StatementLine], int]:
    """One institution's fee lines, newest first, and its total share of every line."""
    inst = statement_institution(session, actor, institution_code)
    conds = _statement_conditions(inst, q)
    found = paginate(
        session,
        select(FeeCharge).where(*conds).order_by(FeeCharge.charged_at.desc(), FeeCharge.id.desc()),
        page=page,
        page_size=page_size,
        count=select(func.count(FeeCharge.id)).where(*conds),
    )
    names = {i.id: i.name for i in parties.institutions(session)}
    lines = [_line(inst, c, names) for c in found.items]
    page_of = Page(items=lines, total=found.total, page=found.page, page_size=found.page_size)
    return inst, page_of, _total(session, inst, conds)


def _total(session: Session, inst: Institution, conds: list[ColumnElement[bool]]) -> int:
    own = select(func.coalesce(func.sum(FeeCharge.listing_share_fen), 0)).where(
        *conds, FeeCharge.listing_institution_id == inst.id
    )
    other = select(func.coalesce(func.sum(FeeCharge.buyer_share_fen), 0)).where(
        *conds, FeeCharge.buyer_institution_id == inst.id
    )
    return int(session.scalar(own) or 0) + int(session.scalar(other) or 0)


def statement_rows(
    session: Session, *, actor: Actor, institution_code: str, q: str | None, limit: int
) -> Iterator[list[Any]]:
    """The statement as export rows (amounts in 元)."""
    inst = statement_institution(session, actor, institution_code)
    names = {i.id: i.name for i in parties.institutions(session)}
    stmt = (
        select(FeeCharge)
        .where(*_statement_conditions(inst, q))
        .order_by(FeeCharge.charged_at.desc())
        .limit(limit)
    )
    for c in session.scalars(stmt):
        line = _line(inst, c, names)
        yield [
            format_local(c.charged_at),
            c.listing_code,
            c.listing_title,
            c.buyer_name,
            f"{c.price_fen / 100:.2f}",
            f"{c.commission_fen / 100:.2f}",
            line.role,
            f"{line.share_fen / 100:.2f}",
            line.counterpart,
        ]
