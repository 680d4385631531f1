"""The alliance dashboard: volume, count, 溢价率, 流拍 rate and days to close by institution,
asset class or month, read from the rollup (``rollup.py``), not from the trades."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from longcheng.core.actors import Actor, Role
from longcheng.core.auth import require
from longcheng.core.errors import ValidationFailed
from longcheng.exchange import service as parties
from longcheng.exchange.models import Institution
from longcheng.exchange.monitoring import permissions as perm
from longcheng.exchange.monitoring import rollup
from longcheng.exchange.monitoring.models import TradeRollup
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


def _key(group: str) -> Any:
    if group == "institution":
        return Institution.code
    if group == "class":
        return TradeRollup.asset_class
    return TradeRollup.month


def dashboard(session: Session, *, actor: Actor, group: str) -> list[Row]:
    """One row per institution, class or month of closed lots (an operator: its own only)."""
    require(actor, perm.DASHBOARD)
    if group not in GROUPS:
        raise ValidationFailed("分组方式不正确。", code="exchange.monitoring.bad_group")
    rollup.ensure_built(session)
    key = _key(group).label("k")
    stmt = (
        select(
            key,
            func.sum(TradeRollup.closed),
            func.sum(TradeRollup.sold),
            func.sum(TradeRollup.volume_fen),
            func.sum(TradeRollup.start_fen),
            func.sum(TradeRollup.days_sum) / func.sum(TradeRollup.closed),
        )
        .select_from(TradeRollup)
        .join(Institution, Institution.id == TradeRollup.institution_id)
        .group_by(key)
        .order_by(key)
    )
    if actor.role is Role.operator:
        own = parties.institution_of(session, actor)
        stmt = stmt.where(TradeRollup.institution_id == (own.id if own else -1))
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


def as_of(session: Session) -> datetime | None:
    """When the dashboard's figures were last summed (the rollup's time)."""
    return rollup.as_of(session)
