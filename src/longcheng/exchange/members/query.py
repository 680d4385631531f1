"""What the member pages read: an institution's members (searched, filtered, paged, exported),
one member's logins, clients and mandates, and the listings and bids a member acts in.

Scope is decided once, in :func:`visible_members`: an operator sees its own institution's members,
an admin or auditor those of the institution it picks (every one when it picks none).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.clock import local_today
from longcheng.core.errors import NotFound
from longcheng.core.exporting import Cell
from longcheng.core.paging import Page, paginate
from longcheng.core.users import User
from longcheng.exchange import permissions as perm
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import LotBid
from longcheng.exchange.listings.models import Listing, Registration
from longcheng.exchange.members.schemas import STATUS_LABELS, MemberFilter
from longcheng.exchange.models import Bidder, Institution, Mandate, Member, MemberOperator

EXPORT_HEADERS = ("会员名称", "统一社会信用代码", "交易机构", "状态", "经办人数", "有效授权数", "加入时间")


def visible_members(session: Session, actor: Actor, inst_code: str = "") -> Select[Member]:
    """Members the actor may read: an operator its institution's only (``inst_code`` of another
    institution is refused), an admin or auditor any (``inst_code`` narrows)."""
    require(actor, perm.MEMBER_READ)
    stmt = select(Member)
    if actor.role is Role.operator:
        own = parties.acting_institution(session, actor, inst_code)
        return stmt.where(Member.institution_id == own.id)
    if inst_code:
        return stmt.where(Member.institution_id == parties.institution_by_code(session, inst_code).id)
    return stmt


def _filtered(session: Session, actor: Actor, filters: MemberFilter) -> Select[Member]:
    stmt = visible_members(session, actor, filters.inst)
    if filters.q.strip():
        like = f"%{filters.q.strip()}%"
        stmt = stmt.where(or_(Member.name.like(like), Member.uscc.like(like.upper())))
    if filters.status in STATUS_LABELS:
        stmt = stmt.where(Member.status == filters.status)
    return stmt.order_by(Member.id.desc())


def list_members(
    session: Session, *, actor: Actor, filters: MemberFilter, page: int, page_size: int
) -> Page[Member]:
    return paginate(session, _filtered(session, actor, filters), page=page, page_size=page_size)


def get_visible(session: Session, *, actor: Actor, member_id: int) -> Member:
    """One member, if the actor may read it; another institution's answers as not found."""
    member = session.scalar(visible_members(session, actor).where(Member.id == member_id))
    if member is None:
        raise NotFound("未找到该会员。", code="exchange.member_not_found")
    return member


@dataclass(frozen=True)
class MemberCounts:
    operators: int
    valid_mandates: int


def counts(session: Session, members_: list[Member]) -> dict[int, MemberCounts]:
    """Logins and mandates in force today (:func:`members.mandate_state` ``valid``), per member,
    counted in the database in two grouped queries for the whole page or export."""
    ids = [m.id for m in members_]
    ops = dict(
        session.execute(
            select(MemberOperator.member_id, func.count())
            .where(MemberOperator.member_id.in_(ids))
            .group_by(MemberOperator.member_id)
        ).all()
    )
    today = local_today()
    valid = dict(
        session.execute(
            select(Mandate.member_id, func.count())
            .where(
                Mandate.member_id.in_(ids),
                Mandate.revoked_at.is_(None),
                Mandate.valid_from <= today,
                Mandate.valid_to >= today,
            )
            .group_by(Mandate.member_id)
        ).all()
    )
    return {i: MemberCounts(int(ops.get(i, 0)), int(valid.get(i, 0))) for i in ids}


def iter_export(session: Session, *, actor: Actor, filters: MemberFilter, limit: int) -> Iterator[list[Cell]]:
    """Rows of :data:`EXPORT_HEADERS` for what the list shows (text cells stay text in XLSX)."""
    require(actor, perm.EXPORT)  # asked here, when the export is made, not when its rows are read
    rows = list(session.scalars(_filtered(session, actor, filters).limit(limit)))
    names = dict(session.execute(select(Institution.id, Institution.name)).all())
    per = counts(session, rows)
    return (
        [
            m.name,
            m.uscc,
            names.get(m.institution_id, ""),
            STATUS_LABELS[m.status],
            per[m.id].operators,
            per[m.id].valid_mandates,
            m.created_at.date().isoformat(),
        ]
        for m in rows
    )


def operators_of(session: Session, member: Member) -> list[User]:
    stmt = (
        select(User)
        .join(MemberOperator, MemberOperator.user_id == User.id)
        .where(MemberOperator.member_id == member.id)
        .order_by(User.username)
    )
    return list(session.scalars(stmt))


def mandates_of(session: Session, member: Member) -> list[tuple[Mandate, Bidder]]:
    """Every mandate the member holds, newest first, with its client."""
    stmt = (
        select(Mandate, Bidder)
        .join(Bidder, Bidder.id == Mandate.bidder_id)
        .where(Mandate.member_id == member.id)
        .order_by(Mandate.id.desc())
    )
    return [(m, b) for m, b in session.execute(stmt)]


@dataclass(frozen=True)
class Acted:
    """A registration the member made for a client, with the bids placed on it."""

    registration: Registration
    listing: Listing
    client: Bidder
    bids: int
    best_fen: int | None


def activity(session: Session, member: Member, *, limit: int = 200) -> list[Acted]:
    """The listings the member registered clients for (newest first) and the bids on them."""
    bids = (
        select(LotBid.registration_id, func.count().label("n"), func.max(LotBid.amount_fen).label("best"))
        .group_by(LotBid.registration_id)
        .subquery()
    )
    stmt = (
        select(Registration, Listing, Bidder, bids.c.n, bids.c.best)
        .join(Listing, Listing.id == Registration.listing_id)
        .join(Bidder, Bidder.id == Registration.bidder_id)
        .outerjoin(bids, bids.c.registration_id == Registration.id)
        .where(Registration.member_id == member.id)
        .order_by(Registration.id.desc())
        .limit(limit)
    )
    return [Acted(r, lst, b, int(n or 0), best) for r, lst, b, n, best in session.execute(stmt)]
