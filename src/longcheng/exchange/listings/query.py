"""Searching listings: the public portal (published ones) and the console (the institution's own)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, UnaryExpression, or_, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.clock import SHANGHAI, to_utc
from longcheng.core.errors import ValidationFailed
from longcheng.core.paging import Page, paginate
from longcheng.exchange import service as parties
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.listings.service import PUBLIC_STATUSES
from longcheng.exchange.schemas import ListingFilter

SORTS: dict[str, UnaryExpression[Any]] = {
    "-published": Listing.published_at.desc(),
    "published": Listing.published_at.asc(),
    "-price": Listing.start_fen.desc(),
    "price": Listing.start_fen.asc(),
}


def _day(text: str, label: str) -> datetime:
    try:
        return to_utc(datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=SHANGHAI))
    except ValueError:
        raise ValidationFailed(f"{label}格式应为 YYYY-MM-DD。", code="exchange.filter_invalid") from None


def _conditions(f: ListingFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if f.q:
        like = f"%{f.q.strip()}%"
        out.append(or_(Listing.title.ilike(like), Listing.code.ilike(like), Listing.seller_name.ilike(like)))
    if f.asset_class:
        out.append(Listing.asset_class == f.asset_class)
    if f.status:
        out.append(Listing.status == f.status)
    if f.region:
        out.append(Listing.region.ilike(f"%{f.region.strip()}%"))
    if f.min_price:
        out.append(Listing.start_fen >= (parties.to_fen(f.min_price, "最低价格") or 0))
    if f.max_price:
        out.append(Listing.start_fen <= (parties.to_fen(f.max_price, "最高价格") or 0))
    if f.published_from:
        out.append(Listing.published_at >= _day(f.published_from, "发布日期起"))
    if f.published_to:
        out.append(Listing.published_at < _day(f.published_to, "发布日期止") + timedelta(days=1))
    return out


def _public(f: ListingFilter) -> Select[Listing]:
    stmt = select(Listing).where(Listing.status.in_(PUBLIC_STATUSES), *_conditions(f))
    return stmt.order_by(SORTS.get(f.sort or "", Listing.published_at.desc()), Listing.id.desc())


def public(session: Session, *, filters: ListingFilter, page: int, page_size: int) -> Page[Listing]:
    """Published listings anyone may see (no login)."""
    return paginate(session, _public(filters), page=page, page_size=page_size)


def _console(session: Session, actor: Actor, f: ListingFilter) -> Select[Listing]:
    stmt = select(Listing).where(*_conditions(f))
    own = parties.institution_of(session, actor)
    if actor.role is Role.operator:
        stmt = stmt.where(Listing.institution_id == (own.id if own else -1))
    return stmt.order_by(SORTS.get(f.sort or "", Listing.id.desc()), Listing.id.desc())


def console(
    session: Session, *, actor: Actor, filters: ListingFilter, page: int, page_size: int
) -> Page[Listing]:
    """Every listing of the operator's institution (admins and auditors: all)."""
    return paginate(session, _console(session, actor, filters), page=page, page_size=page_size)


def iter_console(session: Session, *, actor: Actor, filters: ListingFilter, limit: int) -> Iterator[Listing]:
    yield from session.scalars(_console(session, actor, filters).limit(limit))
