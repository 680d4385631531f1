"""The alliance dashboard: volume, count, 溢价率, 流拍 rate and days to close by institution,
asset class or month, aggregated in the database (one grouped query per view)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import ValidationFailed
from longcheng.exchange import service as parties
from longcheng.exchange.bidding.models import Lot
from longcheng.exchange.listings.models import Listing
from longcheng.exchange.models import Institution
from longcheng.exchange.monitoring import permissions as perm
from longcheng.exchange.rulebook import book

GROUPS = {"institution": "交易机构", "class": "资产类别", "month": "月份"}


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    closed: int
    sold: int
    volume_fen: int
    start_fen: int
    days_to_close: float

    @property
    def unsold_pct(self) -> float:
        return round((self.closed - self.sold) * 100 / self.closed, 2) if self.closed else 0.0

    @property
    def premium_pct(self) -> float:
        return round((self.volume_fen / self.start_fen - 1) * 100, 2) if self.start_fen else 0.0


def _month(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.strftime("%Y-%m", Lot.closed_at, "+8 hours")
    return func.to_char(func.timezone("Asia/Shanghai", Lot.closed_at), "YYYY-MM")


def _days(dialect: str) -> ColumnElement[Any]:
    if dialect == "sqlite":
        return func.julianday(Lot.closed_at) - func.julianday(Listing.published_at)
    return func.extract("epoch", Lot.closed_at - Listing.published_at) / 86400.0


def _key(group: str, dialect: str) -> Any:
    if group == "institution":
        return Institution.code
    if group == "class":
        return Listing.asset_class
    return _month(dialect)


def dashboard(session: Session, *, actor: Actor, group: str) -> list[Row]:
    """One row per institution, class or month of closed lots (an operator: its own only)."""
    require(actor, perm.DASHBOARD)
    if group not in GROUPS:
        raise ValidationFailed("分组方式不正确。", code="exchange.monitoring.bad_group")
    dialect = session.get_bind().dialect.name
    sold = Lot.result == "sold"
    key = _key(group, dialect).label("k")
    stmt = (
        select(
            key,
            func.count(Lot.id),
            func.sum(case((sold, 1), else_=0)),
            func.coalesce(func.sum(case((sold, Lot.price_fen), else_=0)), 0),
            func.coalesce(func.sum(case((sold, Listing.start_fen), else_=0)), 0),
            func.avg(_days(dialect)),
        )
        .select_from(Lot)
        .join(Listing, Listing.id == Lot.listing_id)
        .join(Institution, Institution.id == Listing.institution_id)
        .where(Lot.result.in_(("sold", "unsold")))
        .group_by(key)
        .order_by(key)
    )
    if actor.role is Role.operator:
        own = parties.institution_of(session, actor)
        stmt = stmt.where(Listing.institution_id == (own.id if own else -1))
    names = {i.code: i.name for i in parties.institutions(session)} if group == "institution" else {}
    classes = {c: a.label for c, a in book.load().classes.items()}
    return [
        Row(
            str(k),
            names.get(str(k)) or classes.get(str(k)) or str(k),
            int(n),
            int(s or 0),
            int(v),
            int(st),
            round(float(d or 0), 2),
        )
        for k, n, s, v, st, d in session.execute(stmt).all()
    ]
